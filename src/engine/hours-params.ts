import { inHoursProblem } from "./in-hours.js";
import type { RuleDef } from "./rule-schema.js";

type Key = "hours" | "days" | "timeZone";

/**
 * The params a rule uses as an `inHours` operand (`timeZone: { param: time_zone }`), and as which,
 * so a `--param` value is checked before anything is scanned (an unknown time zone is exit 2).
 */
export function hoursParamKinds(def: Pick<RuleDef, "when" | "check">): Map<string, Key> {
  const out = new Map<string, Key>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (typeof o.inHours === "string") {
      for (const key of ["hours", "days", "timeZone"] as const) {
        const v = o[key] as { param?: unknown } | undefined;
        if (v && typeof v === "object" && !Array.isArray(v) && typeof v.param === "string") out.set(v.param, key);
      }
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(def.when);
  walk(def.check);
  return out;
}

/** The problem with a `--param` value some rule reads as business hours, days or a time zone. */
export function hoursParamProblem(rules: readonly { def: Pick<RuleDef, "when" | "check"> }[], name: string, value: unknown): string | undefined {
  for (const r of rules) {
    const key = hoursParamKinds(r.def).get(name);
    if (key) return inHoursProblem(key, value);
  }
  return undefined;
}
