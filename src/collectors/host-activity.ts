import { loadRoster, rosterMatch } from "../directory/roster.js";
import { isUnknown } from "../facts/unknown.js";

/**
 * Joins the --roster file to a host's login evidence (`activity.logins[].onRoster`), the way the
 * directory collector joins it to accounts: matched on the login name. A join, not a verdict; the
 * rules decide. Without a roster `activity.roster` is null and the roster rule does not apply.
 */
export async function joinActivityRoster(
  facts: Record<string, unknown>,
  rosterFile: unknown,
  now: Date = new Date(),
  /** Windows: logins are `DOMAIN\\user`, matched on `user`; the POSIX account join does not apply. */
  platform: "posix" | "windows" = "posix",
): Promise<void> {
  const activity = facts.activity as { roster?: string | null; logins?: unknown } | undefined;
  if (!activity || isUnknown(activity)) return;
  if (platform === "posix") joinAccountState(activity.logins, facts.accounts, now);
  if (typeof rosterFile !== "string" || rosterFile === "") {
    activity.roster = null;
    return;
  }
  const roster = await loadRoster(rosterFile);
  activity.roster = roster.file;
  if (!Array.isArray(activity.logins)) return;
  for (const login of activity.logins as { user: string; onRoster?: boolean }[]) {
    const name = platform === "windows" ? login.user.slice(login.user.lastIndexOf("\\") + 1) : login.user;
    login.onRoster = rosterMatch(roster, { name, mail: null, employeeID: null }) !== null;
  }
}

interface UserFacts {
  name: string;
  password: unknown;
  expires: unknown;
}

/**
 * Marks each login whose account is locked or expired now (`accountDisabled`), from the same
 * probe run's `accounts` facts: a login by an account that is disabled now is one to explain.
 * An account that no longer exists counts as disabled. Unknown when the accounts or their
 * shadow status could not be read.
 */
export function joinAccountState(logins: unknown, accounts: unknown, now: Date): void {
  if (!Array.isArray(logins)) return;
  const users = accounts && !isUnknown(accounts) ? (accounts as { users?: unknown }).users : undefined;
  const list = Array.isArray(users) ? (users as UserFacts[]) : null;
  const today = now.toISOString().slice(0, 10);
  for (const login of logins as { user: string; accountDisabled?: unknown }[]) {
    const u = list?.find((x) => x.name === login.user);
    if (!list) login.accountDisabled = { unknown: true, reason: "accounts not readable" };
    // An account that logged in but no longer exists was removed: it counts as disabled.
    else if (!u) login.accountDisabled = true;
    else if (isUnknown(u.password)) login.accountDisabled = u.password;
    else login.accountDisabled = u.password === "locked" || (typeof u.expires === "string" && u.expires <= today);
  }
}
