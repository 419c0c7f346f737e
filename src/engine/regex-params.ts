import { OPERATORS } from "./operators.js";
import type { RuleDef } from "./rule-schema.js";

/**
 * Names of the params a rule uses as a regular expression (`matches: { param: NAME }`), so their
 * defaults are checked when the pack loads and `--param` values before anything is scanned.
 */
export function regexParamNames(def: Pick<RuleDef, "when" | "check">): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const op = Object.hasOwn(OPERATORS, key) ? OPERATORS[key as keyof typeof OPERATORS] : undefined;
      if (op?.operand === "regex" && value !== null && typeof value === "object" && typeof (value as { param?: unknown }).param === "string") {
        names.add((value as { param: string }).param);
      } else {
        walk(value);
      }
    }
  };
  walk(def.when);
  walk(def.check);
  return names;
}
