import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FactsDocument, Report } from "../../../src/core/model.js";
import { reportFromJson } from "../../../src/report/read.js";
import { cli } from "../../helpers/cli.js";

/** The whole CLI: collect this machine as shard K of 2 twice, merge, and compare with evaluate. */
describe("hipaa-scan collect --shard … then merge", () => {
  const dir = mkdtempSync(join(tmpdir(), "hs-merge-cli-"));
  const f = (name: string) => join(dir, name);

  it("gives the report evaluate gives for the shard holding the target; a missing shard makes it an error", () => {
    for (const k of [1, 2]) {
      const r = cli(["collect", "local", "--shard", `${k}/2`, "--group", "site-a", "--quiet", "-o", f(`s${k}.json`)]);
      expect(r.stderr).toBe("");
    }
    const shards = [1, 2].map((k) => JSON.parse(readFileSync(f(`s${k}.json`), "utf8")) as FactsDocument);
    expect(shards.map((s) => s.targets.length).sort()).toEqual([0, 1]); // "local" is in exactly one shard
    expect(shards.map((s) => [s.shard?.group, s.shard?.index, s.shard?.count])).toEqual([["site-a", 1, 2], ["site-a", 2, 2]]);
    const holder = shards.findIndex((s) => s.targets.length === 1) + 1;

    const merged = cli(["merge", f("s1.json"), f("s2.json"), "--format", "json", "--output", f("merged.json"), "--quiet"]);
    const alone = cli(["evaluate", f(`s${holder}.json`), "--format", "json", "--output", f("alone.json"), "--quiet"]);
    expect(merged.code).toBe(alone.code);
    const read = (name: string): Report => reportFromJson(JSON.parse(readFileSync(f(name), "utf8")), name);
    const m = read("merged.json");
    const a = read("alone.json");
    expect(m.findings).toEqual(a.findings);
    expect(m.summary).toEqual(a.summary);
    expect(m.shard).toBeUndefined(); // the merged report is the whole run

    const missing = cli(["merge", f(`s${3 - holder}.json`), "--format", "json", "--output", f("missing.json")]);
    expect(missing.stderr).toContain(`shard ${holder}/2 of run group site-a is missing: its 1 target(s) are reported as errors`);
    expect(missing.code).not.toBe(0);
    const lost = read("missing.json");
    expect(lost.targets).toMatchObject([{ id: "local", status: "error" }]);
    expect(lost.findings.filter((x) => x.target.id === "local" && x.status === "pass")).toEqual([]);
  }, 60_000);

  it("exits 2 on a file that is not a facts file or report", () => {
    const r = cli(["merge", "package.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/package\.json is not a hipaa-scan JSON report/);
  });

  it("merge --help shows examples", () => {
    const r = cli(["merge", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ hipaa-scan merge /);
  });
});
