import { mkdtempSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../../src/cli/main.js";
import { formatProblem, RulePackError } from "../../../src/core/errors.js";
import { evaluateFacts, prepare } from "../../../src/pipeline.js";
import { addDays, initPlan } from "../../../src/plan/init.js";
import { parsePlan } from "../../../src/plan/load.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { registerChanges } from "../../../src/risk/history.js";
import { nprmHistoryFindings } from "../../../src/risk/nprm-history.js";
import { splitRiskParams } from "../../../src/risk/params.js";
import { siteFacts } from "./site.js";

const today = new Date().toISOString().slice(0, 10);
const params = splitRiskParams({}).risk;

async function siteReport(extra: { plan?: string; rulePaths?: string[] } = {}) {
  const runOpts = { rulePaths: extra.rulePaths ?? [], params: {}, failOn: "high" as const, ...(extra.plan ? { plan: extra.plan } : {}) };
  return evaluateFacts(siteFacts(), runOpts, await prepare(runOpts));
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof RulePackError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

describe("remediation plan", () => {
  it("plan init gives each risk an owner, a status and a due date from its priority", async () => {
    const report = await siteReport();
    const plan = initPlan(report.risks!, params, "2026-01-01");
    expect(plan.items.map((i) => i.risk)).toEqual(report.risks!.map((r) => r.id));
    for (const [i, r] of report.risks!.entries()) {
      const days = { critical: 15, high: 30, medium: 90, low: 180 }[r.priority as "critical" | "high" | "medium" | "low"];
      expect(plan.items[i]).toMatchObject({ owner: "unassigned", status: "open", due: addDays("2026-01-01", days) });
    }
    const tuned = initPlan(report.risks!, splitRiskParams({ "plan.due_high_days": "7" }).risk, "2026-01-01");
    const high = tuned.items.find((_, i) => report.risks![i]!.priority === "high");
    if (high) expect(high.due).toBe("2026-01-08");
  });

  it("rejects a bad plan file with file:line:col, and accepted items need a justification and a review date", () => {
    const text = "format: hipaa-scan-plan\nversion: 1\ncreated: 2026-01-01\nitems:\n  - risk: R-x\n    title: t\n    level: high\n    owner: me\n    due: 2026-02-01\n    status: accepted\n  - risk: R-y\n    title: t\n    level: low\n    owner: me\n    due: soon\n    status: open\n";
    const found = problems(() => parsePlan("plan.yaml", text));
    expect(found.some((p) => /^plan\.yaml:5:\d+: .*justification.*accepted needs/.test(p))).toBe(true);
    expect(found.some((p) => /^plan\.yaml:15:10: \/items\/1\/due must match format "date"/.test(p))).toBe(true);
  });

  it("round-trips: plan init, then scan --plan shows states, resolved items, done-but-failing, and overdue fails the gate", async () => {
    const report = await siteReport();
    const plan = initPlan(report.risks!, params, today);
    const [a, b, c] = plan.items;
    a!.due = addDays(today, -3); // overdue
    b!.status = "done"; // still failing
    c!.status = "accepted";
    c!.justification = "Compensating control: the system is isolated on its own VLAN.";
    c!.reviewBy = addDays(today, 30);
    plan.items.push({ risk: "R-gone-rule", title: "Fixed earlier", level: "low", owner: "it", due: today, status: "in-progress" });
    const dir = mkdtempSync(join(tmpdir(), "hsr-plan-"));
    const file = join(dir, "plan.yaml");
    const { renderPlan } = await import("../../../src/plan/init.js");
    writeFileSync(file, renderPlan(plan));
    const withPlan = await siteReport({ plan: file });
    expect(withPlan.plan).toMatchObject({ items: plan.items.length, overdue: [a!.risk], doneButFailing: [b!.risk] });
    expect(withPlan.plan!.resolved).toEqual([{ risk: "R-gone-rule", title: "Fixed earlier", status: "in-progress" }]);
    expect(withPlan.risks!.find((r) => r.id === c!.risk)!.plan!.state).toBe("accepted");
    const overdue = withPlan.findings.filter((f) => f.ruleId === "plan-overdue");
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ status: "fail", hipaa: ["164.308(a)(1)(ii)(B)"] });
    expect(withPlan.summary.gate.exitCode).toBe(1);
    expect(withPlan.catalog.find((e) => e.citation === "164.308(a)(1)(ii)(B)")!.outcome).toBe("fail");
    expect(reporters.markdown(withPlan, { verbose: false, style: plainStyle })).toContain("Resolved: Fixed earlier");
  });

  it("plan init from the CLI writes the plan 0600 and keeps existing items", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hsr-plan-cli-"));
    const reportFile = join(dir, "report.json");
    writeFileSync(reportFile, reporters.json(await siteReport(), { verbose: false, style: plainStyle }));
    const out = join(dir, "plan.yaml");
    expect(await run(["plan", "init", reportFile, "-o", out])).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const first = parsePlan(out, readFileSync(out, "utf8"));
    first.items[0]!.owner = "dr-smith";
    const { renderPlan } = await import("../../../src/plan/init.js");
    writeFileSync(out, renderPlan(first));
    expect(await run(["plan", "init", reportFile, "-o", out])).toBe(0);
    expect(parsePlan(out, readFileSync(out, "utf8")).items[0]!.owner).toBe("dr-smith");
    expect(await run(["plan", "init", join(dir, "missing.json"), "-o", out])).toBe(2);
  });
});

