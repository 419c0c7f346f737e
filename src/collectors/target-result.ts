import { isKnownError, errorMessage } from "../core/errors.js";
import type { TargetFacts, TargetSpec, TargetStatus } from "../core/model.js";
import { safeText } from "../core/untrusted-text.js";
import { unknown } from "../facts/unknown.js";
import type { Logger } from "./types.js";

/**
 * The one builder of a target's result, for collectors and the pipeline alike: a full or partial
 * result (`targetFacts`), or a target that yielded nothing (`failedTargetFacts`).
 */

export interface TargetResult {
  /** Collector name, e.g. `host/ssh`; the pipeline uses the target's scheme when no collector answered. */
  collector: string;
  /** Collection time (ctx.now()). */
  at: Date;
  status: TargetStatus;
  /** Why the status is not `ok`, already cleaned; left out when empty. */
  statusReason?: string;
  facts?: Record<string, unknown>;
  sources?: Record<string, string>;
  notes?: string[];
}

export function targetFacts(target: TargetSpec, r: TargetResult): TargetFacts {
  return {
    target: { kind: target.kind, id: target.id },
    status: r.status,
    ...(r.statusReason ? { statusReason: r.statusReason } : {}),
    collector: r.collector,
    collectedAt: r.at.toISOString(),
    tags: target.tags,
    facts: r.facts ?? {},
    sources: r.sources ?? {},
    notes: r.notes ?? [],
  } as TargetFacts;
}

export interface FailedTarget {
  collector: string;
  at: Date;
  status: TargetStatus;
  /** Why nothing was collected: remote or error text, cleaned and capped here. */
  reason: string;
  /** Cap on the reason (default 1000 characters). */
  maxReason?: number;
  /** Hosts: set `os` unknown as "not collected: REASON", so every host rule says why it could not check. */
  unknownOs?: boolean;
  notes?: string[];
}

/** A target that yielded no facts. */
export function failedTargetFacts(target: TargetSpec, f: FailedTarget): TargetFacts {
  const reason = safeText(f.reason, f.maxReason ?? 1000);
  return targetFacts(target, {
    collector: f.collector,
    at: f.at,
    status: f.status,
    statusReason: reason,
    facts: f.unknownOs ? { os: unknown(`not collected: ${reason}`) } : {},
    notes: f.notes ?? [],
  });
}

/**
 * The message of an error that ended a target's collection. A typed error is expected (a host
 * down, a refused login) and is its message; anything else is a bug, and its stack goes to the
 * verbose log (`--verbose`) so it is not lost in a one-line status reason.
 */
export function failureReason(target: TargetSpec, err: unknown, log: Logger): string {
  if (!isKnownError(err)) log.verbose(`${target.id}: ${(err as Error)?.stack ?? String(err)}`);
  return errorMessage(err);
}
