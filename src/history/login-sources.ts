import type { TargetFacts } from "../core/model.js";
import { isUnknown, unknown } from "../facts/unknown.js";
import { loginSourceKey } from "./record.js";
import { readStoredRun } from "./run-index.js";
import type { HistoryStore } from "./types.js";

/** How many earlier runs of the same targets are compared (each keeps its window's login sources). */
export const LOGIN_HISTORY_RUNS = 20;

/**
 * The login sources (`SOURCE USER`) earlier runs of this scope recorded, per target id; a reason
 * text when there is no history to compare with. Read before the rules run, like the site facts.
 */
export async function previousLoginSources(store: HistoryStore | undefined, scope: string, limit = LOGIN_HISTORY_RUNS): Promise<Map<string, Set<string>> | string> {
  if (!store) return "no history (--no-history): login sources cannot be compared with earlier runs";
  const out = new Map<string, Set<string>>();
  // Each run's drift index carries its targets' assets (login sources among them): no whole record is read.
  for (const meta of await store.runMetasOfScope(scope, limit)) {
    const run = await readStoredRun(store, meta);
    for (const t of run?.index?.targets ?? run?.record?.targets ?? []) {
      const list = t.assets?.loginSources;
      if (!Array.isArray(list)) continue;
      const set = out.get(t.id) ?? new Set<string>();
      for (const k of list) set.add(k);
      out.set(t.id, set);
    }
  }
  return out;
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
