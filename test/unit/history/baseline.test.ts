import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";
import { ehrDbFacts } from "../../helpers/ehr-db-facts.js";
import { reportFromJson } from "../../../src/report/read.js";
import type { Report } from "../../../src/core/model.js";

/**
 * `--baseline RUN_ID|REPORT.json` through the built CLI: a stored run read through its drift index,
 * a saved JSON report (also with --no-history), and the one-line errors for a review id and for
 * something that is neither.
 */
const dir = mkdtempSync(join(tmpdir(), "hsh-baseline-"));
const env = { HIPAA_SCAN_HISTORY: join(dir, "history.db") };
const golden = ehrDbFacts();
const before = join(dir, "before.json");
writeFileSync(before, JSON.stringify(golden));
golden.targets[0].facts.accounts.users.push({ ...golden.targets[0].facts.accounts.users[0], name: "eve", uid: 1050, password: "empty" });
const after = join(dir, "after.json");
writeFileSync(after, JSON.stringify(golden));
const report = (f: string) => reportFromJson(JSON.parse(readFileSync(join(dir, f), "utf8")), f);
const eveIsNew = (r: Report) => r.drift!.findings.new.some((d) => d.message === "Accounts with an empty password: eve.");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--baseline", { timeout: 180_000 }, () => {
  it("a run id, a report file (with and without history), and refusals of a review id or anything else", () => {
    const h = ["--fail-on", "critical", "--format", "json"];
    expect(cli(["evaluate", before, ...h, "--output", join(dir, "r1.json")], { env }).code).toBe(0);
    const first = report("r1.json").run!.id;
    expect(cli(["evaluate", after, ...h, "--output", join(dir, "r2.json")], { env }).code).toBe(1);
    // Against run 1 by id: eve is new again (the default baseline, run 2, already has her).
    expect(cli(["evaluate", after, ...h, "--baseline", first, "--fail-on-new", "--output", join(dir, "r3.json")], { env }).code).toBe(1);
    const r3 = report("r3.json");
    expect(r3.drift!.baseline).toMatchObject({ runId: first, source: "history" });
    expect(eveIsNew(r3)).toBe(true);
    // Against the saved first report, without any history.
    expect(cli(["evaluate", after, ...h, "--no-history", "--baseline", join(dir, "r1.json"), "--fail-on-new", "--output", join(dir, "r4.json")], {}).code).toBe(1);
    const r4 = report("r4.json");
    expect(r4.drift!.baseline).toMatchObject({ runId: first, source: "file" });
    expect(eveIsNew(r4)).toBe(true);
    expect(r4.run).toBeUndefined();
    const review = cli(["history", "review", first, "--by", "PO"], { env }).stdout.match(/review (\S+) of run/)![1]!;
    const r = cli(["evaluate", after, ...h, "--baseline", review], { env });
    expect([r.code, r.stderr.trim().split("\n").length]).toEqual([2, 1]);
    expect(r.stderr).toMatch(/not a stored run/);
    const n = cli(["evaluate", after, ...h, "--baseline", join(dir, "missing.json")], { env });
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/neither "last", a run id in the history, nor a readable report file/);
  });
});
