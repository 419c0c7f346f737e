import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import type { FactsDocument, Report } from "../../../src/core/model.js";
import { fileSource, mergeShards, type MergeSource } from "../../../src/merge.js";
import { evaluateFacts, prepare, type Prepared } from "../../../src/pipeline.js";
import { reportFromJson } from "../../../src/report/read.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { selectShard, shardOf } from "../../../src/shard.js";
import { FLEET, FLEET_RUN, collectFleet, expectEqualToUnsharded as expectSame } from "../../helpers/shard-fleet.js";

/**
 * merge of N shards equals the unsharded run. The fleet (test/helpers/shard-fleet.ts) replays real
 * probe captures through the real pipeline (collectFacts with a replaying collector, evaluateFacts
 * with the built-in rules), plus hosts that refuse or break.
 */
const [TARGETS, run, collect] = [FLEET, FLEET_RUN, collectFleet];
const N = 4;
let prepared: Prepared;
let unsharded: Report;
const dir = mkdtempSync(join(tmpdir(), "hs-merge-"));
const factsFile = (k: number) => join(dir, `shard-${k}.facts.json`);
const reportFile = (k: number) => join(dir, `shard-${k}.report.json`);
/** The same report as schema version 1 wrote it (every finding complete, no rules map). */
const reportV1File = (k: number) => join(dir, `shard-${k}.report-v1.json`);

beforeAll(async () => {
  prepared = await prepare(run);
  unsharded = evaluateFacts(await collect(TARGETS), run, prepared);
  for (let k = 1; k <= N; k++) {
    const { targets, tag } = selectShard(TARGETS, { index: k, count: N });
    const facts: FactsDocument = { ...(await collect(targets)), shard: tag };
    writeFileSync(factsFile(k), JSON.stringify(facts));
    const report = evaluateFacts(facts, run, prepared);
    writeFileSync(reportFile(k), reporters.json(report, { verbose: false, style: plainStyle }));
    const { ruleDescriptions: _notInV1, ...v1 } = report;
    writeFileSync(reportV1File(k), `${JSON.stringify(v1, null, 2)}\n`);
  }
}, 60_000);

const expectEqualToUnsharded = (merged: Report) => expectSame(merged, unsharded);

const files = (make: (k: number) => string, ks = [1, 2, 3, 4]) => fileSource(ks.map(make));

describe("merge of N shards", () => {
  it("has a realistic fleet: fails, passes, errors and every shard non-empty", () => {
    expect(unsharded.summary.byStatus.fail).toBeGreaterThan(0);
    expect(unsharded.summary.byStatus.pass).toBeGreaterThan(0);
    expect(unsharded.summary.targets).toMatchObject({ ok: 36, unreachable: 2, error: 1 });
    for (let k = 1; k <= N; k++) expect(TARGETS.some((t) => shardOf(t.id, N) === k)).toBe(true);
  });

  it("of facts files equals the unsharded run (findings as sets, summary, catalog, gate)", async () => {
    expectEqualToUnsharded((await mergeShards(files(factsFile), run, prepared)).report);
  });

  it("of JSON reports equals the unsharded run", async () => {
    expectEqualToUnsharded((await mergeShards(files(reportFile), run, prepared)).report);
  });

  it("of JSON reports of both schema versions (1: every finding complete; 2: rules once) equals the unsharded run", async () => {
    expect(JSON.parse(readFileSync(reportV1File(1), "utf8")).format).toBeUndefined();
    expect(JSON.parse(readFileSync(reportFile(2), "utf8"))).toMatchObject({ format: "hipaa-scan-report", schemaVersion: 2 });
    const source = fileSource([reportV1File(1), reportFile(2), reportV1File(3), reportFile(4)]);
    expectEqualToUnsharded((await mergeShards(source, run, prepared)).report);
  });

  it("of facts and reports mixed equals the unsharded run, in any order of the files", async () => {
    const source = fileSource([reportFile(3), factsFile(1), reportFile(4), factsFile(2)]);
    expectEqualToUnsharded((await mergeShards(source, run, prepared)).report);
  });

  it("makes a missing shard's targets errors, never passes, and fails the gate closed", async () => {
    const outcome = await mergeShards(files(reportFile, [1, 2, 4]), run, prepared);
    const lost = TARGETS.filter((t) => shardOf(t.id, N) === 3).map((t) => t.id);
    expect(lost.length).toBeGreaterThan(0);
    expect(outcome.missing).toEqual([{ index: 3, targets: lost.length }]);
    const byId = new Map(outcome.report.targets.map((t) => [t.id, t]));
    for (const id of lost) expect(byId.get(id)).toMatchObject({ status: "error", statusReason: expect.stringMatching(/shard 3\/4 .* delivered no result/) });
    const theirs = outcome.report.findings.filter((f) => lost.includes(f.target.id));
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.filter((f) => f.status === "pass")).toEqual([]);
    expect(outcome.report.targets.length).toBe(TARGETS.length);
    expect(outcome.report.summary.targets.error).toBe(1 + lost.length);
    expect(outcome.report.summary.gate.exitCode).not.toBe(0);
    expect(outcome.report.summary.gate.incomplete).toBeGreaterThan(unsharded.summary.gate.incomplete);
  });

  it("is never 0 when every shard but one passed and that one is missing", async () => {
    // A clean run over only the refusing hosts' shard would be 3; with it missing the gate is still not 0.
    const outcome = await mergeShards(files(factsFile, [2]), { ...run, failOn: "none" }, prepared);
    expect(outcome.missing.map((m) => m.index)).toEqual([1, 3, 4]);
    expect(outcome.report.summary.gate.exitCode).toBe(3);
  });

  it.each([
    ["the same shard twice", () => fileSource([factsFile(1), reportFile(1)]), /both shard 1\/4/],
    ["a file without a shard tag", () => sourceOf({ ...unsharded, shard: undefined }), /no shard tag/],
    ["shards of another run group", () => sourceOf(retagged(reportFile(2), { group: "other" }), reportFile(1)), /from run group n4-[0-9a-f]{12}, given.json from other/],
    ["shards of another N", () => sourceOf(retagged(reportFile(2), { count: 5 }), reportFile(1)), /is shard 1\/4, given.json is of 5 shards/],
    ["a target that belongs to another shard", () => sourceOf(retagged(reportFile(2), { index: 3 })), /belongs to another shard than 3\/4/],
  ])("refuses %s", async (_name, source, message) => {
    const err = await mergeShards(source(), run, prepared).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });
});

function retagged(file: string, change: Partial<NonNullable<Report["shard"]>>): Report {
  const r = reportFromJson(JSON.parse(readFileSync(file, "utf8")), file);
  return { ...r, shard: { ...r.shard!, ...change } };
}

/** A source of in-memory reports, and files. */
function sourceOf(report: Report, ...more: string[]): MergeSource {
  return {
    async parts() {
      const own = { kind: "report" as const, origin: "given.json", report: reportFromJson(JSON.parse(JSON.stringify(report)), "given.json") };
      return [own, ...(await fileSource(more).parts())];
    },
  };
}
