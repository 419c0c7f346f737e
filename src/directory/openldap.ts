import type { Entry } from "ldapts";
import { unknown, type Unknown } from "../facts/unknown.js";
import type { DirectoryAccountFacts, PasswordPolicyFacts, PrivilegedGroupFacts } from "../facts/directory.js";
import { safeText } from "../core/untrusted-text.js";
import type { LdapSession } from "../transports/ldap/client.js";
import { asStrings } from "../transports/ldap/client.js";
import { epochDaysToIso, generalizedTimeToIso, intOrNull } from "./encodings.js";
import { first } from "./ad.js";

/**
 * OpenLDAP collection: inetOrgPerson/posixAccount entries with shadow* and ppolicy attributes,
 * `pwdLastSuccess` (ppolicy) or `authTimestamp` (lastbind overlay) as the last logon, groups whose
 * name says admin, and pwdPolicy entries.
 */

export const OPENLDAP_USER_ATTRIBUTES = [
  "uid",
  "cn",
  "mail",
  "employeeNumber",
  "employeeID",
  "manager",
  "description",
  "displayName",
  "shadowLastChange",
  "shadowExpire",
  "shadowMax",
  "pwdChangedTime",
  "pwdAccountLockedTime",
  "pwdLastSuccess",
  "authTimestamp",
  "pwdReset",
  "createTimestamp",
  "userPassword;binary",
];

const TEXT_MAX = 256;
/** pwdAccountLockedTime of 000001010000Z locks the account until an administrator unlocks it. */
const PERMANENT_LOCK = /^000001010000(00)?Z$/;

function text(entry: Entry, attr: string): string | null {
  const v = first(entry, attr);
  return v === undefined || v === "" ? null : safeText(v, TEXT_MAX);
}

export function openldapAccountFromEntry(entry: Entry, lastBindAvailable: boolean): DirectoryAccountFacts {
  const locked = first(entry, "pwdAccountLockedTime");
  const pwdLastSuccess = generalizedTimeToIso(first(entry, "pwdLastSuccess"));
  const authTimestamp = generalizedTimeToIso(first(entry, "authTimestamp"));
  const lastLogon = pwdLastSuccess ?? authTimestamp;
  const source = pwdLastSuccess ? "pwdLastSuccess (ppolicy)" : authTimestamp ? "authTimestamp (lastbind overlay)" : lastBindAvailable ? "pwdLastSuccess/authTimestamp (none recorded)" : "none";
  const shadowMax = intOrNull(first(entry, "shadowMax"));
  return {
    name: safeText(first(entry, "uid") ?? first(entry, "cn") ?? entry.dn, TEXT_MAX),
    dn: safeText(entry.dn, 1024),
    enabled: !(locked !== undefined && PERMANENT_LOCK.test(locked)),
    lastLogon: lastLogon !== null || lastBindAvailable
      ? lastLogon
      : unknown("no last-bind time is recorded (enable the lastbind overlay or ppolicy olcPPolicyUseLastSuccess; shadowLastChange is only a weaker signal)"),
    lastLogonSource: source,
    passwordLastSet: generalizedTimeToIso(first(entry, "pwdChangedTime")) ?? epochDaysToIso(first(entry, "shadowLastChange")),
    mustChangePassword: (first(entry, "pwdReset") ?? "").toUpperCase() === "TRUE",
    whenCreated: generalizedTimeToIso(first(entry, "createTimestamp")),
    accountExpires: epochDaysToIso(first(entry, "shadowExpire")),
    userAccountControl: 0,
    userAccountControlComputed: 0,
    passwordNeverExpires: shadowMax !== null && shadowMax >= 99999,
    passwordNotRequired: false,
    reversibleEncryption: false,
    noPreauth: false,
    lockedOut: locked !== undefined,
    passwordExpired: false,
    smartcardRequired: false,
    mail: text(entry, "mail"),
    employeeID: text(entry, "employeeID") ?? text(entry, "employeeNumber"),
    manager: text(entry, "manager"),
    description: text(entry, "description"),
    displayName: text(entry, "displayName"),
    servicePrincipalNames: [],
    hasSpn: false,
    sid: null,
    rid: null,
    builtin: false,
    adminCount: null,
    privilegedGroups: [],
    privileged: false,
    onRoster: unknown("no --roster file was given"),
    rosterMatch: null,
    shadowLastChange: epochDaysToIso(first(entry, "shadowLastChange")),
  };
}

export function openldapPolicyFromEntry(entry: Entry): PasswordPolicyFacts {
  const maxAge = intOrNull(first(entry, "pwdMaxAge"));
  return {
    source: `pwdPolicy ${safeText(entry.dn, 512)}`,
    minLength: intOrNull(first(entry, "pwdMinLength")),
    lockoutThreshold: (first(entry, "pwdLockout") ?? "").toUpperCase() === "TRUE" ? (intOrNull(first(entry, "pwdMaxFailure")) ?? 0) : 0,
    lockoutDurationSeconds: intOrNull(first(entry, "pwdLockoutDuration")),
    maxAgeDays: maxAge === null || maxAge === 0 ? null : Math.floor(maxAge / 86400),
    minAgeDays: (() => {
      const v = intOrNull(first(entry, "pwdMinAge"));
      return v === null ? null : Math.floor(v / 86400);
    })(),
    historyLength: intOrNull(first(entry, "pwdInHistory")),
    complexity: first(entry, "pwdCheckModule") !== undefined || first(entry, "pwdUseCheckModule") === "TRUE",
    reversibleEncryption: false,
  };
}

