import type { Evidence } from "../core/model.js";
import { formatValue } from "../core/format-value.js";
import { isUnknown } from "../facts/unknown.js";
import { itemSchema, kindsOf, resolvePath, type JsonSchema, type ValueKind } from "./fact-paths.js";
import { compileInHoursWith } from "./in-hours.js";
import { OPERATORS } from "./operators.js";
import { cachedPattern, compilePattern, type Matcher } from "./pattern.js";
import { COMPARISON_OPS, type ComparisonOp, type Condition, type Operand, type ParamDef } from "./rule-schema.js";

/**
 * Compiles YAML conditions into closures over facts, once, before any target is touched.
 * Evaluation is three-valued: true, false, or unknown with reasons (Kleene logic).
 */

/** Moved to src/core/format-value.ts; re-exported so existing imports keep working. */
export { formatValue };

/** Unknown with reasons. A class, so a read can return a raw fact value or this without wrapping. */
export class Unknownish {
  constructor(readonly unknown: string[]) {}
}
export type Tri = true | false | Unknownish;

export interface EvalState {
  facts: Record<string, unknown>;
  sources: Record<string, string>;
  params: Record<string, unknown>;
  /** Reference time for age operators: when the facts were collected (ms). */
  now: number;
  item: unknown;
  /** Display prefix of the current item, e.g. `accounts.users[alice]`. */
  itemPrefix: string;
  /** Source of the collection the current item came from. */
  itemSource: string | undefined;
  /** Where leaf evidence goes; null when not collecting (inside `where`). */
  evidence: Evidence[] | null;
  /** Labels of the items that made a collection condition false. */
  failed: string[];
  count: number | undefined;
}

export type CompiledCondition = (s: EvalState) => Tri;

export interface CompileIssue {
  path: (string | number)[];
  message: string;
  key?: boolean;
}

interface Scope {
  factsSchema: JsonSchema;
  /** Schemas of the enclosing collections' items, innermost last. */
  items: JsonSchema[];
  params: Record<string, ParamDef>;
  issues: CompileIssue[];
}

const MAX_FAILED_LABELS = 500;
const MAX_ITEM_EVIDENCE = 200;

export const isUnknownTri = (t: Tri): t is Unknownish => t instanceof Unknownish;
const unk = (reason: string): Unknownish => new Unknownish([reason]);

/** Compiles `cond` found at `yamlPath` of the rule file; problems are appended to `issues`. */
export function compileCondition(
  cond: Condition,
  yamlPath: (string | number)[],
  factsSchema: JsonSchema,
  params: Record<string, ParamDef>,
  issues: CompileIssue[],
): CompiledCondition {
  return compile(cond, yamlPath, { factsSchema, items: [], params, issues });
}

function compile(cond: Condition, at: (string | number)[], scope: Scope): CompiledCondition {
  if ("all" in cond) return compileAll(cond.all.map((c, i) => compile(c, [...at, "all", i], scope)));
  if ("any" in cond) return compileAny(cond.any.map((c, i) => compile(c, [...at, "any", i], scope)));
  if ("not" in cond) return compileNot(compile(cond.not, [...at, "not"], scope));
  if ("each" in cond) return compileEach(cond, at, scope);
  if ("count" in cond) return compileCount(cond, at, scope);
  if ("unique" in cond) return compileUnique(cond, at, scope);
  if ("inHours" in cond) return compileInHours(cond, at, scope);
  return compileLeaf(cond, at, scope);
}

function compileAll(parts: CompiledCondition[]): CompiledCondition {
  return (s) => {
    let reasons: string[] | undefined;
    for (const p of parts) {
      const r = p(s);
      if (r === false) return false;
      if (r !== true) reasons = (reasons ?? []).concat(r.unknown);
    }
    return reasons ? new Unknownish(reasons) : true;
  };
}

function compileAny(parts: CompiledCondition[]): CompiledCondition {
  return (s) => {
    let reasons: string[] | undefined;
    for (const p of parts) {
      const r = p(s);
      if (r === true) return true;
      if (r !== false) reasons = (reasons ?? []).concat(r.unknown);
    }
    return reasons ? new Unknownish(reasons) : false;
  };
}

function compileNot(part: CompiledCondition): CompiledCondition {
  return (s) => {
    const r = part(s);
    return r === true ? false : r === false ? true : r;
  };
}

/** A compiled path reader: from the facts root or from the current item. */
interface Reader {
  display: string;
  schema: JsonSchema | undefined;
  /** The fact's value, or Unknownish when it is unknown or absent. */
  read(s: EvalState): unknown;
  source(s: EvalState): string | undefined;
  /** Display path for evidence. */
  shown(s: EvalState): string;
}

