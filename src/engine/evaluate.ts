import type { Finding, TargetFacts } from "../core/model.js";
import type { CompiledRule } from "./rule.js";

/** Targets that never yielded facts: their status says it all, no rule runs on them. */
const NO_FACTS = new Set(["unreachable", "auth_failed", "host_key_mismatch"]);

/** Evaluates every rule that concerns each target. Pure: facts and params in, findings out. */
export function evaluateRules(rules: CompiledRule[], targets: TargetFacts[], params: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  for (const target of targets) {
    if (NO_FACTS.has(target.status)) continue;
    for (const rule of rules) if (rule.concerns(target)) findings.push(rule.evaluate(target, params));
  }
  return findings;
}
