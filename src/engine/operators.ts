import type { ComparisonOp } from "./rule-schema.js";
import type { ValueKind } from "./fact-paths.js";
import type { Matcher } from "./pattern.js";

/**
 * The closed operator set. Each takes the observed fact value (never unknown: the engine handles
 * that before) and the operand, and answers true or false.
 */
export interface OperatorDef {
  /** Fact kinds the operator reads; checked against the facts schema at compile time. */
  factKinds: ValueKind[];
  /** What the operand must be. */
  operand: "scalar" | "number" | "list" | "regex" | "boolean" | "any";
  /** `now` is the facts' collection time (ms); `regex` the compiled operand of regex operators. */
  test(observed: unknown, operand: unknown, now: number, regex: Matcher | undefined): boolean;
  /** Shown in evidence as `expected`. */
  symbol: string;
}

const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const cmp = (f: (a: number, b: number) => boolean) => (o: unknown, x: unknown) => num(o) && num(x) && f(o, x);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const DAY = 86_400_000;
const ageDays = (o: unknown, now: number): number | undefined => {
  if (typeof o !== "string") return undefined;
  const t = Date.parse(o);
  return Number.isNaN(t) ? undefined : (now - t) / DAY;
};
/** An integer as a bigint; anything else (1.5, "abc", 1e400) throws, and the check ends as unknown. */
const integer = (v: number | string): bigint => {
  if (typeof v === "number" ? Number.isSafeInteger(v) : /^\s*-?(0x[0-9a-f]+|\d+)\s*$/i.test(v)) return BigInt(typeof v === "string" ? v.trim() : v);
  throw new RangeError(`bit operators need integers, got ${JSON.stringify(v).slice(0, 40)}`);
};
const bits = (o: unknown, x: unknown): [bigint, bigint] | undefined =>
  (typeof o === "number" || typeof o === "string") && (typeof x === "number" || typeof x === "string")
    ? [integer(o), integer(x)]
    : undefined;

export const OPERATORS: Record<ComparisonOp, OperatorDef> = {
  eq: { factKinds: ["string", "number", "boolean", "null"], operand: "scalar", symbol: "=", test: (o, x) => o === x },
  ne: { factKinds: ["string", "number", "boolean", "null"], operand: "scalar", symbol: "≠", test: (o, x) => o !== x },
  lt: { factKinds: ["number"], operand: "number", symbol: "<", test: cmp((a, b) => a < b) },
  lte: { factKinds: ["number"], operand: "number", symbol: "≤", test: cmp((a, b) => a <= b) },
  gt: { factKinds: ["number"], operand: "number", symbol: ">", test: cmp((a, b) => a > b) },
  gte: { factKinds: ["number"], operand: "number", symbol: "≥", test: cmp((a, b) => a >= b) },
  in: { factKinds: ["string", "number", "boolean", "null"], operand: "list", symbol: "in", test: (o, x) => list(x).includes(o) },
  notIn: { factKinds: ["string", "number", "boolean", "null"], operand: "list", symbol: "not in", test: (o, x) => !list(x).includes(o) },
  matches: {
    factKinds: ["string"], operand: "regex", symbol: "matches",
    test: (o, _x, _now, re) => typeof o === "string" && re!.test(o),
  },
  notMatches: {
    factKinds: ["string", "null"], operand: "regex", symbol: "does not match",
    test: (o, _x, _now, re) => typeof o !== "string" || !re!.test(o),
  },
  contains: { factKinds: ["array"], operand: "scalar", symbol: "contains", test: (o, x) => list(o).includes(x) },
  notContains: { factKinds: ["array"], operand: "scalar", symbol: "does not contain", test: (o, x) => !list(o).includes(x) },
  containsAny: {
    factKinds: ["array"], operand: "list", symbol: "contains any of",
    test: (o, x) => list(x).some((v) => list(o).includes(v)),
  },
  containsNone: {
    factKinds: ["array"], operand: "list", symbol: "contains none of",
    test: (o, x) => !list(x).some((v) => list(o).includes(v)),
  },
  exists: {
    factKinds: ["string", "number", "boolean", "null", "array", "object"], operand: "boolean", symbol: "exists",
    test: (o, x) => (o !== null && o !== undefined) === x,
  },
  olderThanDays: {
    factKinds: ["string"], operand: "number", symbol: "older than (days)",
    test: (o, x, now) => num(x) && (ageDays(o, now) ?? -Infinity) > x,
  },
  newerThanDays: {
    factKinds: ["string"], operand: "number", symbol: "newer than (days)",
    test: (o, x, now) => num(x) && (ageDays(o, now) ?? Infinity) <= x,
  },
  bitsAll: {
    factKinds: ["number", "string"], operand: "number", symbol: "has all bits",
    test: (o, x) => { const b = bits(o, x); return b !== undefined && (b[0] & b[1]) === b[1]; },
  },
  bitsAny: {
    factKinds: ["number", "string"], operand: "number", symbol: "has any bit of",
    test: (o, x) => { const b = bits(o, x); return b !== undefined && (b[0] & b[1]) !== 0n; },
  },
};
