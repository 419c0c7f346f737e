import { readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { collectOptions } from "../../../src/collectors/options.js";
import type { Collector, CollectorRegistry } from "../../../src/collectors/types.js";
import { TransportError } from "../../../src/core/errors.js";
import type { FactsDocument, Report, TargetFacts, TargetSpec } from "../../../src/core/model.js";
import { parseTarget } from "../../../src/core/targets.js";
import { FactsSpool } from "../../../src/facts/spool.js";
import { factsOf } from "../../helpers/facts.js";
import { buildRunRecord } from "../../../src/history/record.js";
import { scan, type RunOptions } from "../../../src/pipeline.js";
import { parseLinux } from "../../../src/probes/linux/index.js";
import { splitSections } from "../../../src/probes/sections.js";

/**
 * Flat memory (issue 14): a scan whose finished targets go to the spool (each evaluated at once,
 * only a compact projection kept) gives the same report, run record and facts file as a scan that
 * keeps every target whole. The fleet replays the five real Debian captures in fixtures/linux/
 * (see each PROVENANCE.md) through the real pipeline, plus refusing hosts.
 */

const FIXTURES = fileURLToPath(new URL("../../../fixtures/linux/", import.meta.url));
const CASES = ["debian12-root", "debian12-nonroot", "debian12-hardened", "debian12-hardened-nonroot", "debian12-root-aptget"];
const raw = CASES.map((name) => ({
  out: readFileSync(`${FIXTURES}${name}/probe-output.txt`, "utf8"),
  mark: readFileSync(`${FIXTURES}${name}/mark.txt`, "utf8").trim(),
  date: /date=(\S+)/.exec(readFileSync(`${FIXTURES}${name}/run.txt`, "utf8"))![1]!,
}));

/** ssh://scan@hN parses capture N mod 5 afresh (as the SSH collector does); refused-N is unreachable. */
const replay: Collector = {
  name: "replay",
  async collect(t: TargetSpec): Promise<TargetFacts> {
    if (t.host!.startsWith("refused")) throw new TransportError("unreachable", `connect ECONNREFUSED ${t.host}:22`);
    const r = raw[Number(/\d+$/.exec(t.host!)![0]) % raw.length]!;
    const { facts, sources } = parseLinux(splitSections(r.out, r.mark), new Date(r.date));
    // Finish out of order, as real hosts do.
    await new Promise((res) => setTimeout(res, (Number(/\d+$/.exec(t.host!)![0]) * 7) % 11));
    return { target: { kind: "host", id: t.id }, status: "ok", collector: "host/ssh", collectedAt: r.date, tags: { ephi: t.host!.endsWith("3") }, facts, sources, notes: [] };
  },
};
const none = async () => {
  throw new Error("not used");
};
const registry: CollectorRegistry = { local: none, ssh: async () => replay, winrm: none, winrms: none, ldap: none, ldaps: none, network: none };
const TARGETS = [...Array.from({ length: 23 }, (_, i) => `ssh://scan@h${i}`), "ssh://scan@refused-1"].map((t) => parseTarget(t));
const run: RunOptions = { rulePaths: [], params: {}, failOn: "high" };
const clock = () => new Date("2026-12-01T12:00:00.000Z");
const req = () => ({ targets: TARGETS, options: collectOptions({ timeoutMs: 10_000 }), concurrency: 6, secrets: { password: async () => undefined }, registry });

let whole: { report: Report; facts: FactsDocument };
let spooled: { report: Report; facts: FactsDocument; spool: FactsSpool };

beforeAll(async () => {
  // Both runs start at the same (fake) time, so their failed targets' collection times agree too.
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-01T11:00:00.000Z") });
  let facts: FactsDocument | undefined;
  const report = await scan(run, req(), { clock, collected: async (f) => void (facts = f) });
  whole = { report, facts: facts! };
  const spool = new FactsSpool();
  let kept: FactsDocument | undefined;
  const r2 = await scan(run, req(), {
    clock,
    keep: (t, i) => spool.add(i, t),
    collected: async (f) => {
      kept = f;
      spool.rememberDigest(f.targets);
    },
  });
  spooled = { report: r2, facts: kept!, spool };
}, 60_000);
afterAll(() => vi.useRealTimers());

describe("a scan that spools its finished targets", () => {
  it("gives the same report as one that keeps them whole", () => {
    expect(whole.report.findings.length).toBeGreaterThan(23 * 30);
    expect(whole.report.assets).toBeDefined();
    expect(JSON.stringify(spooled.report, null, 2)).toBe(JSON.stringify(whole.report, null, 2));
  });

  it("gives the same run record for the history, facts hashes of the full facts included", () => {
    const a = buildRunRecord(whole.report, whole.facts, "scan", "r1");
    const b = buildRunRecord(spooled.report, spooled.facts, "scan", "r1");
    expect(b.factsSha256).toBe(a.factsSha256);
    expect(b.targets.map((t) => t.factsSha256)).toEqual(a.targets.map((t) => t.factsSha256));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("writes the same facts file (--save-facts) from the spool", () => {
    expect([...spooled.spool.factsFileChunks(spooled.facts)].join("")).toBe(`${JSON.stringify(whole.facts, null, 2)}\n`);
    expect([...spooled.spool.targets()]).toEqual(JSON.parse(JSON.stringify(whole.facts.targets)));
  });

  it("keeps of each host only its status, notes and the os, activity, scan and account names", () => {
    const ok = spooled.facts.targets.filter((t) => t.status === "ok");
    expect(ok.length).toBe(23);
    for (const t of ok) {
      expect(Object.keys(t.facts).sort()).toEqual(["accounts", "activity", "os"]);
      expect(t.sources).toEqual({});
      const users = (factsOf(t, "host").accounts as { users: object[] }).users;
      for (const u of users) expect(Object.keys(u)).toEqual(["name"]);
    }
    expect(JSON.stringify(spooled.facts.targets).length).toBeLessThan(JSON.stringify(whole.facts.targets).length / 3);
  });

  it("an empty spool writes the facts file JSON.stringify writes", () => {
    const spool = new FactsSpool();
    const doc = { ...whole.facts, targets: [] };
    expect([...spool.factsFileChunks(doc)].join("")).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    spool.close();
  });

  it("leaves no file on disk, even before it is closed", () => {
    const spool = new FactsSpool();
    spool.add(0, whole.facts.targets[0]!);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith("hipaa-scan-spool-"))).toEqual([]);
    expect([...spool.targets()][0]!.target.id).toBe(whole.facts.targets[0]!.target.id);
    spool.close();
    spooled.spool.close();
  });
});