/** Group names treated as privileged on OpenLDAP (no SIDs there). */
export const OPENLDAP_ADMIN_GROUP = /^(admins?|administrators|ldap ?admins|domain admins|wheel|sudo|sudoers|it admins)$/i;

export interface OpenLdapCollection {
  accounts: DirectoryAccountFacts[];
  groups: PrivilegedGroupFacts[];
  policy: PasswordPolicyFacts | Unknown;
  problems: string[];
}

export async function collectOpenLdap(
  session: LdapSession,
  opts: { baseDN: string; pageSize: number; lastBindAvailable: boolean; signal?: AbortSignal; step(name: string): void },
): Promise<OpenLdapCollection> {
  const problems: string[] = [];
  opts.step("accounts");
  const accounts: DirectoryAccountFacts[] = [];
  await session.pagedSearch(
    opts.baseDN,
    { filter: "(|(objectClass=posixAccount)(objectClass=inetOrgPerson))", attributes: OPENLDAP_USER_ATTRIBUTES.filter((a) => !a.includes(";")), pageSize: opts.pageSize },
    (entries) => void accounts.push(...entries.map((e) => openldapAccountFromEntry(e, opts.lastBindAvailable))),
    opts.signal,
  );

  // lastbind/ppolicy is on when any account carries a bind time: the others simply never bound.
  if (accounts.some((a) => typeof a.lastLogon === "string")) {
    for (const a of accounts) {
      if (a.lastLogon !== null && typeof a.lastLogon === "object") {
        a.lastLogon = null;
        a.lastLogonSource = "pwdLastSuccess/authTimestamp (none recorded: never bound since tracking began)";
      }
    }
  }

  opts.step("groups");
  const groupsRaw: { dn: string; name: string; members: string[] }[] = [];
  await session.pagedSearch(
    opts.baseDN,
    { filter: "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))", attributes: ["cn", "member", "uniqueMember", "memberUid"], pageSize: opts.pageSize },
    (entries) => {
      for (const e of entries) {
        groupsRaw.push({
          dn: e.dn,
          name: safeText(first(e, "cn") ?? e.dn, TEXT_MAX),
          members: [...asStrings(e.member), ...asStrings(e.uniqueMember), ...asStrings(e.memberUid)],
        });
      }
    },
    opts.signal,
  );
  const byDn = new Map(accounts.map((a) => [a.dn.toLowerCase(), a]));
  const byName = new Map(accounts.map((a) => [a.name.toLowerCase(), a]));
  const groupByDn = new Map(groupsRaw.map((g) => [g.dn.toLowerCase(), g]));
  const expand = (g: (typeof groupsRaw)[number], seen: Set<string>): DirectoryAccountFacts[] => {
    const out: DirectoryAccountFacts[] = [];
    for (const m of g.members) {
      const key = m.toLowerCase();
      const acct = byDn.get(key) ?? byName.get(key);
      if (acct) out.push(acct);
      const sub = groupByDn.get(key);
      if (sub && !seen.has(key)) {
        seen.add(key);
        out.push(...expand(sub, seen));
      }
    }
    return out;
  };
  const groups: PrivilegedGroupFacts[] = [];
  for (const g of groupsRaw.filter((x) => OPENLDAP_ADMIN_GROUP.test(x.name))) {
    const members = [...new Map(expand(g, new Set([g.dn.toLowerCase()])).map((a) => [a.dn, a])).values()];
    for (const a of members) {
      a.privileged = true;
      a.privilegedGroups = [...new Set([...a.privilegedGroups, g.name])].sort();
    }
    const names = members.map((a) => a.name).sort();
    const enabled = members.filter((a) => a.enabled).map((a) => a.name).sort();
    groups.push({ name: g.name, dn: safeText(g.dn, 1024), sid: null, members: names, enabledMembers: enabled, memberCount: names.length, enabledMemberCount: enabled.length, directMemberCount: g.members.length });
  }

  opts.step("password policy");
  const policies: Entry[] = [];
  await session.pagedSearch(
    opts.baseDN,
    { filter: "(objectClass=pwdPolicy)", attributes: ["pwdMinLength", "pwdMaxFailure", "pwdLockout", "pwdLockoutDuration", "pwdMaxAge", "pwdMinAge", "pwdInHistory", "pwdCheckModule", "pwdUseCheckModule", "pwdCheckQuality"], pageSize: opts.pageSize },
    (entries) => void policies.push(...entries),
    opts.signal,
  );
  const chosen = policies.find((p) => /^cn=default\b/i.test(p.dn)) ?? policies[0];
  const policy = chosen
    ? openldapPolicyFromEntry(chosen)
    : unknown("no pwdPolicy entry is visible under the base DN (ppolicy not configured, or its policy entry is elsewhere or not readable)");
  if (!chosen) problems.push("passwordPolicy");
  accounts.sort((a, b) => a.name.localeCompare(b.name));
  groups.sort((a, b) => a.name.localeCompare(b.name));
  return { accounts, groups, policy, problems };
}
