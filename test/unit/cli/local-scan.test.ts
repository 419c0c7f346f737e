import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding, Report } from "../../../src/core/model.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { reportFromJson } from "../../../src/report/read.js";
import { cli } from "../../helpers/cli.js";

/** What makes a finding the same finding: everything but wording that embeds times. */
const key = (f: Finding) => JSON.stringify([f.ruleId, f.target, f.status, f.severity, f.hipaa, f.message, f.evidence]);

describe("scanning this machine (the default target)", () => {
  const factsFile = join(mkdtempSync(join(tmpdir(), "hs-facts-")), "facts.json");
  const scan = cli(["scan", "--format", "json", "--fail-on", "none", "--save-facts", factsFile]);
  const document = JSON.parse(scan.stdout) as unknown;
  const report: Report = reportFromJson(document, "stdout");

  it("produces a report valid against the published schema", () => {
    const schema = JSON.parse(readFileSync(new URL("../../../schemas/report.schema.json", import.meta.url), "utf8"));
    const validate = makeAjv().compile(schema);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
    expect(report.targets).toMatchObject([{ kind: "host", id: "local", status: "ok" }]);
  });

  it("runs at least 25 rules and touches at least 6 distinct 164.312 specifications", () => {
    const hostFindings = report.findings.filter((f) => f.target.kind === "host");
    expect(new Set(hostFindings.map((f) => f.ruleId)).size).toBeGreaterThanOrEqual(25);
    const cited = new Set(hostFindings.flatMap((f) => f.hipaa).filter((c) => c.startsWith("164.312")));
    expect(cited.size).toBeGreaterThanOrEqual(6);
  });

  it("exits 0 or 3 with --fail-on none (3 when a check could not be completed)", () => {
    expect(scan.code).toBe(report.summary.byStatus.error > 0 ? 3 : 0);
  });

  it("evaluating the facts scan collected gives exactly the findings scan gave", () => {
    // --no-history: the scan was the first run in this file's history; a second recorded run adds
    // the site's review finding (history facts, not target facts) and a drift section.
    const evaluated = cli(["evaluate", factsFile, "--format", "json", "--fail-on", "none", "--no-history"]);
    const again = reportFromJson(JSON.parse(evaluated.stdout), "stdout");
    expect(again.findings.map(key)).toEqual(report.findings.map(key));
    expect(evaluated.code).toBe(scan.code);
  });

  it("collect writes a facts file that evaluate accepts", () => {
    const file = join(mkdtempSync(join(tmpdir(), "hs-facts-")), "facts.json");
    const collected = cli(["collect", "--output", file]);
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/facts for 1 target\(s\) written to/);
    expect(cli(["evaluate", file, "--format", "json", "--fail-on", "none"]).code).toBe(scan.code);
  });
});