function compilePath(path: string, at: (string | number)[], scope: Scope, key: string): Reader {
  const segs = path.split(".");
  const fromItem = segs[0] === "item";
  let schema: JsonSchema | undefined;
  if (fromItem) {
    const inner = scope.items[scope.items.length - 1];
    if (!inner) scope.issues.push({ path: [...at, key], message: `"item" is only defined inside each, count or unique` });
    else {
      const r = resolvePath(inner, segs.slice(1), "item");
      if ("error" in r) scope.issues.push({ path: [...at, key], message: r.error });
      else schema = r.schema;
    }
  } else {
    const r = resolvePath(scope.factsSchema, segs, "");
    if ("error" in r) scope.issues.push({ path: [...at, key], message: r.error });
    else schema = r.schema;
  }
  const rest = fromItem ? segs.slice(1) : segs;
  const tail = rest.join(".");
  return {
    display: path,
    schema,
    read(s) {
      let v: unknown = fromItem ? s.item : s.facts;
      for (let i = 0; i < rest.length; i++) {
        if (isUnknown(v)) return unk(`${shownPath(s, fromItem, rest.slice(0, i).join("."))}: ${v.reason}`);
        if (v === undefined) return unk(`${shownPath(s, fromItem, rest.slice(0, i).join("."))}: not collected`);
        if (v === null || typeof v !== "object") {
          return unk(`${shownPath(s, fromItem, rest.slice(0, i).join("."))}: is ${formatValue(v)}, not a section`);
        }
        // Own keys only: `shell.constructor` is not a fact.
        v = Object.hasOwn(v, rest[i]!) ? (v as Record<string, unknown>)[rest[i]!] : undefined;
      }
      if (isUnknown(v)) return unk(`${shownPath(s, fromItem, tail)}: ${v.reason}`);
      if (v === undefined) return unk(`${shownPath(s, fromItem, tail)}: not collected`);
      return v;
    },
    source: (s) => (fromItem ? s.itemSource : s.sources[segs[0]!]),
    shown: (s) => shownPath(s, fromItem, tail),
  };
}

function shownPath(s: EvalState, fromItem: boolean, tail: string): string {
  if (!fromItem) return tail;
  return tail ? `${s.itemPrefix}.${tail}` : s.itemPrefix;
}

/** Operand resolver: literal, or `{ param }` read at evaluation time (tests and --param override). */
function compileOperand(
  operand: Operand,
  at: (string | number)[],
  scope: Scope,
): { get(s: EvalState): unknown; text: (s: EvalState) => string; param?: ParamDef } {
  if (operand !== null && typeof operand === "object" && !Array.isArray(operand)) {
    const def = Object.hasOwn(scope.params, operand.param) ? scope.params[operand.param] : undefined;
    if (!def) scope.issues.push({ path: [...at, "param"], message: `unknown param "${operand.param}" (declare it under params)` });
    const name = operand.param;
    // Params are one object per run, so the text is made once per run, not once per target.
    const texts = new WeakMap<object, string>();
    const text = (s: EvalState) => {
      let t = texts.get(s.params);
      if (t === undefined) texts.set(s.params, (t = `${formatValue(ownParam(s.params, name))} (param ${name})`));
      return t;
    };
    return { get: (s) => ownParam(s.params, name), text, param: def };
  }
  const literal = formatValue(operand);
  return { get: () => operand, text: () => literal };
}