describe("history inputs of the risk analysis (pure parts)", () => {
  it("register changes since the last run", () => {
    const changes = registerChanges({ runId: "r1", finishedAt: "2026-01-01T00:00:00Z", risks: [{ id: "R-a", title: "a", level: 3 }, { id: "R-b", title: "b", level: 4 }, { id: "R-c", title: "c", level: 2 }, { id: "R-e", title: "e", level: 2 }] }, [
      { id: "R-a", title: "a", level: 4 },
      { id: "R-c", title: "c", level: 1 },
      { id: "R-d", title: "d", level: 2 },
      { id: "R-e", title: "e", level: 2 },
    ]);
    expect(changes).toEqual({
      since: "2026-01-01T00:00:00Z",
      baselineRunId: "r1",
      added: [{ id: "R-d", title: "d", level: 2 }],
      removed: [{ id: "R-b", title: "b", level: 4 }],
      raised: [{ id: "R-a", title: "a", from: 3, to: 4 }],
      lowered: [{ id: "R-c", title: "c", from: 2, to: 1 }],
      unchanged: 1,
    });
    expect(registerChanges(undefined, [])).toBeUndefined();
  });

  it("inventory reviewed within 12 months and vulnerability scans every 6 months", () => {
    const now = { finishedAt: "2026-12-01T00:00:00Z", assetInventory: true, networkScan: true };
    const none = nprmHistoryFindings(undefined, now);
    expect(none.map((f) => f.status)).toEqual(["error", "error"]);
    const good = nprmHistoryFindings(
      { runs: [{ finishedAt: "2026-06-10T00:00:00Z", assetInventory: true, networkScan: true, reviewedAt: "2026-06-12T00:00:00Z" }, { finishedAt: "2025-12-20T00:00:00Z", assetInventory: true, networkScan: true }] },
      now,
    );
    expect(good.map((f) => f.status)).toEqual(["pass", "pass"]);
    expect(good[0]!.message).toMatch(/review of an earlier one is 172 day/);
    // Recorded runs but no recorded review: the inventory was updated, not reviewed.
    const unreviewed = nprmHistoryFindings({ runs: [{ finishedAt: "2026-06-10T00:00:00Z", assetInventory: true, networkScan: true }] }, now);
    expect(unreviewed[0]!.status).toBe("fail");
    expect(unreviewed[0]!.message).toMatch(/no review of an asset inventory is recorded/);
    const gap = nprmHistoryFindings(
      { runs: [{ finishedAt: "2025-11-01T00:00:00Z", assetInventory: true, networkScan: true, reviewedAt: "2025-11-02T00:00:00Z" }, { finishedAt: "2026-01-05T00:00:00Z", assetInventory: false, networkScan: true }] },
      now,
    );
    expect(gap.map((f) => f.status)).toEqual(["fail", "fail"]);
    expect(gap[0]!.message).toMatch(/last recorded review of an asset inventory is 394 day/);
    expect(gap[1]!.message).toMatch(/longest gap 330 day/);
    for (const f of [...none, ...good]) expect(f.title).toMatch(/^Proposed rule \(90 FR 898\)/);
  });
});

describe("--pack hipaa-nprm-2025", () => {
  it("runs, and every one of its findings is labelled proposed in JSON, Markdown and HTML", async () => {
    const { packPaths } = await import("../../../src/engine/opt-in-packs.js");
    const report = await siteReport({ rulePaths: packPaths(["hipaa-nprm-2025"]) });
    const nprm = report.findings.filter((f) => f.ruleId.startsWith("nprm-"));
    expect(nprm.length).toBeGreaterThan(5);
    for (const f of nprm) {
      expect(f.title).toMatch(/^Proposed rule \(90 FR 898\)/);
      if (f.status === "pass" || f.status === "fail") expect(f.message).toMatch(/^\[proposed rule\]/);
    }
    expect(report.rulePacks.find((p) => p.id === "hipaa-nprm-2025")).toBeDefined();
    expect(reporters.markdown(report, { verbose: false, style: plainStyle })).toContain("**Proposed rule.**");
    expect(reporters.html(report, { verbose: false, style: plainStyle })).toContain('class="proposed"');
    expect(() => packPaths(["hipaa-nprm-2099"])).toThrow(/unknown pack/);
  });
});
