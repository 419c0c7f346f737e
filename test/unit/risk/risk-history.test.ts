import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { FactsDocument, Report } from "../../../src/core/model.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { packPaths } from "../../../src/engine/opt-in-packs.js";
import { linkEntry } from "../../../src/history/chain.js";
import { openStore } from "../../../src/history/location.js";
import { scopeOf } from "../../../src/history/record.js";
import { readRiskHistory } from "../../../src/history/risk-history.js";
import { recordRun, resolveBaseline } from "../../../src/history/session.js";
import type { HistoryStore } from "../../../src/history/types.js";
import { evaluateFacts, prepare, type RunOptions } from "../../../src/pipeline.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { NPRM_INVENTORY_RULE, NPRM_VULN_SCAN_RULE } from "../../../src/risk/nprm-history.js";
import { siteFacts } from "./site.js";

const opts = { verbose: false, style: plainStyle };
const runOpts: RunOptions = { rulePaths: packPaths(["hipaa-nprm-2025"]), params: {}, failOn: "high" };
/** The built-in pack alone (the proposed-rule pack's history checks add risks of their own from the second run). */
const basePack: RunOptions = { rulePaths: [], params: {}, failOn: "high" };
const stores: HistoryStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function tempStore(): Promise<HistoryStore> {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), "hs-risk-history-")), "history.sqlite"));
  stores.push(store);
  return store;
}

/** The site facts as collected at `at`. */
function factsAt(at: string): FactsDocument {
  return { ...siteFacts(), startedAt: at, finishedAt: at };
}

/** One scan as the CLI runs it: the history read before evaluation, the run recorded after. */
async function scanAt(store: HistoryStore, at: string, doctor?: (r: Report) => Report, run: RunOptions = runOpts): Promise<Report> {
  const facts = factsAt(at);
  const scope = scopeOf(facts.targets.map((t) => t.target.id));
  const baseline = await resolveBaseline(store, "last", scope);
  const riskHistory = await readRiskHistory(store, scope, baseline, { intervals: true, now: new Date(at) });
  const report = evaluateFacts(facts, { ...run, riskHistory }, await prepare(run), () => new Date(at));
  const { report: recorded } = await recordRun(store, doctor ? doctor(report) : report, facts, { command: "scan", ...(baseline ? { baseline } : {}), failOnNew: false, now: new Date(at) });
  return recorded;
}

async function review(store: HistoryStore, runId: string, at: string): Promise<void> {
  const rec = { format: "hipaa-scan-review", version: 1, id: `review-${at}`, runId, by: "practice manager", at };
  await store.append(linkEntry({ kind: "review", id: rec.id, scope: runId, at, record: rec }));
}

const status = (r: Report, ruleId: string) => r.findings.find((f) => f.ruleId === ruleId)?.status;

describe("the proposed-rule interval checks read the history (temp SQLite store)", () => {
  it("end in error when the history holds no earlier run of the scope", async () => {
    const store = await tempStore();
    const first = await scanAt(store, "2026-03-01T10:00:00.000Z");
    expect(status(first, NPRM_INVENTORY_RULE)).toBe("error");
    expect(status(first, NPRM_VULN_SCAN_RULE)).toBe("error");
    expect(first.findings.find((f) => f.ruleId === NPRM_VULN_SCAN_RULE)?.message).toMatch(/no earlier run of this scope/);
  });

  it("pass when an earlier inventory run was reviewed within 12 months and network scans are under 6 months apart", async () => {
    const store = await tempStore();
    const first = await scanAt(store, "2026-03-01T10:00:00.000Z");
    await review(store, first.run!.id, "2026-03-03T09:00:00.000Z");
    await scanAt(store, "2026-06-01T10:00:00.000Z");
    const third = await scanAt(store, "2026-08-01T10:00:00.000Z");
    expect(status(third, NPRM_INVENTORY_RULE)).toBe("pass");
    expect(status(third, NPRM_VULN_SCAN_RULE)).toBe("pass");
    expect(third.findings.find((f) => f.ruleId === NPRM_VULN_SCAN_RULE)?.message).toMatch(/3 network scan\(s\) in the last 12 months; longest gap 92 day/);
  });

  it("fail when the history shows them overdue", async () => {
    const store = await tempStore();
    const old = await scanAt(store, "2025-09-01T10:00:00.000Z");
    await review(store, old.run!.id, "2025-09-02T09:00:00.000Z");
    const late = await scanAt(store, "2026-11-01T10:00:00.000Z");
    expect(status(late, NPRM_INVENTORY_RULE)).toBe("fail");
    expect(status(late, NPRM_VULN_SCAN_RULE)).toBe("fail");

    // A recent run that nobody reviewed keeps the inventory check failing; the scans are on time.
    const unreviewed = await tempStore();
    await scanAt(unreviewed, "2026-09-01T10:00:00.000Z");
    const next = await scanAt(unreviewed, "2026-11-01T10:00:00.000Z");
    expect(status(next, NPRM_INVENTORY_RULE)).toBe("fail");
    expect(next.findings.find((f) => f.ruleId === NPRM_INVENTORY_RULE)?.message).toMatch(/no review of an asset inventory is recorded/);
    expect(status(next, NPRM_VULN_SCAN_RULE)).toBe("pass");
  });
});

