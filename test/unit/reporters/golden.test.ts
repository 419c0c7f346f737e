import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Report } from "../../../src/core/model.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { evaluateRules } from "../../../src/engine/evaluate.js";
import { readFactsFile } from "../../../src/pipeline.js";
import { buildReport } from "../../../src/report/build.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";

const data = (f: string) => new URL(`../../data/${f}`, import.meta.url).pathname;
const golden = (f: string) => new URL(`../../golden/${f}`, import.meta.url).pathname;

/** A report built from fixed facts and a fixed pack, with fixed times: byte-for-byte stable. */
async function goldenReport(failOn: "high" | "critical" | "none" = "high"): Promise<Report> {
  const ruleSet = await loadRuleSet([data("golden-pack")], { builtin: false });
  const facts = await readFactsFile(data("golden-facts.json"));
  const findings = evaluateRules(ruleSet.rules, facts.targets, {});
  return buildReport({ facts, findings, ruleSet, params: {}, failOn, tool: { name: "hipaa-scan", version: "0.0.0-test" }, finishedAt: "2026-03-01T09:00:06.000Z" });
}

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function expectGolden(name: string, text: string) {
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden(name), text);
  expect(text).toBe(readFileSync(golden(name), "utf8"));
}

describe("reporters match their golden files", () => {
  it("text", async () => expectGolden("report.txt", reporters.text(await goldenReport(), { verbose: false, style: plainStyle })));
  it("text --verbose", async () => expectGolden("report-verbose.txt", reporters.text(await goldenReport(), { verbose: true, style: plainStyle })));
  it("json", async () => expectGolden("report.json", reporters.json(await goldenReport(), { verbose: false, style: plainStyle })));
  it("junit", async () => expectGolden("report.junit.xml", reporters.junit(await goldenReport(), { verbose: false, style: plainStyle })));
});

describe("the report model", () => {
  it("validates against the published report schema", async () => {
    const schema = JSON.parse(readFileSync(new URL("../../../schemas/report.schema.json", import.meta.url), "utf8"));
    const validate = makeAjv().compile(schema);
    const report = JSON.parse(reporters.json(await goldenReport(), { verbose: false, style: plainStyle }));
    expect(validate.errors ?? validate(report) ? [] : validate.errors).toEqual([]);
  });

  it("lists specs no evaluated rule covered as manual findings, and leaves standards out", async () => {
    const report = await goldenReport();
    const manual = report.findings.filter((f) => f.status === "manual").map((f) => f.hipaa[0]);
    expect(manual).toEqual(["164.312(a)(2)(ii)"]);
    expect(report.catalog.find((c) => c.citation === "164.312(a)(1)")?.outcome).toBe("not_evaluated");
    expect(report.catalog.find((c) => c.citation === "164.312(a)(2)(i)")).toMatchObject({ outcome: "fail", rules: ["golden-root-login", "golden-uid0"] });
  });

  it("gives unreachable targets no findings but counts them as incomplete", async () => {
    const report = await goldenReport("critical");
    expect(report.findings.filter((f) => f.target.id === "ssh://admin@old-laptop")).toEqual([]);
    expect(report.summary.targets.unreachable).toBe(1);
    expect(report.summary.gate).toEqual({ failOn: "critical", failed: 1, incomplete: 1, exitCode: 1 });
  });

  it("moves the exit code with --fail-on", async () => {
    // critical fails: uid 0 (critical) → 1. none: nothing fails, but a target was unreachable → 3.
    expect((await goldenReport("critical")).summary.gate.exitCode).toBe(1);
    expect((await goldenReport("none")).summary.gate).toMatchObject({ failed: 0, exitCode: 3 });
  });

  it("escapes markup in JUnit so remote text cannot break the XML", async () => {
    const xml = reporters.junit(await goldenReport(), { verbose: false, style: plainStyle });
    expect(xml).not.toContain("<b>");
    expect(xml).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
  });
});
