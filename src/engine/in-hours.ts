import type { CompileIssue, EvalState } from "./conditions.js";
import { parseDays, parseHours, timeZoneProblem, WEEKDAYS, withinHours, type HoursSpan } from "./hours.js";
import type { ParamDef } from "./rule-schema.js";

/**
 * The operands of an `inHours` condition, checked when the pack loads (a literal or a param's
 * default that is not a span of hours, a weekday list or a known IANA time zone is a
 * `file:line:col` error) and read at evaluation time (a `--param` value is checked before the scan
 * by src/engine/hours-params.ts; a rule test's own params that are wrong make the check unknown).
 */
export interface InHoursOperand {
  get(s: EvalState): unknown;
  text(s: EvalState): string;
  /** The declared param, when the operand is `{ param: NAME }`. */
  param?: ParamDef;
  paramName?: string;
  /** The literal operand, when it is not a param. */
  literal?: unknown;
}

type Key = "hours" | "days" | "timeZone";
const WANT: Record<Key, ParamDef["type"]> = { hours: "string", days: "string[]", timeZone: "string" };

/** The problem with one operand value, or undefined. */
export function inHoursProblem(key: Key, value: unknown): string | undefined {
  if (key === "hours") {
    const r = parseHours(value);
    return typeof r === "string" ? r : undefined;
  }
  if (key === "days") {
    const r = parseDays(value);
    return typeof r === "string" ? r : undefined;
  }
  return timeZoneProblem(value);
}

export interface InHoursResult {
  /** true/false, or a problem text (the check is then unknown). */
  value: boolean | string;
  expected: string;
}

export function compileInHoursWith(ops: Record<Key, InHoursOperand>, at: (string | number)[], issues: CompileIssue[]): (s: EvalState, got: unknown) => InHoursResult {
  for (const key of Object.keys(WANT) as Key[]) {
    const op = ops[key];
    if (op.paramName !== undefined) {
      if (!op.param) continue; // compileOperand reported the unknown param
      if (op.param.type !== WANT[key]) issues.push({ path: [...at, key], message: `inHours ${key} needs a ${WANT[key]} param; ${op.paramName} is ${op.param.type}` });
      else {
        const problem = inHoursProblem(key, op.param.default);
        if (problem) issues.push({ path: ["params", op.paramName, "default"], message: `param ${op.paramName}: ${problem}` });
      }
    } else {
      const problem = inHoursProblem(key, op.literal);
      if (problem) issues.push({ path: [...at, key], message: problem });
    }
  }
  const spans = new Map<string, HoursSpan | string>();
  const daySets = new Map<string, Set<number> | string>();
  const cached = <T>(map: Map<string, T>, v: unknown, parse: (v: unknown) => T): T => {
    const k = JSON.stringify(v) ?? "undefined";
    let r = map.get(k);
    if (r === undefined) map.set(k, (r = parse(v)));
    return r;
  };
  return (s, got) => {
    const hoursValue = ops.hours.get(s);
    const daysValue = ops.days.get(s);
    const zone = ops.timeZone.get(s);
    const span = cached(spans, hoursValue, parseHours);
    const days = cached(daySets, daysValue, parseDays);
    const zoneProblem = timeZoneProblem(zone);
    const dayText = typeof days === "string" ? String(daysValue) : [...days].sort().map((d) => WEEKDAYS[d]).join(",");
    const expected = `within ${String(hoursValue)} on ${dayText} (${String(zone)})`;
    if (typeof span === "string") return { value: span, expected };
    if (typeof days === "string") return { value: days, expected };
    if (zoneProblem) return { value: zoneProblem, expected };
    const inside = withinHours(got, span, days, zone as string);
    return { value: inside === undefined ? `not an ISO time: ${JSON.stringify(got)?.slice(0, 60)}` : inside, expected };
  };
}
