import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HistorySession } from "../../../src/cli/history-run.js";
import { UsageError } from "../../../src/core/errors.js";
import type { FactsDocument, Report } from "../../../src/core/model.js";
import { verifyChain } from "../../../src/history/chain.js";
import { HistoryError } from "../../../src/history/errors.js";
import { historySource } from "../../../src/history/merge-source.js";
import type { RunRecord } from "../../../src/history/record.js";
import { verifyIndexes } from "../../../src/history/run-index.js";
import { SqliteStore } from "../../../src/history/sqlite.js";
import { mergeShards } from "../../../src/merge.js";
import { evaluateFacts, prepare, type Prepared, type RunOptions } from "../../../src/pipeline.js";
import { reportFromJson } from "../../../src/report/read.js";
import { selectShard, shardOf } from "../../../src/shard.js";
import { cli } from "../../helpers/cli.js";
import { FLEET, FLEET_RUN, collectFleet, expectEqualToUnsharded } from "../../helpers/shard-fleet.js";

/**
 * `merge --history --group G`: N shards of the fleet (test/helpers/shard-fleet.ts: real Debian
 * captures replayed through the real pipeline, plus refusing and broken hosts) are judged and
 * recorded as the CLI does it (HistorySession: site facts from the history, drift, the chain) in
 * a SQLite history under this test's temporary directory; the report merged from the history
 * equals the unsharded run's. With documented alternative measures (one current, one past its
 * review date), so the record must keep what a finding's alternative changes.
 */
const dir = mkdtempSync(join(tmpdir(), "hs-merge-history-"));
const N = 4;
const alternatives = join(dir, "alternatives.yaml");
writeFileSync(
  alternatives,
  `alternatives:
  - rule: linux-shell-idle-timeout
    justification: Every console is in a locked room and sessions end when the badge reader loses the badge.
    owner: Practice manager
    reviewBy: 2999-01-01
  - rule: linux-ssh-idle-logout
    targets: ["ssh://scan@h1", "ssh://scan@h6", "ssh://scan@h11"]
    justification: The jump box closes idle sessions itself; reviewed once and never again since then.
    owner: IT lead
    reviewBy: 2020-01-01
`,
);
const run: RunOptions = { ...FLEET_RUN, alternatives };
let prepared: Prepared;
let unsharded: Report;

/** Judges and records one shard as `scan --shard K/N --group G --history DB` does. */
async function recordShard(db: string, k: number, group: string): Promise<Report> {
  const { targets, tag } = selectShard(FLEET, { index: k, count: N }, group);
  const history = HistorySession.prepare({ history: db });
  await history.open(targets.map((t) => t.id));
  try {
    const facts: FactsDocument = { ...(await collectFleet(targets)), shard: tag };
    history.joinLoginHistory(facts.targets);
    return await history.finish(evaluateFacts(facts, { ...run, siteFacts: history.siteFacts, riskHistory: history.riskHistory }, prepared), facts, "scan");
  } finally {
    await history.close();
  }
}