describe("with history, the report shows how the register changed since the last run", () => {
  it("lists new, resolved and re-levelled risks against the baseline run in JSON (schema), Markdown and HTML", async () => {
    const store = await tempStore();
    // The recorded baseline: one risk more (since resolved), one risk less (new now), one at another level.
    const first = await scanAt(store, "2026-03-01T10:00:00.000Z", (r) => {
      const risks = r.risks!;
      const moved = { ...risks[1]!, level: risks[1]!.level === 1 ? 2 : 1 };
      const gone = { ...risks[0]!, id: "R-resolved-since", title: "A risk the baseline had" };
      return { ...r, risks: [gone, moved, ...risks.slice(3)] };
    }, basePack);
    const now = await scanAt(store, "2026-04-01T10:00:00.000Z", undefined, basePack);
    const ch = now.riskChanges!;
    expect(ch.baselineRunId).toBe(first.run!.id);
    expect(ch.since).toBe("2026-03-01T10:00:00.000Z");
    expect(ch.removed.map((r) => r.id)).toEqual(["R-resolved-since"]);
    expect(ch.added.map((r) => r.id).sort()).toEqual([now.risks![0]!.id, now.risks![2]!.id].sort());
    expect([...ch.raised, ...ch.lowered].map((r) => r.id)).toEqual([now.risks![1]!.id]);
    expect(ch.unchanged).toBe(now.risks!.length - 3);

    const schema = JSON.parse(readFileSync(new URL("../../../schemas/report.schema.json", import.meta.url), "utf8"));
    const validate = makeAjv().compile(schema);
    const json = JSON.parse(reporters.json(now, opts));
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    expect(json.riskChanges.removed[0].title).toBe("A risk the baseline had");

    const md = reporters.markdown(now, opts);
    expect(md).toMatch(/## Risk register changes since 2026-03-01/);
    expect(md).toContain("A risk the baseline had");
    const html = reporters.html(now, opts);
    expect(html).toContain('id="risk-changes"');
    expect(html).toContain("A risk the baseline had");

    // No baseline (first run): no changes section.
    const fresh = await scanAt(await tempStore(), "2026-03-01T10:00:00.000Z", undefined, basePack);
    expect(fresh.riskChanges).toBeUndefined();
    expect(reporters.markdown(fresh, opts)).not.toMatch(/Risk register changes/);
  });
});

describe("the CLI wires the history into the risk analysis", () => {
  it("evaluate with --history: the second run has register changes and judges the intervals from the first", async () => {
    const { run } = await import("../../../src/cli/main.js");
    const dir = mkdtempSync(join(tmpdir(), "hs-risk-cli-"));
    // The golden hosts (test/data/golden-facts.json): several targets, so an asset inventory, and no network.
    const facts = new URL("../../data/golden-facts.json", import.meta.url).pathname;
    const history = join(dir, "history.sqlite");
    const args = (out: string) => ["evaluate", facts, "--pack", "hipaa-nprm-2025", "--history", history, "--format", "json", "--output", out, "--quiet", "--fail-on", "none"];
    const out1 = join(dir, "r1.json");
    const out2 = join(dir, "r2.json");
    expect(await run(args(out1))).not.toBe(2);
    const r1 = JSON.parse(readFileSync(out1, "utf8")) as Report;
    expect(status(r1, NPRM_INVENTORY_RULE)).toBe("error");
    expect(r1.riskChanges).toBeUndefined();
    expect(await run(args(out2))).not.toBe(2);
    const r2 = JSON.parse(readFileSync(out2, "utf8")) as Report;
    // The first run is in the history, unreviewed and without a network scan: both checks now fail (and
    // the built-in site rule on unreviewed runs starts to fail too).
    expect(status(r2, NPRM_INVENTORY_RULE)).toBe("fail");
    expect(status(r2, NPRM_VULN_SCAN_RULE)).toBe("fail");
    expect(r2.findings.find((f) => f.ruleId === NPRM_VULN_SCAN_RULE)?.message).toMatch(/0 network scan\(s\) in the last 12 months/);
    expect(r2.riskChanges?.baselineRunId).toBe(r1.run?.id);
    expect(r2.riskChanges?.added.map((r) => r.id).sort()).toEqual(["R-history-review-recent", "R-nprm-asset-inventory-review", "R-nprm-vulnerability-scan-interval"]);
    expect(r2.riskChanges?.removed).toEqual([]);
  });
});
