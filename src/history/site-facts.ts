import type { TargetFacts } from "../core/model.js";
import type { ReviewRecord } from "./record.js";
import type { HistoryStore } from "./types.js";

/** The site pseudo-target's facts (src/facts/site.ts) from the history, read before rules run. */
export async function historySiteFacts(store: HistoryStore, now: Date): Promise<TargetFacts | undefined> {
  const entries = await store.list();
  const runs = entries.filter((e) => e.kind === "run");
  if (runs.length === 0) return undefined; // no history yet: nothing to judge
  const runAt = new Map(runs.map((r) => [r.id, r.at]));
  const reviews = entries.filter((e) => e.kind === "review");
  const reviewed = new Set(reviews.map((r) => r.scope));
  const newestReviewedRunAt = [...reviewed].map((id) => runAt.get(id)).filter((x): x is string => !!x).sort().at(-1) ?? null;
  const last = reviews.at(-1);
  const lastRecord = last ? await store.get(last.id) : undefined;
  const review = lastRecord?.record ? (JSON.parse(lastRecord.record) as ReviewRecord) : undefined;
  return {
    target: { kind: "site", id: "history" },
    status: "ok",
    collector: "history",
    collectedAt: now.toISOString(),
    tags: {},
    facts: {
      history: {
        runs: runs.length,
        unreviewedRuns: runs.filter((r) => !reviewed.has(r.id)).length,
        newestReviewedRunAt,
        lastReviewAt: review?.at ?? null,
        lastReviewBy: review?.by ?? null,
      },
    },
    sources: { history: `history store ${store.location.replace(/\/\/[^@/]*@/, "//")}` },
    notes: [],
  };
}
