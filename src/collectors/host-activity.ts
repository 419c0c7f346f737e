import { loadRoster, rosterMatch } from "../directory/roster.js";
import { isUnknown } from "../facts/unknown.js";

/**
 * Joins the --roster file to a host's login evidence (`activity.logins[].onRoster`), the way the
 * directory collector joins it to accounts: matched on the login name. A join, not a verdict; the
 * rules decide. Without a roster `activity.roster` is null and the roster rule does not apply.
 */
export async function joinActivityRoster(facts: Record<string, unknown>, rosterFile: unknown): Promise<void> {
  const activity = facts.activity as { roster?: string | null; logins?: unknown } | undefined;
  if (!activity || isUnknown(activity)) return;
  if (typeof rosterFile !== "string" || rosterFile === "") {
    activity.roster = null;
    return;
  }
  const roster = await loadRoster(rosterFile);
  activity.roster = roster.file;
  if (!Array.isArray(activity.logins)) return;
  for (const login of activity.logins as { user: string; onRoster?: boolean }[]) {
    login.onRoster = rosterMatch(roster, { name: login.user, mail: null, employeeID: null }) !== null;
  }
}
