import { MiB, readTextFile } from "./core/text-file.js";
import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import { collectors } from "./collectors/index.js";
import { preflightProblems } from "./collectors/preflight.js";
import { failedTargetFacts, failureReason } from "./collectors/target-result.js";
import type { CollectContext, CollectOptions, CollectorRegistry, Logger, ProgressEvent, SecretProvider } from "./collectors/types.js";
import { FactsFileError, TransportError, UsageError, errorMessage } from "./core/errors.js";
import { FACTS_FORMAT, FACTS_SCHEMA_VERSION, type FactsDocument, type Finding, type Report, type ShardTag, type TargetFacts, type TargetSpec } from "./core/model.js";
import type { ValidateFunction } from "ajv";
import { makeAjv } from "./engine/ajv.js";
import { evaluateRules } from "./engine/evaluate.js";
import { loadRuleSet, type RuleSet } from "./engine/packs.js";
import { coerceParam, paramValueProblem } from "./engine/rule.js";
import { patternProblem } from "./engine/pattern.js";
import { regexParamNames } from "./engine/regex-params.js";
import { hoursParamProblem } from "./engine/hours-params.js";
import { FactsDocumentSchema, TARGET_FACTS_SCHEMAS } from "./facts/index.js";
import { applyAlternatives, loadAlternatives, type Alternative } from "./policy/alternatives.js";
import { buildReport, type FailOn } from "./report/build.js";
import { SharedStrings } from "./report/shared-strings.js";
import { splitRiskParams, type RiskParams } from "./risk/params.js";
import { addRiskAnalysis } from "./risk/analysis.js";
import { loadPlan } from "./plan/load.js";
import type { PlanFile } from "./plan/schema.js";
import type { RiskHistory } from "./history/risk-history.js";
import { TOOL } from "./version.js";

/**
 * The pipeline, top to bottom:
 *   1. load and compile rule packs (before any target is touched)
 *   2. resolve --param values against the rules' declared params
 *   3. collect facts from every target (bounded concurrency, a deadline per target)
 *   4. evaluate rules over the facts, then apply documented alternative measures
 *   5. build the report (catalog, manual items, gate)
 * `scan` is exactly `collect` followed by `evaluate`, so saved facts give the same findings.
 */

export interface RunOptions {
  /** Extra rule pack directories or files (`--rules`). */
  rulePaths: string[];
  /** Raw `--param name=value` pairs. */
  params: Record<string, string>;
  failOn: FailOn;
  /** `--alternatives FILE`: documented alternative measures for addressable specifications. */
  alternatives?: string;
  /** Pseudo-targets the caller read before evaluation, e.g. the site's history facts (src/history/site-facts.ts). */
  siteFacts?: TargetFacts[];
  /** `--plan FILE`: the remediation plan to check the register against. */
  plan?: string;
  /** Earlier runs and the baseline's register, read from the history before evaluation (src/history/risk-history.ts). */
  riskHistory?: RiskHistory;
}

export interface CollectRequest {
  targets: TargetSpec[];
  options: CollectOptions;
  concurrency: number;
  secrets: SecretProvider;
  progress?: (event: ProgressEvent) => void;
  log?: Logger;
  /** Ctrl-C: collectors stop and keep what they have. */
  signal?: AbortSignal;
  /** The collectors by scheme; tests pass their own. */
  registry?: CollectorRegistry;
  /** `--shard K/N`: which part of a run these targets are; goes on the facts (and so the report). */
  shard?: ShardTag;
  /** Each target as it finishes (any order); the facts document keeps what this returns in its place. */
  onTarget?: (t: TargetFacts, index: number) => TargetFacts;
}

const silentLog: Logger = { verbose: () => {}, warn: () => {} };
/** How long a collector may overrun its deadline before its target is abandoned. */
const DEADLINE_GRACE_MS = 2_000;

export interface Prepared {
  ruleSet: RuleSet;
  params: Record<string, unknown>;
  alternatives: Alternative[];
  /** Risk-method and plan params (`--param risk.*`, `plan.*`), and the plan file. */
  risk?: { params: RiskParams; given: Record<string, number>; plan?: { file: string; data: PlanFile } };
}

