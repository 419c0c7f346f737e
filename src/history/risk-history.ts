import type { ScanHistoryInput } from "../risk/nprm-history.js";
import type { PreviousRun } from "../risk/history.js";
import type { RunRecord } from "./record.js";
import { readStoredRun } from "./run-index.js";
import type { HistoryStore } from "./types.js";

/** Risk analysis inputs read from the history before the rules run (src/risk/analysis.ts uses them). */
export interface RiskHistory {
  /** Earlier runs of this scope, for the proposed-rule pack's interval checks; undefined without any. */
  scans?: ScanHistoryInput;
  /** The baseline run's register, for "how the register changed since the last run". */
  previous?: PreviousRun;
}

const DAY = 86_400_000;
/** How far back the interval checks look (12 months, with a margin for the review window). */
export const SCAN_HISTORY_DAYS = 400;

/** The baseline's register as the risk analysis wants it; undefined when the record kept none. */
export function previousRunOf(record: RunRecord | undefined, source: "history" | "file" | undefined): PreviousRun | undefined {
  if (!record?.risks) return undefined;
  return { ...(source === "history" ? { runId: record.id } : {}), finishedAt: record.finishedAt, risks: record.risks };
}

/** Whether a recorded run produced an asset inventory (src/assets/inventory.ts wantsInventory) and reached a network. */
export function runCoverage(record: { targets: Pick<RunRecord["targets"][number], "kind" | "status">[] }): { assetInventory: boolean; networkScan: boolean } {
  return {
    assetInventory: record.targets.length > 1 || record.targets.some((t) => t.kind === "network"),
    networkScan: record.targets.some((t) => t.kind === "network" && t.status !== "unreachable"),
  };
}

/**
 * Earlier runs of `scope` that finished in the last SCAN_HISTORY_DAYS before `now`: when each
 * finished, whether it had an asset inventory and network scan, and when it was last reviewed
 * (`history review`). Runs are read one at a time, newest first, from their drift indexes. Undefined when the history
 * holds no earlier run of the scope at all: the interval checks then say "no history" (`error`).
 */
export async function scanHistory(store: HistoryStore, scope: string, now: Date): Promise<ScanHistoryInput | undefined> {
  const entries = await store.list();
  const runs = entries.filter((e) => e.kind === "run" && e.scope === scope);
  if (runs.length === 0) return undefined;
  const reviewedAt = new Map<string, string>();
  for (const e of entries) if (e.kind === "review" && (reviewedAt.get(e.scope) ?? "") < e.at) reviewedAt.set(e.scope, e.at);
  const from = now.getTime() - SCAN_HISTORY_DAYS * DAY;
  const out: ScanHistoryInput = { runs: [], earliest: runs[0]!.at };
  for (const meta of [...runs].reverse()) {
    if (Date.parse(meta.at) < from) break;
    // The run's drift index holds its targets and finish time: no whole record is read.
    const run = await readStoredRun(store, meta);
    const seen = run?.index ?? run?.record;
    if (!seen) continue; // pruned
    const review = reviewedAt.get(meta.id);
    out.runs.push({ finishedAt: seen.finishedAt, ...runCoverage(seen), ...(review ? { reviewedAt: review } : {}) });
  }
  return out;
}

/** Both inputs; the caller passes the baseline it already resolved. */
export async function readRiskHistory(
  store: HistoryStore | undefined,
  scope: string,
  baseline: { record: RunRecord; source: "history" | "file" } | undefined,
  opts: { intervals: boolean; now: Date },
): Promise<RiskHistory> {
  const scans = store && opts.intervals ? await scanHistory(store, scope, opts.now) : undefined;
  const previous = previousRunOf(baseline?.record, baseline?.source);
  return { ...(scans ? { scans } : {}), ...(previous ? { previous } : {}) };
}
