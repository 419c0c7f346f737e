import type { Evidence, Finding, FindingStatus, TargetFacts } from "../core/model.js";
import { RULE_FACTS_SCHEMAS } from "../facts/index.js";
import { isUnknown } from "../facts/unknown.js";
import { isKind } from "../core/target-facts.js";
import { compileCondition, isUnknownTri, type CompileIssue, type CompiledCondition, type EvalState, type Tri } from "./conditions.js";
import type { JsonSchema } from "./fact-paths.js";
import type { ParamDef, RuleDef } from "./rule-schema.js";
import { compileTemplate, type CompiledTemplate } from "./template.js";
import { patternProblem } from "./pattern.js";
import { regexParamNames } from "./regex-params.js";

/**
 * A rule compiled once: conditions as closures, templates parsed, params typed. Immutable; each
 * evaluation returns a new Finding.
 */
export interface CompiledRule {
  readonly def: Readonly<RuleDef>;
  readonly pack: string;
  readonly file: string;
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Whether this rule concerns the target at all (kind and OS); rules for other platforms are left out. */
  concerns(target: TargetFacts): boolean;
  evaluate(target: TargetFacts, params: Record<string, unknown>): Finding;
}

const MAX_REASONS = 5;

export function compileRule(def: RuleDef, pack: string, file: string, issues: CompileIssue[]): CompiledRule {
  const factsSchema = RULE_FACTS_SCHEMAS[def.appliesTo.kind] as JsonSchema;
  const paramDefs: Record<string, ParamDef> = def.params ?? {};
  const defaults: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(paramDefs)) {
    const problem = paramValueProblem(p, p.default);
    if (problem) issues.push({ path: ["params", name, "default"], message: problem });
    defaults[name] = p.default;
  }
  for (const name of regexParamNames(def)) {
    const value = paramDefs[name]?.default;
    const problem = typeof value === "string" ? patternProblem(value) : undefined;
    if (problem) issues.push({ path: ["params", name, "default"], message: `param ${name}: ${problem}` });
  }
  const when = def.when ? compileCondition(def.when, ["when"], factsSchema, paramDefs, issues) : undefined;
  const check = compileCondition(def.check, ["check"], factsSchema, paramDefs, issues);
  const templates: Record<"pass" | "fail" | "not_applicable", CompiledTemplate | undefined> = {
    pass: undefined,
    fail: undefined,
    not_applicable: undefined,
  };
  for (const key of ["pass", "fail", "not_applicable"] as const) {
    const text = def.message[key];
    if (text !== undefined) {
      templates[key] = compileTemplate(text, defaults, factsSchema, (message) =>
        issues.push({ path: ["message", key], message }),
      );
    }
  }
  const frozen = deepFreeze(structuredClone(def));
  // The run's params object is the same for every target: merge it with the defaults once.
  const merged = new WeakMap<object, Record<string, unknown>>();
  const remediations = new Map<string, string>();
  return {
    def: frozen,
    pack,
    file,
    defaults: Object.freeze({ ...defaults }),
    concerns(target) {
      if (target.target.kind !== def.appliesTo.kind) return false;
      if (!def.appliesTo.os || !isKind(target, "host")) return true;
      const os = target.facts.os;
      // A host whose OS could not be identified still gets every host rule, so nothing passes unseen.
      return !os || isUnknown(os) || os.family === "unknown" || def.appliesTo.os.some((o) => o === os.family);
    },
    evaluate(target, params) {
      let effective = merged.get(params);
      if (!effective) merged.set(params, (effective = { ...defaults, ...pickParams(params, paramDefs) }));
      const key = remediationKey(target);
      let remediation = remediations.get(key);
      if (remediation === undefined) remediations.set(key, (remediation = pickRemediation(frozen, target)));
      return evaluateRule(frozen, target, effective, remediation, when, check, templates);
    },
  };
}

/** Parsed once per target rather than once per rule: Date.parse is costly at 10,000 hosts. */
const collectedTimes = new WeakMap<TargetFacts, number>();
function collectedAtMs(target: TargetFacts): number {
  let t = collectedTimes.get(target);
  if (t === undefined) collectedTimes.set(target, (t = Date.parse(target.collectedAt)));
  return t;
}

function pickParams(all: Record<string, unknown>, defs: Record<string, ParamDef>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(defs)) if (Object.hasOwn(all, name)) out[name] = all[name];
  return out;
}

