import type { FindingStatus, TargetFacts } from "../core/model.js";
import type { CompiledRule } from "./rule.js";
import { paramValueProblem } from "./rule.js";

/** Reference time of rule test cases that do not set `collectedAt`: fixed, so cases stay stable. */
export const RULE_TEST_TIME = "2026-01-01T00:00:00.000Z";

export interface RuleTestResult {
  ruleId: string;
  file: string;
  name: string;
  expected: string;
  actual: FindingStatus;
  passed: boolean;
  message: string;
}

/** Runs each rule's own cases (facts in → status out), the way ESLint's RuleTester runs rule cases. */
export function runRuleTests(rules: CompiledRule[]): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    for (const tc of rule.def.tests) {
      const target: TargetFacts = {
        target: { kind: rule.def.appliesTo.kind, id: `test:${tc.name}` },
        status: "ok",
        collector: "rule-test",
        collectedAt: tc.collectedAt ?? RULE_TEST_TIME,
        tags: tc.tags ?? {},
        facts: tc.facts,
        sources: {},
        notes: [],
      };
      const badParam = Object.entries(tc.params ?? {}).find(([k, v]) => {
        const def = rule.def.params?.[k];
        return !def || paramValueProblem(def, v) !== undefined;
      });
      if (badParam) {
        results.push({ ruleId: rule.def.id, file: rule.file, name: tc.name, expected: tc.expect, actual: "error", passed: false, message: `test case param "${badParam[0]}" is not a declared param of this type` });
        continue;
      }
      const finding = rule.evaluate(target, tc.params ?? {});
      results.push({
        ruleId: rule.def.id,
        file: rule.file,
        name: tc.name,
        expected: tc.expect,
        actual: finding.status,
        passed: finding.status === tc.expect,
        message: finding.message,
      });
    }
  }
  return results;
}