function ownParam(params: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

function compileLeaf(cond: { fact: string } & { [K in ComparisonOp]?: Operand }, at: (string | number)[], scope: Scope) {
  const op = COMPARISON_OPS.find((o) => o in cond);
  if (!op) {
    const bad = Object.keys(cond).find((k) => k !== "fact") ?? "";
    scope.issues.push({ path: [...at, bad], key: true, message: `unknown operator "${bad}" (one of: ${COMPARISON_OPS.join(", ")})` });
    return () => unk("rule did not compile");
  }
  const def = OPERATORS[op];
  const reader = compilePath(cond.fact, at, scope, "fact");
  const operand = compileOperand(cond[op] as Operand, [...at, op], scope);
  checkKinds(reader, def.factKinds, op, at, scope);
  checkOperand(cond[op] as Operand, operand.param, def.operand, op, at, scope);
  const regex = compileRegex(cond[op] as Operand, def.operand, op, at, scope);
  const expectedTexts = new WeakMap<object, string>();
  const expected = (s: EvalState) => {
    let t = expectedTexts.get(s.params);
    if (t === undefined) expectedTexts.set(s.params, (t = `${def.symbol} ${operand.text(s)}`));
    return t;
  };
  return (s: EvalState): Tri => {
    const got = reader.read(s);
    if (got instanceof Unknownish) {
      s.evidence?.push({ fact: reader.shown(s), observed: "unknown", expected: expected(s), source: reader.source(s) });
      return got;
    }
    const x = operand.get(s);
    const re = regex ?? (def.operand === "regex" ? cachedPattern(String(x)) : undefined);
    if (re instanceof Error) return unk(re.message);
    let ok: boolean;
    try {
      ok = def.test(got, x, s.now, re);
    } catch (err) {
      // A fact of the wrong shape (e.g. bitsAll on 1.5) cannot be checked: unknown, never a crash.
      s.evidence?.push({ fact: reader.shown(s), observed: got, expected: expected(s), source: reader.source(s) });
      return unk(`${op}: ${(err as Error).message}`);
    }
    s.evidence?.push({ fact: reader.shown(s), observed: got, expected: expected(s), source: reader.source(s) });
    return ok;
  };
}

function checkKinds(reader: Reader, allowed: ValueKind[], op: string, at: (string | number)[], scope: Scope) {
  if (!reader.schema) return;
  const kinds = kindsOf(reader.schema);
  if (kinds.has("any")) return;
  const usable = [...kinds].filter((k) => k !== "null");
  if (usable.length > 0 && !usable.some((k) => allowed.includes(k))) {
    scope.issues.push({
      path: [...at, "fact"],
      message: `operator "${op}" does not apply to ${reader.display}, which is ${[...kinds].join(" or ")}`,
    });
  }
}

function checkOperand(
  operand: Operand,
  param: ParamDef | undefined,
  want: "scalar" | "number" | "list" | "regex" | "boolean" | "any",
  op: string,
  at: (string | number)[],
  scope: Scope,
) {
  const type = param
    ? param.type === "string[]" ? "list" : param.type === "integer" ? "number" : param.type
    : Array.isArray(operand) ? "list" : operand === null ? "null" : typeof operand;
  const ok =
    want === "any" ||
    (want === "scalar" && type !== "list") ||
    (want === "number" && type === "number") ||
    (want === "list" && type === "list") ||
    (want === "regex" && type === "string") ||
    (want === "boolean" && type === "boolean");
  if (!ok) scope.issues.push({ path: [...at, op], message: `operator "${op}" needs a ${want === "regex" ? "regular expression string" : want} operand` });
}

function compileRegex(operand: Operand, want: string, op: string, at: (string | number)[], scope: Scope): Matcher | undefined {
  if (want !== "regex" || typeof operand !== "string") return undefined;
  try {
    return compilePattern(operand);
  } catch (e) {
    scope.issues.push({ path: [...at, op], message: (e as Error).message });
    return { test: () => false };
  }
}

/** Compiles the collection path and the item-scoped children of each/count/unique. */
function collectionScope(path: string, at: (string | number)[], scope: Scope, key: string) {
  const reader = compilePath(path, at, scope, key);
  let inner: JsonSchema = {};
  if (reader.schema) {
    const items = itemSchema(reader.schema);
    if (!items) scope.issues.push({ path: [...at, key], message: `${path} is not a list` });
    else inner = items;
  }
  return { reader, inner: { ...scope, items: [...scope.items, inner] } };
}

interface ItemRun {
  index: number;
  result: Tri;
}

/**
 * Runs `body` over the items of a list (those matching `where`), without collecting evidence:
 * most items pass, and their evidence would be thrown away. Callers re-run the items that did
 * not pass with {@link explainItem}, which is safe because conditions are pure.
 */
function iterate(
  s: EvalState,
  base: string,
  list: unknown[],
  where: CompiledCondition | undefined,
  body: CompiledCondition | undefined,
): ItemRun[] {
  const outer = { item: s.item, itemPrefix: s.itemPrefix, itemSource: s.itemSource, evidence: s.evidence };
  s.evidence = null;
  // Reasons found here name the list, not the item: `accounts.users[*].password: needs root`.
  s.itemPrefix = `${base}[*]`;
  const runs: ItemRun[] = [];
  for (let i = 0; i < list.length; i++) {
    s.item = list[i];
    if (where) {
      const w = where(s);
      if (w === false) continue;
      if (w !== true) {
        runs.push({ index: i, result: w });
        continue;
      }
    }
    runs.push({ index: i, result: body ? body(s) : true });
  }
  Object.assign(s, outer);
  return runs;
}

/** Sets up the item scope for one item, runs `fn`, and restores the outer scope. */
function inItem<T>(s: EvalState, list: unknown[], index: number, base: string, source: string | undefined, label: Reader | undefined, fn: (name: string) => T): T {
  const outer = { item: s.item, itemPrefix: s.itemPrefix, itemSource: s.itemSource, evidence: s.evidence };
  s.item = list[index];
  s.itemSource = source;
  s.itemPrefix = `${base}[${index}]`;
  const name = itemLabel(s, label, list[index], index);
  s.itemPrefix = `${base}[${name}]`;
  try {
    return fn(name);
  } finally {
    Object.assign(s, outer);
  }
}

/** Evidence for an item that did not pass: the values its conditions read, by field. */
function explainItem(s: EvalState, body: CompiledCondition, run: ItemRun, source: string | undefined): Evidence {
  const evidence: Evidence[] = [];
  const prefix = s.itemPrefix;
  s.evidence = evidence;
  body(s);
  const field = (fact: string) => (fact.startsWith(prefix) ? fact.slice(prefix.length + 1) || "value" : fact);
  const observed: Record<string, unknown> = {};
  for (const e of evidence) observed[field(e.fact)] = e.observed;
  return {
    fact: prefix,
    observed: run.result === false ? observed : { ...observed, unknown: (run.result as Unknownish).unknown },
    expected: evidence.map((e) => `${field(e.fact)} ${e.expected ?? ""}`.trim()).join("; ") || undefined,
    source,
  };
}

function readList(s: EvalState, reader: Reader): { list: unknown[] } | Unknownish {
  const got = reader.read(s);
  if (got instanceof Unknownish) return got;
  return Array.isArray(got) ? { list: got } : unk(`${reader.shown(s)}: not a list`);
}

function itemLabel(s: EvalState, label: Reader | undefined, item: unknown, index: number): string {
  if (label) {
    const v = label.read(s);
    if (!(v instanceof Unknownish)) return String(v);
  }
  if (item !== null && typeof item === "object") {
    const o = item as Record<string, unknown>;
    for (const k of ["name", "id", "address", "mountpoint", "source"]) if (typeof o[k] === "string") return o[k] as string;
  }
  return typeof item === "string" || typeof item === "number" ? String(item) : String(index);
}

function compileEach(
  cond: { each: string; where?: Condition; require: Condition; label?: string },
  at: (string | number)[],
  scope: Scope,
): CompiledCondition {
  const { reader, inner } = collectionScope(cond.each, at, scope, "each");
  const where = cond.where ? compile(cond.where, [...at, "where"], inner) : undefined;
  const require = compile(cond.require, [...at, "require"], inner);
  const label = cond.label ? compilePath(cond.label, at, inner, "label") : undefined;
  return (s) => {
    const got = readList(s, reader);
    if (got instanceof Unknownish) return got;
    const base = reader.shown(s);
    const runs = iterate(s, base, got.list, where, require);
    const source = reader.source(s);
    let reasons: string[] | undefined;
    let failed = false;
    let shown = 0;
    for (const run of runs) {
      if (run.result === true) continue;
      if (run.result === false) failed = true;
      else reasons = (reasons ?? []).concat(run.result.unknown);
      inItem(s, got.list, run.index, base, source, label, (name) => {
        if (run.result === false && s.failed.length < MAX_FAILED_LABELS) s.failed.push(name);
        const evidence = s.evidence;
        if (evidence !== null && shown++ < MAX_ITEM_EVIDENCE) evidence.push(explainItem(s, require, run, source));
      });
    }
    if (s.evidence && shown > MAX_ITEM_EVIDENCE) {
      s.evidence.push({ fact: base, observed: `${shown - MAX_ITEM_EVIDENCE} more items not shown` });
    }
    if (failed) return false;
    return reasons ? new Unknownish(reasons) : true;
  };
}

function compileCount(
  cond: { count: string; where?: Condition } & { [K in ComparisonOp]?: Operand },
  at: (string | number)[],
  scope: Scope,
): CompiledCondition {
  const { reader, inner } = collectionScope(cond.count, at, scope, "count");
  const where = cond.where ? compile(cond.where, [...at, "where"], inner) : undefined;
  const ops = COMPARISON_OPS.filter((o) => o in cond);
  if (ops.length !== 1) {
    scope.issues.push({ path: at, message: `count takes exactly one of: lt, lte, gt, gte, eq, ne` });
    return () => unk("rule did not compile");
  }
  const op = ops[0]!;
  const def = OPERATORS[op];
  if (!["lt", "lte", "gt", "gte", "eq", "ne"].includes(op)) {
    scope.issues.push({ path: [...at, op], key: true, message: `count compares with lt, lte, gt, gte, eq or ne, not "${op}"` });
  }
  const operand = compileOperand(cond[op] as Operand, [...at, op], scope);
  checkOperand(cond[op] as Operand, operand.param, "number", op, at, scope);
  return (s) => {
    const got = readList(s, reader);
    if (got instanceof Unknownish) return got;
    const base = reader.shown(s);
    const runs = iterate(s, base, got.list, where, undefined);
    const unknownRuns = runs.filter((i) => i.result !== true);
    if (unknownRuns.length > 0) return new Unknownish(unknownRuns.flatMap((i) => (i.result as Unknownish).unknown));
    const n = runs.length;
    s.count = n;
    const source = reader.source(s);
    const names = runs.slice(0, MAX_FAILED_LABELS).map((r) => inItem(s, got.list, r.index, base, source, undefined, (name) => name));
    s.failed.push(...names);
    s.evidence?.push({
      fact: `count(${base}${cond.where ? " where …" : ""})`,
      observed: { count: n, items: names.slice(0, MAX_ITEM_EVIDENCE) },
      expected: `${def.symbol} ${operand.text(s)}`,
      source,
    });
    return def.test(n, operand.get(s), s.now, undefined);
  };
}

function compileUnique(
  cond: { unique: string; key: string; label?: string },
  at: (string | number)[],
  scope: Scope,
): CompiledCondition {
  const { reader, inner } = collectionScope(cond.unique, at, scope, "unique");
  const key = compilePath(cond.key, at, inner, "key");
  const label = cond.label ? compilePath(cond.label, at, inner, "label") : undefined;
  return (s) => {
    const got = readList(s, reader);
    if (got instanceof Unknownish) return got;
    const list = got.list;
    const base = reader.shown(s);
    const source = reader.source(s);
    const groups = new Map<string, number[]>();
    let reasons: string[] | undefined;
    list.forEach((_, i) => {
      const k = inItem(s, list, i, base, source, undefined, () => key.read(s));
      if (k instanceof Unknownish) reasons = (reasons ?? []).concat(k.unknown);
      else {
        const id = JSON.stringify(k);
        groups.set(id, [...(groups.get(id) ?? []), i]);
      }
    });
    const field = cond.key.replace(/^item\.?/, "");
    const dups = [...groups.entries()].filter(([, idx]) => idx.length > 1);
    for (const [id, idx] of dups) {
      const names = idx.map((i) => inItem(s, list, i, base, source, label, (name) => name));
      s.failed.push(...names);
      s.evidence?.push({ fact: `${base}[${names.join(", ")}].${field}`, observed: JSON.parse(id), expected: "unique", source });
    }
    if (dups.length > 0) return false;
    if (reasons) return new Unknownish(reasons);
    s.evidence?.push({ fact: `${base}.${field}`, observed: `${list.length} items, all distinct`, expected: "unique", source });
    return true;
  };
}

/** `{ inHours: PATH, hours, days, timeZone }`: the reading and operands here, the time logic in src/engine/in-hours.ts. */
function compileInHours(
  cond: { inHours: string; hours: Operand; days: Operand; timeZone: Operand },
  at: (string | number)[],
  scope: Scope,
): CompiledCondition {
  const reader = compilePath(cond.inHours, at, scope, "inHours");
  if (reader.schema) {
    const kinds = [...kindsOf(reader.schema)].filter((k) => k !== "null");
    if (kinds.length > 0 && !kinds.includes("any") && !kinds.includes("string")) {
      scope.issues.push({ path: [...at, "inHours"], message: `inHours reads an ISO time, but ${reader.display} is ${kinds.join(" or ")}` });
    }
  }
  const operand = (key: "hours" | "days" | "timeZone") => {
    const raw = cond[key];
    const o = compileOperand(raw, [...at, key], scope);
    const isParam = raw !== null && typeof raw === "object" && !Array.isArray(raw);
    return isParam ? { get: o.get, text: o.text, param: o.param, paramName: raw.param } : { get: o.get, text: o.text, literal: raw };
  };
  const test = compileInHoursWith({ hours: operand("hours"), days: operand("days"), timeZone: operand("timeZone") }, at, scope.issues);
  return (s: EvalState): Tri => {
    const got = reader.read(s);
    const result = test(s, got);
    s.evidence?.push({ fact: reader.shown(s), observed: got instanceof Unknownish ? "unknown" : got, expected: result.expected, source: reader.source(s) });
    if (got instanceof Unknownish) return got;
    return typeof result.value === "string" ? unk(`${reader.shown(s)}: ${result.value}`) : result.value;
  };
}