/** Loads the rule set, params and alternative measures: everything that can go wrong before scanning. */
export async function prepare(run: RunOptions): Promise<Prepared> {
  const ruleSet = await loadRuleSet(run.rulePaths);
  const split = splitRiskParams(run.params);
  const params = resolveParams(ruleSet, split.rule);
  const alternatives = run.alternatives ? await loadAlternatives(run.alternatives, ruleSet) : [];
  const plan = run.plan ? { file: run.plan, data: await loadPlan(run.plan) } : undefined;
  return { ruleSet, params, alternatives, risk: { params: split.risk, given: split.given, ...(plan ? { plan } : {}) } };
}

/** What `scan` lets its caller do between the steps (the CLI saves the facts with `--save-facts`). */
export interface ScanHooks {
  /** Step 3 is done: the facts, before any rule looks at them. */
  collected?(facts: FactsDocument): Promise<void>;
  /** Clock for the report's finish time and for alternatives' review dates; the system clock by default. */
  clock?: Clock;
  /**
   * Flat memory (issue 14): each target goes to `keep` as soon as it is collected (src/facts/spool.ts
   * spools it); the rules run on the `full` target it returns and the document keeps `kept` in its
   * place. `collected` then sees the kept targets.
   */
  keep?: (t: TargetFacts, index: number) => { full: TargetFacts; kept: TargetFacts };
}

/** Steps 1–5. The rule packs are compiled before any target is touched. */
export async function scan(run: RunOptions, req: CollectRequest, hooks: ScanHooks = {}): Promise<Report> {
  const prepared = await prepare(run);
  const keep = hooks.keep;
  const early: Finding[][] = [];
  const shared = new SharedStrings();
  const onTarget = keep
    ? (t: TargetFacts, i: number) => {
        const { full, kept } = keep(t, i);
        early[i] = shared.findings(evaluateRules(prepared.ruleSet.rules, [full], prepared.params));
        return kept;
      }
    : undefined;
  const facts = await collectFacts(onTarget ? { ...req, onTarget } : req);
  await hooks.collected?.(facts);
  return evaluateFacts(facts, run, prepared, hooks.clock, keep ? early.flat() : undefined);
}

/** Step 3: facts from every target. One target's failure never stops the others. */
export async function collectFacts(req: CollectRequest): Promise<FactsDocument> {
  const ids = new Set<string>();
  for (const t of req.targets) {
    if (ids.has(t.id)) throw new UsageError(`target ${t.id} is listed twice`);
    ids.add(t.id);
  }
  const problems = preflightProblems(req.targets, req.options);
  if (problems.length > 0) throw new UsageError(problems[0]!);
  const startedAt = new Date();
  const limit = pLimit(Math.max(1, req.concurrency));
  // One signal stops every collector at once: Ctrl-C, or a target's fatal (usage) error.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // one listener per target in flight
  const onInterrupt = () => stop.abort(req.signal?.reason);
  if (req.signal?.aborted) onInterrupt();
  req.signal?.addEventListener("abort", onInterrupt, { once: true });
  let settled;
  try {
    settled = await Promise.allSettled(req.targets.map((t, i) => limit(async () => {
          const got = await collectOne(t, { ...req, signal: stop.signal }, startedAt, stop);
          return req.onTarget ? req.onTarget(got, i) : got;
        })));
  } finally {
    req.signal?.removeEventListener("abort", onInterrupt);
  }
  const fatal = settled.find((s) => s.status === "rejected");
  if (fatal) throw fatal.reason;
  const targets = settled.map((s) => (s as PromiseFulfilledResult<TargetFacts>).value);
  return {
    format: FACTS_FORMAT,
    schemaVersion: FACTS_SCHEMA_VERSION,
    tool: TOOL,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    targets,
    ...(req.shard ? { shard: req.shard } : {}),
  };
}