function evaluateRule(
  def: RuleDef,
  target: TargetFacts,
  params: Record<string, unknown>,
  remediation: string,
  when: CompiledCondition | undefined,
  check: CompiledCondition,
  templates: Record<"pass" | "fail" | "not_applicable", CompiledTemplate | undefined>,
): Finding {
  // Built field by field (no spreads): this runs once per rule per target, 10,000s of times.
  const finding = (status: FindingStatus, message: string, evidence: Evidence[]): Finding => ({
    ruleId: def.id,
    title: def.title,
    severity: def.severity,
    status,
    target: target.target,
    hipaa: def.hipaa,
    message,
    evidence,
    remediation,
  });
  if (def.appliesTo.tags) {
    const missing = Object.entries(def.appliesTo.tags).filter(([k, v]) => target.tags[k] !== v);
    if (missing.length > 0) {
      const need = missing.map(([k, v]) => `${k}=${String(v)}`).join(", ");
      return finding("not_applicable", `Applies only to targets tagged ${need}.`, []);
    }
  }
  const state: EvalState = {
    facts: target.facts,
    sources: target.sources,
    params,
    now: collectedAtMs(target),
    item: undefined,
    itemPrefix: "",
    itemSource: undefined,
    evidence: null,
    failed: [],
    count: undefined,
  };
  if (when) {
    const whenEvidence: Evidence[] = [];
    state.evidence = whenEvidence;
    const w = when(state);
    if (w === false) {
      const message = templates.not_applicable?.({ params, facts: target.facts, failed: [], count: undefined }) ?? "Not applicable to this target.";
      return finding("not_applicable", message, whenEvidence);
    }
    if (isUnknownTri(w)) return finding("error", unknownMessage(w.unknown), whenEvidence);
    state.failed = [];
  }
  const evidence: Evidence[] = [];
  state.evidence = evidence;
  const result: Tri = check(state);
  if (isUnknownTri(result)) return finding("error", unknownMessage(result.unknown), evidence);
  const status: FindingStatus = result ? "pass" : "fail";
  return finding(status, templates[status]!({ params, facts: target.facts, failed: state.failed, count: state.count }), evidence);
}

function unknownMessage(unknown: string[]): string {
  const reasons = [...new Set(unknown)];
  const shown = reasons.slice(0, MAX_REASONS).join("; ");
  const more = reasons.length > MAX_REASONS ? ` (and ${reasons.length - MAX_REASONS} more)` : "";
  return `Could not check: ${shown}${more}`;
}

/**
 * The host's `os` section when it was read. Fields may still be missing: a rule test's facts are
 * checked against the schema with nothing required (src/engine/rule-tests.ts).
 */
function knownOs(target: TargetFacts) {
  const os = isKind(target, "host") ? target.facts.os : undefined;
  return os && !isUnknown(os) ? os : undefined;
}

function remediationKey(target: TargetFacts): string {
  const os = knownOs(target);
  const osKey = os ? `${String(os.family)}/${String(os.id)}` : "";
  return `${target.target.kind}|${osKey}|${directoryType(target) ?? ""}`;
}

/** `ad` or `openldap`, from the directory facts' server section (src/facts/directory.ts). */
function directoryType(target: TargetFacts): string | undefined {
  const server = isKind(target, "directory") ? target.facts.server : undefined;
  return server && !isUnknown(server) ? String(server.type) : undefined;
}

const RHEL_LIKE = /^(rhel|centos|rocky|almalinux|fedora|ol|amzn)$/;
const DEBIAN_LIKE = /^(debian|ubuntu|linuxmint|raspbian|pop)$/;

function pickRemediation(def: RuleDef, target: TargetFacts): string {
  const r = def.remediation;
  const os = knownOs(target);
  const flavour = directoryType(target);
  const candidates: (string | undefined)[] = [];
  if (os) {
    const { id, family } = os;
    if (typeof id === "string" && id && DEBIAN_LIKE.test(id)) candidates.push(r.debian);
    if (typeof id === "string" && id && RHEL_LIKE.test(id)) candidates.push(r.rhel);
    if (family === "linux" || family === "macos" || family === "windows") candidates.push(r[family]);
  }
  if (target.target.kind === "directory") candidates.push(flavour === "openldap" ? r.openldap : r.ad);
  if (target.target.kind === "network") candidates.push(r.network);
  return candidates.find((c) => c !== undefined) ?? r.default;
}

/** Checks a param value against its declared type; returns a problem or undefined. */
export function paramValueProblem(def: ParamDef, value: unknown): string | undefined {
  const ok =
    def.type === "string[]"
      ? Array.isArray(value) && value.every((v) => typeof v === "string")
      : def.type === "integer"
        ? Number.isInteger(value)
        : typeof value === def.type;
  if (!ok) return `expected ${def.type}, got ${JSON.stringify(value)}`;
  if (typeof value === "number") {
    if (def.minimum !== undefined && value < def.minimum) return `must be ≥ ${def.minimum}`;
    if (def.maximum !== undefined && value > def.maximum) return `must be ≤ ${def.maximum}`;
  }
  return undefined;
}

/** Turns a `--param name=value` string into the param's type. */
export function coerceParam(def: ParamDef, text: string): unknown {
  switch (def.type) {
    case "integer":
    case "number":
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    case "string[]":
      return text.split(",").map((s) => s.trim()).filter(Boolean);
    default:
      return text;
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
