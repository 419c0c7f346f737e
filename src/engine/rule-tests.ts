import type { ValidateFunction } from "ajv";
import type { FindingStatus, TargetFacts, TargetKind } from "../core/model.js";
import { ofRuntimeKind } from "../core/target-facts.js";
import { FACTS_SCHEMAS } from "../facts/index.js";
import { makeAjv } from "./ajv.js";
import type { CompiledRule } from "./rule.js";
import { paramValueProblem } from "./rule.js";

/** The schema with every `required` list dropped: cases give only the fields a rule reads. */
function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== "required") out[k] = k === "const" || k === "enum" ? v : withoutRequired(v);
  return out;
}

const validators: Partial<Record<TargetKind, ValidateFunction>> = {};

/**
 * Why a test case's facts could not come from a real collector, or undefined when they could. What
 * a case gives is checked against the facts schema as a facts file is — types, enums, formats, no
 * section the schema does not have — except that a case may leave out any field: it gives only what its
 * rule reads, and a section it leaves out is not collected.
 */
function factsProblem(kind: string, facts: unknown): string | undefined {
  if (!Object.hasOwn(FACTS_SCHEMAS, kind)) return undefined;
  const k = kind as TargetKind;
  const validate = (validators[k] ??= makeAjv().compile(withoutRequired(FACTS_SCHEMAS[k]) as object));
  if (validate(facts)) return undefined;
  const errs = (validate.errors ?? []).slice(0, 3).map((e) => `facts${e.instancePath} ${e.message ?? "is invalid"}`);
  return `test case facts do not match the ${k} facts schema: ${errs.join("; ")}`;
}

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
      const target: TargetFacts = ofRuntimeKind({
        target: { kind: rule.def.appliesTo.kind, id: `test:${tc.name}` },
        status: "ok",
        collector: "rule-test",
        collectedAt: tc.collectedAt ?? RULE_TEST_TIME,
        tags: tc.tags ?? {},
        facts: tc.facts as TargetFacts["facts"],
        sources: {},
        notes: [],
      });
      const badParam = Object.entries(tc.params ?? {}).find(([k, v]) => {
        const def = rule.def.params?.[k];
        return !def || paramValueProblem(def, v) !== undefined;
      });
      if (badParam) {
        results.push({ ruleId: rule.def.id, file: rule.file, name: tc.name, expected: tc.expect, actual: "error", passed: false, message: `test case param "${badParam[0]}" is not a declared param of this type` });
        continue;
      }
      // Cases are facts in, status out: facts no collector could produce prove nothing.
      const badFacts = factsProblem(rule.def.appliesTo.kind, tc.facts);
      if (badFacts) {
        results.push({ ruleId: rule.def.id, file: rule.file, name: tc.name, expected: tc.expect, actual: "error", passed: false, message: badFacts });
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