async function collectOne(target: TargetSpec, req: CollectRequest, startedAt: Date, stop: AbortController): Promise<TargetFacts> {
  const progress = req.progress ?? (() => {});
  const log = req.log ?? silentLog;
  if (stop.signal.aborted) return failedTargetFacts(target, { collector: target.scheme, at: startedAt, status: "error", reason: INTERRUPTED_REASON });
  progress({ type: "target-start", target: target.id });
  // An inventory may give a host its own deadline (`timeout:`), in place of --timeout.
  const timeoutMs =
    typeof target.options?.timeoutMs === "number"
      ? target.options.timeoutMs
      : target.kind === "network"
        ? (req.options.networkTimeoutMs ?? req.options.timeoutMs)
        : req.options.timeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  const ctx: CollectContext = { options: req.options, secrets: req.secrets, signal, progress, log, now: () => startedAt };
  let result: TargetFacts;
  try {
    const collector = await (req.registry ?? collectors)[target.scheme]();
    result = await withDeadline(collector.collect(target, ctx), timeoutMs + DEADLINE_GRACE_MS, stop.signal);
  } catch (err) {
    if (err instanceof UsageError) {
      stop.abort(err);
      throw err;
    }
    const status = err instanceof TransportError ? err.status : "error";
    result = failedTargetFacts(target, { collector: target.scheme, at: startedAt, status, reason: failureReason(target, err, log) });
  }
  // A target cut short by Ctrl-C says so, whatever its collector made of the dropped connection.
  if (stop.signal.aborted && result.status !== "ok") result = { ...result, statusReason: INTERRUPTED_REASON };
  progress({ type: "target-done", target: target.id, status: result.status });
  return result;
}

class DeadlineExceeded extends TransportError {}

const INTERRUPTED_REASON = "interrupted before this target finished";
/** How long a collector may take to wind up after the run is stopped before it is abandoned. */
const INTERRUPT_GRACE_MS = 500;

function withDeadline<T>(work: Promise<T>, ms: number, stopped: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded("error", `no result within the ${Math.round(ms / 1000)} s deadline`)), ms);
  });
  let fire = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    fire = () => (graceTimer = setTimeout(() => reject(new DeadlineExceeded("error", INTERRUPTED_REASON)), INTERRUPT_GRACE_MS));
    if (stopped.aborted) fire();
    else stopped.addEventListener("abort", fire, { once: true });
  });
  return Promise.race([work, timeout, interrupted]).finally(() => {
    stopped.removeEventListener("abort", fire);
    clearTimeout(timer);
    clearTimeout(graceTimer);
  });
}

/** Reads the time; the system clock unless a caller passes its own. */
export type Clock = () => Date;
const systemClock: Clock = () => new Date();

/**
 * Steps 4–5: findings, the report, and the risk analysis. Pure over its inputs and `clock`, which
 * dates the report and decides whether an alternative measure or a plan item is past its date.
 */
export function evaluateFacts(facts: FactsDocument, run: RunOptions, prepared: Prepared, clock: Clock = systemClock, targetFindings?: Finding[]): Report {
  // `targetFindings`: the targets' rules already ran as each was collected (ScanHooks.keep).
  const evaluated = targetFindings
    ? [...targetFindings, ...evaluateRules(prepared.ruleSet.rules, run.siteFacts ?? [], prepared.params)]
    : evaluateRules(prepared.ruleSet.rules, [...facts.targets, ...(run.siteFacts ?? [])], prepared.params);
  const findings = applyAlternatives(evaluated, prepared.alternatives, clock().toISOString().slice(0, 10));
  const report = buildReport({
    facts,
    findings,
    ruleSet: prepared.ruleSet,
    params: prepared.params,
    failOn: run.failOn,
    tool: TOOL,
    finishedAt: clock().toISOString(),
  });
  return withRiskAnalysis(report, facts, prepared, clock, run.riskHistory);
}

/** Step 5b: the asset inventory, risk register and plan state of a built report (also `merge`'s last step). */
export function withRiskAnalysis(report: Report, facts: FactsDocument, prepared: Prepared, clock: Clock = systemClock, history: RiskHistory = {}): Report {
  const risk = prepared.risk ?? { params: splitRiskParams({}).risk, given: {} };
  return addRiskAnalysis(report, facts, prepared.ruleSet, {
    params: risk.params,
    givenParams: risk.given,
    ...(risk.plan ? { plan: risk.plan } : {}),
    ...(history.scans ? { history: history.scans } : {}),
    ...(history.previous ? { previous: history.previous } : {}),
    today: clock().toISOString().slice(0, 10),
  });
}

