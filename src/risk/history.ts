import { Type, type Static } from "@sinclair/typebox";
import type { Risk } from "./register.js";

/**
 * How the risk register changed since the baseline run (the last run of the same scope in the
 * history, or `--baseline`). The history keeps each run's register as `{id, title, level}`
 * (src/history/record.ts); the pipeline hands the baseline's to the risk analysis as `PreviousRun`.
 */
export interface PreviousRun {
  /** The baseline run's id, when it came from the history. */
  runId?: string;
  finishedAt: string;
  risks: Pick<Risk, "id" | "title" | "level">[];
}

const strict = { additionalProperties: false } as const;
const Level = Type.Integer({ minimum: 1, maximum: 5 });
const Entry = Type.Object({ id: Type.String(), title: Type.String(), level: Level }, strict);
const Moved = Type.Object({ id: Type.String(), title: Type.String(), from: Level, to: Level }, strict);

export const RegisterChangesSchema = Type.Object(
  {
    /** When the baseline run finished. */
    since: Type.String({ format: "date-time" }),
    baselineRunId: Type.Optional(Type.String()),
    /** Risks in this register that the baseline did not have. */
    added: Type.Array(Entry),
    /** Risks of the baseline that are gone (their findings no longer fail). */
    removed: Type.Array(Entry),
    /** Risks whose level went up or down. */
    raised: Type.Array(Moved),
    lowered: Type.Array(Moved),
    /** Risks present in both at the same level. */
    unchanged: Type.Integer({ minimum: 0 }),
  },
  strict,
);
export type RegisterChanges = Static<typeof RegisterChangesSchema>;

/** How the register changed since the previous run; undefined when there is no previous run. */
export function registerChanges(previous: PreviousRun | undefined, risks: Pick<Risk, "id" | "title" | "level">[]): RegisterChanges | undefined {
  if (!previous) return undefined;
  const before = new Map(previous.risks.map((r) => [r.id, r]));
  const now = new Map(risks.map((r) => [r.id, r]));
  const out: RegisterChanges = {
    since: previous.finishedAt,
    ...(previous.runId ? { baselineRunId: previous.runId } : {}),
    added: [],
    removed: [],
    raised: [],
    lowered: [],
    unchanged: 0,
  };
  for (const r of now.values()) {
    const was = before.get(r.id);
    if (!was) out.added.push({ id: r.id, title: r.title, level: r.level });
    else if (r.level > was.level) out.raised.push({ id: r.id, title: r.title, from: was.level, to: r.level });
    else if (r.level < was.level) out.lowered.push({ id: r.id, title: r.title, from: was.level, to: r.level });
    else out.unchanged++;
  }
  for (const r of before.values()) if (!now.has(r.id)) out.removed.push({ id: r.id, title: r.title, level: r.level });
  const byLevel = (a: { id: string; level?: number; to?: number }, b: { id: string; level?: number; to?: number }) =>
    (b.level ?? b.to ?? 0) - (a.level ?? a.to ?? 0) || a.id.localeCompare(b.id);
  out.added.sort(byLevel);
  out.removed.sort(byLevel);
  out.raised.sort(byLevel);
  out.lowered.sort(byLevel);
  return out;
}
