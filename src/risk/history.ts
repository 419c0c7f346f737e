import type { Risk } from "./register.js";

/**
 * The history seam (issue 12 builds the store): what the register needs from the previous run.
 * The lead wires the history store to `previousRun`; until then callers pass it in.
 */
export interface PreviousRun {
  finishedAt: string;
  risks: Pick<Risk, "id" | "title" | "level">[];
}

export interface RegisterChanges {
  since: string;
  added: string[];
  removed: string[];
  raised: { id: string; from: number; to: number }[];
  lowered: { id: string; from: number; to: number }[];
}

/** How the register changed since the last run; undefined when there is no previous run. */
export function registerChanges(previous: PreviousRun | undefined, risks: Pick<Risk, "id" | "level">[]): RegisterChanges | undefined {
  if (!previous) return undefined;
  const before = new Map(previous.risks.map((r) => [r.id, r.level]));
  const now = new Map(risks.map((r) => [r.id, r.level]));
  const out: RegisterChanges = { since: previous.finishedAt, added: [], removed: [], raised: [], lowered: [] };
  for (const [id, level] of now) {
    const was = before.get(id);
    if (was === undefined) out.added.push(id);
    else if (level > was) out.raised.push({ id, from: was, to: level });
    else if (level < was) out.lowered.push({ id, from: was, to: level });
  }
  for (const id of before.keys()) if (!now.has(id)) out.removed.push(id);
  return out;
}
