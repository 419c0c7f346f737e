import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../../src/core/model.js";
import { readLoginHistory } from "../../../src/history/login-sources.js";
import { openStore } from "../../../src/history/location.js";
import { assetsOf, scopeOf } from "../../../src/history/record.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { reportFromJson } from "../../../src/report/read.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { cli } from "../../helpers/cli.js";
import { ehrDbFacts } from "../../helpers/ehr-db-facts.js";

const dir = mkdtempSync(join(tmpdir(), "hsh-activity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOST = "ssh://admin@ehr-db";
const unknown = (reason: string) => ({ unknown: true, reason });
const login = (user: string, i: number) => ({ user, source: "10.0.0.5", time: `2025-12-2${i}T10:00:00.000Z`, line: "pts/0", label: `${user} from 10.0.0.5 at 2025-12-2${i}T10:00:00.000Z` });
const failure = (i: number) => ({ user: "alice", source: "10.0.0.9", time: `2025-12-2${i}T09:00:00.000Z` });

/** ehr-db's facts with a login window: `logins` logins, `failures` failures (or unknown), sudo use by alice (or unknown). */
function factsWith(c: { logins: number; failures: number | null; sudo: number | null; windowDays?: number }) {
  const f = ehrDbFacts();
  f.targets[0].facts.activity = {
    recorded: true,
    windowDays: c.windowDays ?? 30,
    windowStart: "2025-12-01T00:00:00.000Z",
    oldestRecord: "2025-10-01T00:00:00.000Z",
    logins: Array.from({ length: c.logins }, (_, i) => login("alice", i % 10)),
    failures: c.failures === null ? unknown("btmp needs root") : Array.from({ length: c.failures }, (_, i) => failure(i % 10)),
    failureSources: c.failures === null ? unknown("btmp needs root") : [],
    sudo: c.sudo === null ? unknown("no journal or auth.log to read sudo use from") : [{ user: "alice", count: c.sudo }],
    capped: false,
    roster: null,
  };
  return f;
}

type Review = NonNullable<Report["activity"]>[number];
const env = { HIPAA_SCAN_HISTORY: join(dir, "history.db") };

/** `evaluate` of these facts through the real CLI and the SQLite history; the report as read back. */
function run(name: string, facts: unknown, extra: string[] = []): Report {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(facts));
  const out = join(dir, `${name}-report.json`);
  const r = cli(["evaluate", file, "--fail-on", "critical", "--format", "json", "--output", out, ...extra], { env });
  // 3 (incomplete) where unknown counts leave an activity rule unable to judge; never a usage error.
  expect([0, 3], r.stderr).toContain(r.code);
  return reportFromJson(JSON.parse(readFileSync(out, "utf8")), out);
}
const review = (r: Report): Review => r.activity!.find((a) => a.target === HOST)!;
const point = (r: Report) => ({ runId: r.run!.id, finishedAt: r.finishedAt, ...pick(review(r)) });
const pick = (a: Review) => ({ windowDays: a.windowDays, oldestRecord: a.oldestRecord, logins: a.logins, failures: a.failures, sudo: a.sudo });

describe("the Activity section's counts over time, from the history", { timeout: 180_000 }, () => {
  it("the run record keeps a host's counts with its assets, null where unknown, none without login records", () => {
    expect(assetsOf(factsWith({ logins: 3, failures: 12, sudo: 4 }).targets[0]).activity).toEqual({ windowDays: 30, oldestRecord: "2025-10-01T00:00:00.000Z", logins: 3, failures: 12, sudo: 4 });
    expect(assetsOf(factsWith({ logins: 0, failures: null, sudo: null }).targets[0]).activity).toEqual({ windowDays: 30, oldestRecord: "2025-10-01T00:00:00.000Z", logins: 0, failures: null, sudo: null });
    expect(assetsOf(ehrDbFacts().targets[0]).activity).toBeUndefined(); // a probe run without login records
    const whole = ehrDbFacts();
    whole.targets[0].facts.activity = unknown("activity: sections missing from probe output (truncated?)");
    expect(assetsOf(whole.targets[0]).activity).toEqual({ windowDays: null, oldestRecord: "unknown", logins: null, failures: null, sudo: null });
  });

  const reports: Report[] = [];
  it("a run before any counts were recorded, then three with different counts: each report carries the earlier runs' counts, in order, then its own", () => {
    // Like a run recorded before the counts were kept: its index has no activity counts for the host.
    const before = run("before", ehrDbFacts());
    expect(before.activity).toBeUndefined();
    const first = run("first", factsWith({ logins: 3, failures: 12, sudo: 4 }));
    expect(review(first).history).toBeUndefined(); // nothing earlier to show
    const second = run("second", factsWith({ logins: 5, failures: null, sudo: 1 }));
    const third = run("third", factsWith({ logins: 2, failures: 0, sudo: null, windowDays: 60 }));
    reports.push(first, second, third);

    expect(review(second).history).toEqual([point(first), point(second)]);
    expect(review(third).history).toEqual([point(first), point(second), point(third)]);
    const h = review(third).history!;
    expect(h.map((p) => [p.logins, p.failures, p.sudo, p.windowDays])).toEqual([
      [3, 12, 4, 30],
      [5, null, 1, 30], // unknown stays unknown, never 0
      [2, 0, null, 60],
    ]);
    expect(h.map((p) => p.finishedAt)).toEqual([first.finishedAt, second.finishedAt, third.finishedAt]);
    expect(h.at(-1)!.runId).toBe(third.run!.id);

    // The history is intact, indexes included, with runs that have counts and one that has none.
    const verify = cli(["history", "verify"], { env });
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
  });

  it("the earlier counts come from the drift indexes, at most the last N runs, oldest first", async () => {
    const store = await openStore(env.HIPAA_SCAN_HISTORY);
    try {
      const scope = scopeOf([HOST]);
      const { counts } = await readLoginHistory(store, scope, { counts: 2 });
      expect(counts.get(HOST)!.map((p) => p.runId)).toEqual([reports[1]!.run!.id, reports[2]!.run!.id]);
      const all = (await readLoginHistory(store, scope)).counts.get(HOST)!;
      expect(all.map((p) => p.runId)).toEqual(reports.map((r) => r.run!.id)); // the run without counts is not a point
    } finally {
      await store.close();
    }
  });

  it("text, Markdown and HTML render each run's logins, failed and sudo; the JSON report validates with the series", () => {
    const report = run("fourth", factsWith({ logins: 7, failures: 1, sudo: 2, windowDays: 60 }));
    const [a, b, c] = reports.map((r) => r.finishedAt);
    const d = report.finishedAt;
    const text = reporters.text(report, { verbose: false, style: plainStyle });
    expect(text).toContain(
      [
        `  ${HOST}: 60 days, records from 2025-10-01T00:00:00.000Z; 7 logins, 1 failed, 2 sudo`,
        `    counts over time:`,
        `      run finished ${a}: 3 logins, 12 failed, 4 sudo (30-day window)`,
        `      run finished ${b}: 5 logins, unknown failed, 1 sudo (30-day window)`,
        `      run finished ${c}: 2 logins, 0 failed, unknown sudo`,
        `      this run finished ${d}: 7 logins, 1 failed, 2 sudo`,
      ].join("\n"),
    );
    const markdown = reporters.markdown(report, { verbose: false, style: plainStyle });
    expect(markdown).toContain(`  - counts over time:\n    - run finished ${a}: 3 logins, 12 failed, 4 sudo (30-day window)\n`);
    expect(markdown).toContain(`    - this run finished ${d}: 7 logins, 1 failed, 2 sudo\n`);
    const html = reporters.html(report, { verbose: false, style: plainStyle });
    const table = /<table class="compact activity-history">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    const rows = [...table.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(2));
    expect(rows).toEqual([
      ["30", "3", "12", "4"],
      ["30", "5", "unknown", "1"],
      ["60", "2", "0", "unknown"],
      ["60", "7", "1", "2"],
    ]);
    expect(table).toContain("(this run)");
    const json = JSON.parse(reporters.json(report, { verbose: false, style: plainStyle }));
    const validate = makeAjv().compile(JSON.parse(readFileSync(new URL("../../../schemas/report.schema.json", import.meta.url), "utf8")));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.activity[0].history).toHaveLength(4);
    expect(reportFromJson(json, "json").activity![0]!.history!.map((p) => p.logins)).toEqual([3, 5, 2, 7]);
  });

  it("without history the section has no series", () => {
    const none = run("none", factsWith({ logins: 3, failures: 12, sudo: 4 }), ["--no-history"]);
    expect(review(none)).not.toHaveProperty("history");
    expect(reporters.text(none, { verbose: false, style: plainStyle })).not.toContain("counts over time");
  });
});
