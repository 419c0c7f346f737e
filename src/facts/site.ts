import { Type, type Static } from "@sinclair/typebox";
import { Nullable, Num, Str } from "./unknown.js";

/**
 * Facts about the practice's own process rather than a scanned system: the site pseudo-target
 * (`{kind: "site", id: "history"}`). The pipeline builds it from the history store before rules
 * run (src/history/site-facts.ts), so rules over it stay free of I/O; with no history (first run,
 * --no-history) there is no site target and its rules are not evaluated.
 */
export const SiteFactsSchema = Type.Object(
  {
    history: Type.Object(
      {
        /** Runs recorded before this one. */
        runs: Num,
        /** Runs nobody has reviewed (`hipaa-scan history review`). */
        unreviewedRuns: Num,
        /** Start time of the newest run that a person reviewed; null when none was. */
        newestReviewedRunAt: Nullable(Str),
        /** When that review was recorded, and by whom. */
        lastReviewAt: Nullable(Str),
        lastReviewBy: Nullable(Str),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type SiteFacts = Static<typeof SiteFactsSchema>;
