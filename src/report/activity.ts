import { Type, type Static } from "@sinclair/typebox";
import type { ActivityReview, TargetFacts } from "../core/model.js";
import { isKind } from "../core/target-facts.js";
import { isUnknown } from "../facts/unknown.js";

/**
 * The report's "Activity" section: per host, the window the login records covered, counts, and
 * the notable events (who, from where, when) behind the activity findings, so the report itself is
 * the reviewed record. Built from the host facts' `activity` section; absent when no target has one.
 * With history, each host also gets its counts over time (`history`): the earlier runs' counts the
 * drift indexes keep (src/history/login-sources.ts), then this run's.
 */
const Count = Type.Union([Type.Number(), Type.Null()]);
const strict = { additionalProperties: false } as const;

/** One run's counts for one host, as the series shows them; null where that run could not read them. */
export const ActivityPointSchema = Type.Object(
  {
    runId: Type.String(),
    finishedAt: Type.String({ format: "date-time" }),
    /** The window that run read; null when its activity section was unreadable as a whole. */
    windowDays: Count,
    oldestRecord: Type.Union([Type.String(), Type.Null()]),
    logins: Count,
    failures: Count,
    sudo: Count,
  },
  strict,
);
export type ActivityPoint = Static<typeof ActivityPointSchema>;

export const ActivityReviewSchema = Type.Array(
  Type.Object(
    {
      target: Type.String(),
      windowDays: Type.Number(),
      /** ISO time of the oldest record kept, null when none, "unknown" when unreadable. */
      oldestRecord: Type.Union([Type.String(), Type.Null()]),
      logins: Count,
      failures: Count,
      sudo: Count,
      /** e.g. `12 failed logins from 10.0.0.9 (alice) …, then alice logged in …`. */
      notable: Type.Array(Type.String()),
      /** With history, counts over time: earlier runs of the same targets, oldest first, then this run. Absent without an earlier run to show. */
      history: Type.Optional(Type.Array(ActivityPointSchema)),
    },
    strict,
  ),
);

const MAX_NOTABLE = 10;

/** A host's activity counts, as the section shows them and the run record keeps them (src/history/record.ts). */
export type ActivityCounts = Omit<ActivityPoint, "runId" | "finishedAt">;

/**
 * The counts of a host's `activity` facts: undefined when the facts hold no login records (no
 * section, or a probe that predates it); every count null when the section could not be read at all.
 * Never 0 for unknown.
 */
export function activityCounts(a: unknown): ActivityCounts | undefined {
  if (a === undefined || a === null || typeof a !== "object") return undefined;
  if (isUnknown(a)) return { windowDays: null, oldestRecord: "unknown", logins: null, failures: null, sudo: null };
  const f = a as Record<string, unknown>;
  if (f.recorded !== true) return undefined;
  const len = (v: unknown) => (Array.isArray(v) ? v.length : null);
  return {
    windowDays: typeof f.windowDays === "number" ? f.windowDays : null,
    oldestRecord: typeof f.oldestRecord === "string" ? f.oldestRecord : f.oldestRecord === null ? null : "unknown",
    logins: len(f.logins),
    failures: len(f.failures),
    sudo: Array.isArray(f.sudo) ? (f.sudo as { count: number }[]).reduce((n, s) => n + s.count, 0) : null,
  };
}

export function buildActivityReview(targets: TargetFacts[]): ActivityReview | undefined {
  const out: ActivityReview = [];
  for (const t of targets) {
    const a = isKind(t, "host") ? t.facts.activity : undefined;
    if (!a || isUnknown(a) || a.recorded !== true) continue;
    const counts = activityCounts(a)!;
    const notable: string[] = [];
    if (Array.isArray(a.failureSources)) {
      for (const s of a.failureSources as { count: number; label: string }[]) if (s.count > 1) notable.push(s.label);
    }
    if (Array.isArray(a.logins)) {
      for (const l of a.logins as { user: string; label: string; onRoster?: boolean }[]) {
        if (l.onRoster === false) notable.push(`not on the roster: ${l.label}`);
        else if (l.user === "root") notable.push(`root login: ${l.label}`);
      }
    }
    out.push({
      target: t.target.id,
      windowDays: counts.windowDays ?? 0,
      oldestRecord: counts.oldestRecord,
      logins: counts.logins,
      failures: counts.failures,
      sudo: counts.sudo,
      notable: notable.slice(0, MAX_NOTABLE),
    });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Adds each host's counts over time: the earlier runs' points (oldest first, by target id) and this
 * run's. A host no earlier run recorded counts for keeps no series.
 */
export function withActivityHistory(review: ActivityReview, earlier: Map<string, ActivityPoint[]>, run: { runId: string; finishedAt: string }): ActivityReview {
  return review.map((r) => {
    const points = earlier.get(r.target);
    if (!points || points.length === 0) return r;
    const { windowDays, oldestRecord, logins, failures, sudo } = r;
    return { ...r, history: [...points, { ...run, windowDays, oldestRecord, logins, failures, sudo }] };
  });
}

const n = (v: number | null) => (v === null ? "unknown" : String(v));

/** One row of a host's series: `FINISHED: N logins, N failed, N sudo`, the window named when it differs from this run's. */
export function activityPointLine(p: ActivityPoint, windowDays: number, current: boolean): string {
  const window = p.windowDays === windowDays ? "" : p.windowDays === null ? " (activity unreadable)" : ` (${p.windowDays}-day window)`;
  return `${current ? "this run" : "run"} finished ${p.finishedAt}: ${n(p.logins)} logins, ${n(p.failures)} failed, ${n(p.sudo)} sudo${window}`;
}

/** One host's rows: its summary line, then (indented) its notable events. */
export function activityTargetLines(r: ActivityReview[number]): string[] {
  return [
    `${r.target}: ${r.windowDays} days, records from ${r.oldestRecord ?? "none"}; ${n(r.logins)} logins, ${n(r.failures)} failed, ${n(r.sudo)} sudo`,
    ...r.notable.map((e) => `  ${e}`),
  ];
}

/** One host's counts over time as rows (a heading, then, indented, one per run, oldest first); none without history. */
export function activityHistoryLines(r: ActivityReview[number]): string[] {
  const h = r.history ?? [];
  if (h.length === 0) return [];
  return ["  counts over time:", ...h.map((p, i) => `    ${activityPointLine(p, r.windowDays, i === h.length - 1)}`)];
}

/** The text block (title line, then rows, nested by their indent); markdown renders the same rows, html the same per host. */
export function activityLines(review: ActivityReview): string[] {
  const rows = ["Activity"];
  for (const r of review) rows.push(...activityTargetLines(r), ...activityHistoryLines(r));
  return rows;
}
