import { COMPARISON_OPS, CONDITION_FORMS, FACT_PATH_PATTERN, type ConditionForm } from "./rule-schema.js";
import type { CompileIssue } from "./conditions.js";

/**
 * Structural check of a condition tree with precise, positioned messages. JSON Schema's anyOf
 * errors for recursive unions are unreadable, so conditions are checked here instead.
 */

/** The forms and their fields, and the fact-path pattern: both from the one definition in rule-schema.ts. */
const FORMS = CONDITION_FORMS;
type Form = ConditionForm;
const PATH = new RegExp(FACT_PATH_PATTERN);
const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);

export function checkConditionShape(cond: unknown, at: (string | number)[], issues: CompileIssue[]): boolean {
  const before = issues.length;
  check(cond, at, issues);
  return issues.length === before;
}

function check(cond: unknown, at: (string | number)[], issues: CompileIssue[]): void {
  if (!isMap(cond)) {
    issues.push({ path: at, message: "a condition is a map such as { fact: PATH, eq: VALUE } or { all: [...] }" });
    return;
  }
  const forms = (Object.keys(FORMS) as Form[]).filter((f) => f in cond);
  if (forms.length !== 1) {
    issues.push({
      path: at,
      message:
        forms.length === 0
          ? `a condition needs one of: ${Object.keys(FORMS).join(", ")} (found ${Object.keys(cond).join(", ") || "nothing"})`
          : `a condition takes one of ${forms.join(" / ")}, not several: wrap them in all or any`,
    });
    return;
  }
  const form = forms[0]!;
  const allowed: readonly string[] = FORMS[form];
  for (const key of Object.keys(cond)) {
    if (!allowed.includes(key)) {
      const what = form === "fact" || form === "count" ? `unknown operator "${key}" (one of: ${COMPARISON_OPS.join(", ")})` : `unknown field "${key}" in a ${form} condition`;
      issues.push({ path: [...at, key], key: true, message: what });
    }
  }
  const path = (key: string, required = true) => {
    const v = cond[key];
    if (v === undefined) {
      if (required) issues.push({ path: at, message: `a ${form} condition needs "${key}"` });
    } else if (typeof v !== "string" || !PATH.test(v)) {
      issues.push({ path: [...at, key], message: `"${key}" must be a fact path such as sshd.ciphers or item.name` });
    }
  };
  const sub = (key: string, required: boolean) => {
    if (cond[key] === undefined) {
      if (required) issues.push({ path: at, message: `a ${form} condition needs "${key}"` });
    } else check(cond[key], [...at, key], issues);
  };
  const unknownKeys = Object.keys(cond).some((k) => !allowed.includes(k));
  const operands = () => {
    const ops = COMPARISON_OPS.filter((o) => o in cond);
    if (ops.length !== 1 && !(ops.length === 0 && unknownKeys)) {
      issues.push({ path: at, message: `give exactly one operator (found ${ops.length === 0 ? "none" : ops.join(", ")})` });
    }
    for (const op of ops) {
      const v = cond[op];
      const ok = isScalar(v) || (Array.isArray(v) && v.every(isScalar)) || (isMap(v) && Object.keys(v).length === 1 && typeof v.param === "string");
      if (!ok) issues.push({ path: [...at, op], message: `operand must be a value, a list of values, or { param: NAME }` });
    }
  };
  switch (form) {
    case "all":
    case "any": {
      const list = cond[form];
      if (!Array.isArray(list) || list.length === 0) issues.push({ path: [...at, form], message: `${form} takes a non-empty list of conditions` });
      else list.forEach((c, i) => check(c, [...at, form, i], issues));
      return;
    }
    case "not":
      return check(cond.not, [...at, "not"], issues);
    case "each":
      path("each");
      path("label", false);
      sub("where", false);
      sub("require", true);
      return;
    case "count":
      path("count");
      sub("where", false);
      operands();
      return;
    case "unique":
      path("unique");
      path("key");
      path("label", false);
      return;
    case "fact":
      path("fact");
      operands();
      return;
    case "inHours":
      path("inHours");
      for (const key of ["hours", "days", "timeZone"]) {
        const v = cond[key];
        if (v === undefined) issues.push({ path: at, message: `an inHours condition needs "${key}"` });
        else if (!(isScalar(v) || (Array.isArray(v) && v.every(isScalar)) || (isMap(v) && Object.keys(v).length === 1 && typeof v.param === "string"))) {
          issues.push({ path: [...at, key], message: `"${key}" must be a value, a list of values, or { param: NAME }` });
        }
      }
      return;
  }
}