async function withStore<T>(db: string, fn: (s: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const db = join(dir, "history.db");
const records = async (file: string): Promise<RunRecord[]> => withStore(file, async (s) => (await s.entries()).map((e) => JSON.parse(e.record!) as RunRecord));

beforeAll(async () => {
  prepared = await prepare(run);
  unsharded = evaluateFacts(await collectFleet(FLEET), run, prepared);
  for (let k = 1; k <= N; k++) await recordShard(db, k, "site-a");
}, 60_000);

describe("merge --history --group", () => {
  it("has a fleet with passes, fails, errors, a current and an expired alternative, and a site finding in the later shards", async () => {
    expect(unsharded.summary.byStatus).toMatchObject({ pass: expect.any(Number), fail: expect.any(Number), error: expect.any(Number) });
    expect(unsharded.summary.byStatus.pass).toBeGreaterThan(0);
    expect(unsharded.findings.some((f) => f.alternative)).toBe(true);
    expect(unsharded.findings.some((f) => f.status === "fail" && f.message.includes("no longer counts"))).toBe(true);
    const recs = await records(db);
    expect(recs.some((r) => r.findings.some((f) => f.target.kind === "site" && f.status !== "manual"))).toBe(true);
  });

  it("of N shards recorded in the history equals the unsharded run (findings as sets, summary, catalog, targets, gate)", async () => {
    const outcome = await withStore(db, (s) => mergeShards(historySource(s, "site-a"), run, prepared));
    expect(outcome.present).toEqual([1, 2, 3, 4]);
    expect(outcome.missing).toEqual([]);
    expectEqualToUnsharded(outcome.report, unsharded);
    expect(outcome.report.summary.gate).toEqual(unsharded.summary.gate);
    expect(outcome.report.shard).toBeUndefined();
  });

  it("keeps the shard tag and whole findings in a shard's record, inside the chain: verify and the drift indexes check", async () => {
    const recs = await records(db);
    expect(recs.map((r) => [r.shard?.group, r.shard?.index, r.shard?.count])).toEqual([1, 2, 3, 4].map((k) => ["site-a", k, N]));
    expect(recs.map((r) => r.id)).toEqual([1, 2, 3, 4].map((k) => expect.stringMatching(new RegExp(`^site-a\\+${k}of4-\\d{8}T\\d{6}Z-[0-9a-f]{6}$`))));
    const pass = recs[0]!.findings.find((f) => f.status === "pass")!;
    expect(pass.message).not.toBe("");
    expect(pass.title).not.toBe("");
    expect(typeof pass.remediation).toBe("string");
    expect(recs.flatMap((r) => r.findings).find((f) => f.alternative)?.alternative).toMatchObject({ owner: "Practice manager", reviewBy: "2999-01-01" });
    expect(recs[0]!.targets.every((t) => typeof t.collector === "string" && Array.isArray(t.notes))).toBe(true);
    await withStore(db, async (s) => {
      expect(verifyChain(await s.entries())).toMatchObject({ ok: true, entries: 4 });
      expect(verifyIndexes(await s.entries(), await s.runIndexes())).toMatchObject({ ok: true, indexed: 4 });
    });
  });

  it("leaves an unsharded run's record as it was: no shard tag, passes trimmed, a plain run id", async () => {
    const other = join(dir, "unsharded.db");
    const history = HistorySession.prepare({ history: other });
    await history.open(FLEET.map((t) => t.id));
    try {
      const facts = await collectFleet(FLEET);
      await history.finish(evaluateFacts(facts, run, prepared), facts, "scan");
    } finally {
      await history.close();
    }
    const [rec] = await records(other);
    expect(rec!.shard).toBeUndefined();
    expect(rec!.id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    const pass = rec!.findings.find((f) => f.status === "pass")!;
    expect([pass.message, pass.title, pass.evidence, pass.remediation]).toEqual(["", "", [], undefined]);
    expect(rec!.findings.find((f) => f.alternative)?.alternative).toBe(true);
    expect(rec!.targets[0]).not.toHaveProperty("collector");
    // An unsharded run is not a group's shard.
    const err = await withStore(other, (s) => historySource(s, "site-a").parts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
  });

  it("makes a missing shard's targets errors, never passes, and the gate at least 3", async () => {
    const partial = join(dir, "partial.db");
    for (const k of [1, 2, 4]) await recordShard(partial, k, "site-b");
    const outcome = await withStore(partial, (s) => mergeShards(historySource(s, "site-b"), { ...run, failOn: "none" }, prepared));
    const lost = FLEET.filter((t) => shardOf(t.id, N) === 3).map((t) => t.id);
    expect(lost.length).toBeGreaterThan(0);
    expect(outcome.missing).toEqual([{ index: 3, targets: lost.length }]);
    const byId = new Map(outcome.report.targets.map((t) => [t.id, t]));
    for (const id of lost) expect(byId.get(id)).toMatchObject({ status: "error", statusReason: expect.stringMatching(/shard 3\/4 of run group site-b delivered no result/) });
    const theirs = outcome.report.findings.filter((f) => lost.includes(f.target.id));
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.filter((f) => f.status === "pass")).toEqual([]);
    expect(outcome.report.targets.length).toBe(FLEET.length);
    // --fail-on none: nothing fails the gate, so only the missing shard keeps it from 0.
    expect(outcome.report.summary.gate.exitCode).toBe(3);
  });

  it("merges the newest run of a shard recorded twice, and says so", async () => {
    const twice = join(dir, "twice.db");
    for (const k of [1, 2, 3, 4, 2]) await recordShard(twice, k, "site-c");
    const ids = (await records(twice)).map((r) => r.id);
    const notes: string[] = [];
    const outcome = await withStore(twice, (s) => mergeShards(historySource(s, "site-c", (l) => notes.push(l)), run, prepared));
    expect(notes).toEqual([`shard 2/4 of run group site-c was recorded more than once: merging the newest run, ${ids[4]} (not ${ids[1]})`]);
    expectEqualToUnsharded(outcome.report, unsharded);
  });

  it("lists only the group's runs, not a group whose name it starts", async () => {
    // `site-a` and `site-a-2` share a prefix; the `+` after the group keeps their runs apart.
    const shared = join(dir, "shared.db");
    for (const k of [1, 2]) await recordShard(shared, k, "site-a-2");
    for (const k of [1, 2, 3, 4]) await recordShard(shared, k, "site-a");
    const outcome = await withStore(shared, (s) => mergeShards(historySource(s, "site-a"), run, prepared));
    expectEqualToUnsharded(outcome.report, unsharded);
    const two = await withStore(shared, (s) => mergeShards(historySource(s, "site-a-2"), run, prepared));
    expect(two.present).toEqual([1, 2]);
  });

  it("refuses a group with no runs (a usage error) and a shard's record edited in the store", async () => {
    const none = await withStore(db, (s) => historySource(s, "site-z").parts()).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(UsageError);
    expect((none as Error).message).toMatch(/^no run of group site-z in the history .*history\.db: record the shards with scan --shard K\/N --group site-z --history …$/);
    const edited = join(dir, "edited.db");
    await recordShard(edited, 1, "site-d");
    await withStore(edited, async (s) => {
      const id = (await s.list())[0]!.id;
      // A failing finding turned into a pass in the stored record, as someone with write access could.
      // The stored record is gzip-compressed: read it, edit it, write it back as text.
      const edited = (await s.get(id))!.record!.replace('"status":"fail"', '"status":"pass"');
      (s as unknown as { db: { prepare(q: string): { run(...a: unknown[]): void } } }).db.prepare("UPDATE chain SET record = ? WHERE id = ?").run(edited, id);
      const err = await historySource(s, "site-d").parts().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HistoryError);
      expect((err as Error).message).toBe(`run ${id} in the history does not match its chain hash (edited?): run hipaa-scan history verify`);
    });
  });
});

describe("hipaa-scan merge --history (CLI)", () => {
  const f = (name: string) => join(dir, name);

  it("merges shards evaluated into the history as merge of their files does, and records nothing", () => {
    const h = f("cli.db");
    for (const k of [1, 2]) {
      expect(cli(["collect", "local", "--shard", `${k}/2`, "--group", "cli-a", "--quiet", "-o", f(`cli-s${k}.json`)]).code).toBe(0);
      const r = cli(["evaluate", f(`cli-s${k}.json`), "--history", h, "--quiet", "--format", "json", "--output", f(`cli-r${k}.json`)]);
      expect(r.stderr).toBe("");
    }
    const fromHistory = cli(["merge", "--history", h, "--group", "cli-a", "--format", "json", "--output", f("cli-h.json"), "--quiet"]);
    const fromFiles = cli(["merge", f("cli-s1.json"), f("cli-s2.json"), "--format", "json", "--output", f("cli-f.json"), "--quiet"]);
    expect(fromHistory.stderr).toBe("");
    expect(fromHistory.code).toBe(fromFiles.code);
    const read = (name: string): Report => reportFromJson(JSON.parse(readFileSync(f(name), "utf8")), name);
    const [a, b] = [read("cli-h.json"), read("cli-f.json")];
    expect(a.findings.filter((x) => x.target.kind !== "site")).toEqual(b.findings.filter((x) => x.target.kind !== "site"));
    expect(a.targets).toEqual(b.targets);
    expect(cli(["history", "list", "--history", h]).stdout).toMatch(/^2 run\(s\)/m);
  }, 60_000);

  it("with no value reads the default store (HIPAA_SCAN_HISTORY)", () => {
    const r = cli(["merge", "--history", "--group", "cli-a", "--format", "json", "--output", f("cli-d.json"), "--quiet"], { env: { HIPAA_SCAN_HISTORY: f("cli.db") } });
    expect(r.stderr).toBe("");
    expect(JSON.parse(readFileSync(f("cli-d.json"), "utf8")).targets).toHaveLength(1);
  });

  it.each([
    ["files and --history together", ["merge", "a.json", "--history", "x.db", "--group", "g"], /^hipaa-scan: merge reads either the shards' files or --history --group G, not both\n$/],
    ["--history without --group", ["merge", "--history", "x.db"], /^hipaa-scan: merge --history needs --group G, the run group the shards were scanned with\n$/],
    ["--group with files", ["merge", "a.json", "--group", "g"], /^hipaa-scan: --group goes with --history: merge FILE… takes the run group from the files\n$/],
    ["neither files nor --history", ["merge"], /^hipaa-scan: merge needs the shards' facts files or JSON reports, or --history \[URL\] --group G\n$/],
    ["a history file that does not exist", ["merge", "--history", "/nonexistent/h.db", "--group", "g"], /^hipaa-scan: no history store at \/nonexistent\/h\.db\n$/],
  ])("exits 2 with one line on %s", (_name, args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("exits 2 with one line on a group with no runs", () => {
    const r = cli(["merge", "--history", f("cli.db"), "--group", "nobody"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hipaa-scan: no run of group nobody in the history .*cli\.db: record the shards with scan --shard K\/N --group nobody --history …\n$/);
  });

  it("merge --help declares --history [path|url] and --group with an example", () => {
    const r = cli(["merge", "--help"]);
    expect(r.stdout).toContain("--history [path|url]");
    expect(r.stdout).toContain("--group <name>");
    expect(r.stdout).toMatch(/\$ hipaa-scan merge --history postgres:\/\/\S+ --group \S+/);
  });
});
