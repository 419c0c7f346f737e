import { Type } from "@sinclair/typebox";
import type { ActivityReview, TargetFacts } from "../core/model.js";
import { isKind } from "../core/target-facts.js";
import { isUnknown } from "../facts/unknown.js";

/**
 * The report's "Activity" section: per host, the window the login records covered, counts, and
 * the notable events (who, from where, when) behind the activity findings, so the report itself is
 * the reviewed record. Built from the host facts' `activity` section; absent when no target has one.
 */
const Count = Type.Union([Type.Number(), Type.Null()]);
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
    },
    { additionalProperties: false },
  ),
);

const MAX_NOTABLE = 10;

export function buildActivityReview(targets: TargetFacts[]): ActivityReview | undefined {
  const out: ActivityReview = [];
  for (const t of targets) {
    const a = isKind(t, "host") ? t.facts.activity : undefined;
    if (!a || isUnknown(a) || a.recorded !== true) continue;
    const len = (v: unknown) => (Array.isArray(v) ? v.length : null);
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
      windowDays: a.windowDays ?? 0,
      oldestRecord: typeof a.oldestRecord === "string" ? a.oldestRecord : a.oldestRecord === null ? null : "unknown",
      logins: len(a.logins),
      failures: len(a.failures),
      sudo: Array.isArray(a.sudo) ? (a.sudo as { count: number }[]).reduce((n, s) => n + s.count, 0) : null,
      notable: notable.slice(0, MAX_NOTABLE),
    });
  }
  return out.length > 0 ? out : undefined;
}

/** The text block (title line, then rows); markdown and html render the same rows. */
export function activityLines(review: ActivityReview): string[] {
  const n = (v: number | null) => (v === null ? "unknown" : String(v));
  const rows = ["Activity"];
  for (const r of review) {
    rows.push(
      `${r.target}: ${r.windowDays} days, records from ${r.oldestRecord ?? "none"}; ${n(r.logins)} logins, ${n(r.failures)} failed, ${n(r.sudo)} sudo`,
    );
    for (const e of r.notable) rows.push(`  ${e}`);
  }
  return rows;
}
