import { readFile } from "node:fs/promises";
import type { KeyObject } from "node:crypto";
import type { FactsDocument, Report, RunInfo } from "../core/model.js";
import { gateExitCode } from "../core/exit-codes.js";
import { atOrAbove } from "../report/build.js";
import { reportFromJson } from "../report/read.js";
import { withActivityHistory, type ActivityPoint } from "../report/activity.js";
import { linkEntry } from "./chain.js";
import { computeDrift, carryFirstSeen, recordFromReport, trendOf, type Baseline } from "./drift.js";
import { HistoryError } from "./errors.js";
import { buildRunRecord, newRunId, shardRunId, type ReviewRecord, type RunRecord } from "./record.js";
import { failingKeys, loadChangedEvidence, materialize, readStoredRun, storedIndex, wholeRun } from "./run-index.js";
import type { HistoryStore } from "./types.js";

/** How many runs of a scope the trend picture shows. */
export const TREND_RUNS = 10;

/** `--baseline last|RUN_ID|REPORT.json`. `last` (the default with history) is the newest run of the same scope. */
export async function resolveBaseline(store: HistoryStore | undefined, spec: string, scope: string): Promise<Baseline | undefined> {
  // Stored runs are read through their drift index (src/history/run-index.ts), not whole.
  if (spec === "last") {
    const [meta] = store ? await store.runMetasOfScope(scope, 1) : [];
    const stored = store && meta ? await readStoredRun(store, meta) : undefined;
    return stored ? { record: materialize(stored).record, source: "history", stored } : undefined;
  }
  const meta = store ? (await store.list()).find((e) => e.id === spec) : undefined;
  if (store && meta) {
    const stored = await readStoredRun(store, meta);
    if (!stored) throw new HistoryError(`--baseline ${spec}: not a stored run (a review, or pruned)`);
    return { record: materialize(stored).record, source: "history", stored };
  }
  let text: string;
  try {
    text = await readFile(spec, "utf8");
  } catch {
    throw new HistoryError(`--baseline ${spec}: neither "last", a run id in the history, nor a readable report file`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new HistoryError(`--baseline ${spec}: not a JSON report (${(err as Error).message})`);
  }
  // Either published report version (src/report/read.ts), validated.
  let report: Report;
  try {
    report = reportFromJson(data, spec);
  } catch (err) {
    throw new HistoryError(`--baseline ${(err as Error).message}`);
  }
  return { record: recordFromReport(report), source: "file" };
}

export interface RecordRunOptions {
  command: RunRecord["command"];
  baseline?: Baseline;
  signer?: KeyObject;
  failOnNew: boolean;
  now?: Date;
  /** Earlier runs' activity counts per target id, oldest first (src/history/login-sources.ts): the Activity section's counts over time. */
  activityHistory?: Map<string, ActivityPoint[]>;
}

/**
 * Records a finished run in the chain and returns the report with its drift, its place in the chain
 * and the last review. Without a store (`--no-history`) only the drift against a file baseline is added.
 */
export async function recordRun(store: HistoryStore | undefined, report: Report, facts: FactsDocument, opts: RecordRunOptions): Promise<{ report: Report; record: RunRecord }> {
  const at = opts.now ?? new Date();
  const id = report.shard ? shardRunId(at, report.shard) : newRunId(at);
  const record = buildRunRecord(report, facts, opts.command, id);
  let baseline = opts.baseline;
  if (baseline?.stored) {
    const run = materialize(baseline.stored, failingKeys(record.findings));
    await loadChangedEvidence(wholeRun(record), run);
    baseline = { ...baseline, record: run.record };
  }
  const drift = baseline ? computeDrift(record, baseline) : undefined;
  carryFirstSeen(record, drift);
  let run: RunInfo | undefined;
  let trend: ReturnType<typeof trendOf> | undefined;
  if (store) {
    const older: RunRecord[] = [];
    // The trend counts failing findings only: each older run's index, materialised with nothing else.
    for (const meta of await store.runMetasOfScope(record.scope, TREND_RUNS - 1)) {
      const stored = await readStoredRun(store, meta);
      if (stored) older.unshift(materialize(stored).record);
    }
    trend = trendOf([...older, record]);
    const row = await store.append(linkEntry({ kind: "run", id, scope: record.scope, at: record.startedAt, record }, opts.signer), storedIndex(record));
    run = { id, hash: row.hash, previousHash: row.prevHash };
    const review = await lastReview(store);
    if (review) run.lastReview = { runId: review.runId, by: review.by, at: review.at, ...(review.note ? { note: review.note } : {}) };
  }
  let out: Report = { ...report, ...(run ? { run } : {}), ...(drift ? { drift: { ...drift, ...(trend ? { trend } : {}) } } : {}) };
  if (run && out.activity && opts.activityHistory) out.activity = withActivityHistory(out.activity, opts.activityHistory, { runId: id, finishedAt: report.finishedAt });
  if (opts.failOnNew) out = gateOnNew(out);
  return { report: out, record };
}

/** The newest review in the chain. */
export async function lastReview(store: HistoryStore): Promise<ReviewRecord | undefined> {
  const reviews = (await store.list()).filter((e) => e.kind === "review");
  const newest = reviews.at(-1);
  const row = newest ? await store.get(newest.id) : undefined;
  return row?.record ? (JSON.parse(row.record) as ReviewRecord) : undefined;
}

/**
 * `--fail-on-new`: the gate counts only failing findings at or above --fail-on that the baseline did
 * not have. With no baseline at all (a first run) every failing finding is new: the gate fails closed.
 */
export function gateOnNew(report: Report): Report {
  const gate = report.summary.gate;
  const isNew = report.drift
    ? new Set(report.drift.findings.new.map((d) => `${d.target.kind}|${d.target.id}|${d.ruleId}`))
    : undefined;
  const failed = report.findings.filter(
    (f) => f.status === "fail" && !f.alternative && atOrAbove(f.severity, gate.failOn) && (!isNew || isNew.has(`${f.target.kind}|${f.target.id}|${f.ruleId}`)),
  ).length;
  const exitCode = gateExitCode(failed, gate.incomplete);
  return { ...report, summary: { ...report.summary, gate: { ...gate, failed, exitCode, failOnNew: true } } };
}
