import type { Report } from "../../src/core/model.js";
import { loadRuleSet } from "../../src/engine/packs.js";
import { evaluateRules } from "../../src/engine/evaluate.js";
import { readFactsFile } from "../../src/pipeline.js";
import { buildReport } from "../../src/report/build.js";

const data = (f: string) => new URL(`../data/${f}`, import.meta.url).pathname;

/**
 * The report the golden files are made from (the same as in test/unit/reporters/golden.test.ts):
 * fixed facts, a fixed pack and fixed times, so every format is byte-for-byte stable.
 */
export async function goldenReport(failOn: "high" | "critical" | "none" = "high"): Promise<Report> {
  const ruleSet = await loadRuleSet([data("golden-pack")], { builtin: false });
  const facts = await readFactsFile(data("golden-facts.json"));
  const findings = evaluateRules(ruleSet.rules, facts.targets, {});
  return buildReport({ facts, findings, ruleSet, params: {}, failOn, tool: { name: "hipaa-scan", version: "0.0.0-test" }, finishedAt: "2026-03-01T09:00:06.000Z" });
}
