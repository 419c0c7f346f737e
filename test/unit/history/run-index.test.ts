import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Evidence } from "../../../src/core/model.js";
import { evaluateFacts, prepare } from "../../../src/pipeline.js";
import { computeDrift, trendOf } from "../../../src/history/drift.js";
import { buildRunRecord, findingKey, type RunRecord } from "../../../src/history/record.js";
import { buildRunIndex, failingKeys, indexFailingKeys, indexFromRecordText, lightRun, loadChangedEvidence, storedIndex, verifyIndexes, type RunIndex } from "../../../src/history/run-index.js";
import { canonicalJson } from "../../../src/history/canonical.js";
import { ROOT } from "../../helpers/cli.js";

/**
 * The drift index (src/history/run-index.ts) must give exactly the drift the whole records give.
 * Records come from the golden facts evaluated by the built-in packs (3 targets: passes, failures,
 * errors with evidence); the second run changes findings across every transition drift knows.
 */
const golden = JSON.parse(readFileSync(join(ROOT, "test/data/golden-facts.json"), "utf8"));
const run = { rulePaths: [], params: {}, failOn: "high" as const };
const prepared = await prepare(run);
const first = buildRunRecord(evaluateFacts(golden, run, prepared), golden, "scan", "run-a");

function changedRun(): RunRecord {
  const r = structuredClone(first);
  r.id = "run-b";
  r.startedAt = "2026-03-09T09:00:00.000Z";
  const by = (status: string) => r.findings.filter((f) => f.status === status);
  const [pass1, pass2] = by("pass");
  const [fail1, fail2, fail3, fail4] = by("fail");
  const [err1, err2] = by("error");
  const ev = (fact: string, observed: unknown): Evidence[] => [{ fact, observed, expected: "x" }];
  // pass → fail (new), error → fail with other evidence (new, facts from the error's evidence)
  Object.assign(pass1!, { status: "fail", message: "now failing", evidence: ev("a.b", 1) });
  Object.assign(err1!, { status: "fail", message: "now failing too", evidence: ev("c.d", 2) });
  // fail → pass, fail → error (resolved), fail → fail with other evidence (persisting, changed)
  Object.assign(fail1!, { status: "pass", message: "", evidence: [] });
  Object.assign(fail2!, { status: "error", message: "could not check", evidence: ev("e.f", null) });
  fail3!.evidence = [...fail3!.evidence, ...ev("g.h", ["eve"])];
  // a failing finding disappears (its rule no longer ran) and an error keeps its evidence
  r.findings = r.findings.filter((f) => f !== fail4);
  void pass2;
  void err2;
  return r;
}
const second = changedRun();

/** What `history diff` does with two stored indexes. */
async function viaIndex(newer: RunRecord, older: RunRecord) {
  const parse = (r: RunRecord) => {
    const s = storedIndex(r);
    return { index: JSON.parse(s.data) as RunIndex, pool: JSON.parse(s.evidence) as Evidence[][] };
  };
  const [n, o] = [parse(newer), parse(older)];
  const reads: string[] = [];
  const a = lightRun(n.index, async () => (reads.push(newer.id), n.pool), indexFailingKeys(o.index));
  const b = lightRun(o.index, async () => (reads.push(older.id), o.pool), indexFailingKeys(n.index));
  await loadChangedEvidence(a, b);
  return { drift: computeDrift(a.record, { record: b.record, source: "history" }), trend: trendOf([b.record, a.record]), reads };
}

describe("drift index", () => {
  it("gives the same drift and trend as the whole records, for every kind of change", async () => {
    const whole = computeDrift(second, { record: first, source: "history" });
    expect(whole.findings.new.length).toBe(2);
    expect(whole.findings.resolved.length).toBeGreaterThanOrEqual(3);
    expect(whole.findings.persisting.some((p) => p.changes?.some((c) => c.fact === "g.h"))).toBe(true);
    const fast = await viaIndex(second, first);
    expect(fast.drift).toEqual(whole);
    expect(fast.trend).toEqual(trendOf([first, second]));
    // And the other way round (everything new becomes resolved).
    expect((await viaIndex(first, second)).drift).toEqual(computeDrift(first, { record: second, source: "history" }));
  });

  it("reads no evidence when no finding's evidence changed", async () => {
    const same = { ...structuredClone(first), id: "run-c" };
    const fast = await viaIndex(same, first);
    expect(fast.reads).toEqual([]);
    expect(fast.drift).toEqual(computeDrift(same, { record: first, source: "history" }));
  });

  it("keeps only failing findings and the other run's failing keys; shares repeated evidence", () => {
    const s = storedIndex(first);
    const index = JSON.parse(s.data) as RunIndex;
    const pool = JSON.parse(s.evidence) as Evidence[][];
    expect(index.findings.length).toBe(first.findings.length * 6);
    expect(pool.length).toBe(new Set(first.findings.filter((f) => f.evidence.length > 0).map((f) => canonicalJson(f.evidence))).size);
    const light = lightRun(index, async () => pool);
    expect(light.record.findings.map(findingKey)).toEqual(first.findings.filter((f) => f.status === "fail").map(findingKey));
    const against = lightRun(index, async () => pool, failingKeys(second.findings));
    const wanted = new Set(second.findings.filter((f) => f.status === "fail").map(findingKey));
    expect(against.record.findings.map(findingKey)).toEqual(first.findings.filter((f) => f.status === "fail" || wanted.has(findingKey(f))).map(findingKey));
    // Without evidence, every materialised finding is as recorded.
    const recorded = new Map(first.findings.map((f) => [findingKey(f), f]));
    for (const f of against.record.findings) expect({ ...f, evidence: recorded.get(findingKey(f))!.evidence }).toEqual(recorded.get(findingKey(f)));
  });

  it("verify rebuilds each index from its record: an edited index or one without a record is named", () => {
    const text = canonicalJson(first);
    const stored = storedIndex(first);
    expect(indexFromRecordText(text)).toEqual(stored);
    expect(stored.data).toBe(canonicalJson(buildRunIndex(first).index));
    expect(indexFromRecordText('{"n":1}')).toBeUndefined();
    const rows = [{ seq: 1, id: "run-a", kind: "run", record: text }];
    expect(verifyIndexes(rows, new Map([[1, stored]]))).toEqual({ ok: true, indexed: 1 });
    expect(verifyIndexes(rows, new Map())).toEqual({ ok: true, indexed: 0 });
    const edited = { ...stored, data: stored.data.replace('"fail"', '"pass"') };
    expect(verifyIndexes(rows, new Map([[1, edited]])).problem).toMatchObject({ id: "run-a", reason: expect.stringMatching(/does not match its record/) });
    const pool = { ...stored, evidence: stored.evidence.replace('"fact"', '"fakt"') };
    expect(verifyIndexes(rows, new Map([[1, pool]])).problem).toMatchObject({ id: "run-a" });
    expect(verifyIndexes([{ ...rows[0]!, record: null }], new Map([[1, stored]])).problem).toMatchObject({ reason: expect.stringMatching(/no run record/) });
  });
});
