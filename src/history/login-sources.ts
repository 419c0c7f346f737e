import type { TargetFacts } from "../core/model.js";
import { isUnknown, unknown } from "../facts/unknown.js";
import { loginSourceKey } from "./record.js";
import { readStoredRun } from "./run-index.js";
import type { HistoryStore } from "./types.js";
import { TREND_RUNS } from "./session.js";
import type { ActivityPoint } from "../report/activity.js";

/** How many earlier runs of the same targets are compared (each keeps its window's login sources). */
export const LOGIN_HISTORY_RUNS = 20;

/** How many earlier runs the Activity section's counts over time show (with this run, the trend's TREND_RUNS). */
export const ACTIVITY_HISTORY_RUNS = TREND_RUNS - 1;

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** What earlier runs of this scope recorded of each host's logins, read in one pass over their drift indexes. */
export interface LoginHistory {
  /** `SOURCE USER` pairs per target id; a reason text when there is no history to compare with. */
  sources: Map<string, Set<string>> | string;
  /** Per target id, oldest first: the activity counts each earlier run recorded (src/history/record.ts assetsOf). */
  counts: Map<string, ActivityPoint[]>;
}

/**
 * The login sources of the last `sources` runs of this scope and the activity counts of the last
 * `counts`, per target id. Read before the rules run, like the site facts; each run's drift index
 * carries its targets' assets, so no whole record is read (a run without an index is read whole).
 */
export async function readLoginHistory(store: HistoryStore | undefined, scope: string, limits: { sources?: number; counts?: number } = {}): Promise<LoginHistory> {
  const counts = new Map<string, ActivityPoint[]>();
  if (!store) return { sources: "no history (--no-history): login sources cannot be compared with earlier runs", counts };
  const sourceRuns = limits.sources ?? LOGIN_HISTORY_RUNS;
  const countRuns = limits.counts ?? ACTIVITY_HISTORY_RUNS;
  const sources = new Map<string, Set<string>>();
  // Newest first: the counts are put in front, so each target's series ends up oldest first.
  const metas = await store.runMetasOfScope(scope, Math.max(sourceRuns, countRuns));
  for (const [i, meta] of metas.entries()) {
    const run = await readStoredRun(store, meta);
    const head = run?.index ?? run?.record;
    for (const t of head?.targets ?? []) {
      const list = t.assets?.loginSources;
      if (i < sourceRuns && Array.isArray(list)) {
        const set = sources.get(t.id) ?? new Set<string>();
        for (const k of list) set.add(k);
        sources.set(t.id, set);
      }
      const c = t.assets?.activity;
      if (i < countRuns && c && typeof c === "object") {
        const series = counts.get(t.id) ?? [];
        series.unshift({ runId: head!.id, finishedAt: head!.finishedAt, windowDays: num(c.windowDays), oldestRecord: typeof c.oldestRecord === "string" ? c.oldestRecord : null, logins: num(c.logins), failures: num(c.failures), sudo: num(c.sudo) });
        counts.set(t.id, series);
      }
    }
  }
  return { sources, counts };
}

/**
 * The login sources (`SOURCE USER`) earlier runs of this scope recorded, per target id; a reason
 * text when there is no history to compare with.
 */
export async function previousLoginSources(store: HistoryStore | undefined, scope: string, limit = LOGIN_HISTORY_RUNS): Promise<Map<string, Set<string>> | string> {
  return (await readLoginHistory(store, scope, { sources: limit, counts: 0 })).sources;
}

/**
 * Marks each host login `sourceSeenBefore`: whether an earlier run saw this account log in from
 * this source. Unknown (so the rule says `error`, never `pass`) when there is no history or no
 * earlier run recorded this host's logins. A join, not a verdict.
 */
export function joinLoginSources(targets: TargetFacts[], previous: Map<string, Set<string>> | string): void {
  for (const t of targets) {
    if (t.target.kind !== "host") continue;
    const activity = (t.facts as Record<string, unknown>).activity as { logins?: unknown } | undefined;
    if (!activity || isUnknown(activity) || !Array.isArray(activity.logins)) continue;
    const seen = typeof previous === "string" ? undefined : previous.get(t.target.id);
    const why = typeof previous === "string" ? previous : "no earlier run in the history recorded this host's logins";
    for (const login of activity.logins as Record<string, unknown>[]) {
      login.sourceSeenBefore = seen ? seen.has(loginSourceKey(login)) : unknown(why);
    }
  }
}
