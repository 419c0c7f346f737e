import type { TargetFacts } from "../core/model.js";
import { canonicalJson, sha256 } from "../history/canonical.js";

/**
 * The history's facts hashes (`factsSha256`, src/history/record.ts) are over the full facts. When a
 * scan keeps only a compact projection of each finished target in memory (src/facts/spool.ts),
 * the spool records the hashes of the full facts here, keyed by the kept objects.
 */
const factsDigests = new WeakMap<object, string>();
const targetsDigests = new WeakMap<object, () => string>();

export function rememberFactsDigest(keptFacts: object, digest: string): void {
  factsDigests.set(keptFacts, digest);
}

export function rememberTargetsDigest(keptTargets: readonly TargetFacts[], digest: () => string): void {
  targetsDigests.set(keptTargets, digest);
}

/** sha256 of the canonical JSON of a target's facts (of the full facts, for a spooled target). */
export function factsSha256(t: TargetFacts): string {
  return factsDigests.get(t.facts) ?? sha256(canonicalJson(t.facts));
}

/** sha256 of the canonical JSON of a target list (of the full targets, for a spooled list). */
export function targetsSha256(targets: readonly TargetFacts[]): string {
  return targetsDigests.get(targets)?.() ?? sha256(canonicalJson(targets));
}