/** `evaluate FILE`: the same steps 4–5 over a saved facts file. */
export async function evaluateFile(file: string, run: RunOptions): Promise<Report> {
  const prepared = await prepare(run);
  return evaluateFacts(await readFactsFile(file), run, prepared);
}

/** Facts of a 20,000-user directory are about 30 MiB; a file this large is not a facts file. */
const MAX_FACTS_FILE_BYTES = 256 * MiB;

let validators: { document: ValidateFunction; targets: Record<string, ValidateFunction> } | undefined;

/** Reads and validates a facts file; corrupt, foreign or other-version files are refused clearly. */
export async function readFactsFile(file: string): Promise<FactsDocument> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_FACTS_FILE_BYTES);
  } catch (err) {
    throw new FactsFileError(`cannot read facts file ${file}: ${errorMessage(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new FactsFileError(`${file} is not valid JSON (${errorMessage(err)}); was it written by "hipaa-scan collect"?`);
  }
  const head = data as { format?: unknown; schemaVersion?: unknown; targets?: unknown };
  if (head?.format !== FACTS_FORMAT) throw new FactsFileError(`${file} is not a hipaa-scan facts file (no "format": "${FACTS_FORMAT}")`);
  if (head.schemaVersion !== FACTS_SCHEMA_VERSION) {
    throw new FactsFileError(
      `${file} has facts schema version ${JSON.stringify(head.schemaVersion)}; this hipaa-scan reads version ${FACTS_SCHEMA_VERSION}. Collect again with this version.`,
    );
  }
  if (!validators) {
    const ajv = makeAjv();
    validators = {
      document: ajv.compile({ ...FactsDocumentSchema, properties: { ...FactsDocumentSchema.properties, targets: { type: "array" } } }),
      targets: Object.fromEntries(Object.entries(TARGET_FACTS_SCHEMAS).map(([k, s]) => [k, ajv.compile(s)])),
    };
  }
  const problems = (v: ValidateFunction, at: string) =>
    (v.errors ?? []).slice(0, 3).map((e) => `${at}${e.instancePath} ${e.message}`).join("; ");
  if (!validators.document(data)) throw new FactsFileError(`${file} does not match the facts schema: ${problems(validators.document, "")}`);
  (head.targets as { target?: { kind?: string } }[]).forEach((t, i) => {
    const validate = validators!.targets[t?.target?.kind ?? ""];
    if (!validate) throw new FactsFileError(`${file}: /targets/${i}/target/kind must be host, directory or network`);
    if (!validate(t)) throw new FactsFileError(`${file} does not match the facts schema: ${problems(validate, `/targets/${i}`)}`);
  });
  return data as FactsDocument;
}

/** Checks `--param` names and types against what the loaded rules declare. */
export function resolveParams(ruleSet: RuleSet, raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(raw)) {
    const def = ruleSet.rules.map((r) => r.def.params?.[name]).find((d) => d !== undefined);
    if (!def) {
      const known = [...new Set(ruleSet.rules.flatMap((r) => Object.keys(r.def.params ?? {})))].sort();
      throw new UsageError(`unknown param "${name}"; rules declare: ${known.join(", ")}`);
    }
    const value = coerceParam(def, text);
    const problem = paramValueProblem(def, value);
    if (problem) throw new UsageError(`--param ${name}: ${problem}`);
    const regexProblem = typeof value === "string" && ruleSet.rules.some((r) => regexParamNames(r.def).has(name)) ? patternProblem(value) : undefined;
    if (regexProblem) throw new UsageError(`--param ${name}: ${regexProblem}`);
    const hoursProblem = hoursParamProblem(ruleSet.rules, name, value);
    if (hoursProblem) throw new UsageError(`--param ${name}: ${hoursProblem}`);
    out[name] = value;
  }
  return out;
}
