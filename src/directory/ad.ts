import type { Entry } from "ldapts";
import { unknown, type Unknown } from "../facts/unknown.js";
import type {
  DirectoryAccountFacts,
  DirectoryComputerFacts,
  FineGrainedPolicyFacts,
  PasswordPolicyFacts,
  PrivilegedGroupFacts,
} from "../facts/directory.js";
import { safeText } from "../core/untrusted-text.js";
import type { LdapSession } from "../transports/ldap/client.js";
import { asStrings } from "../transports/ldap/client.js";
import {
  UAC,
  durationTo,
  fileTimeToIso,
  generalizedTimeToIso,
  intOrNull,
  ridOf,
  sidToString,
} from "./encodings.js";

/** Active Directory (and Samba AD) collection: accounts, privileged groups, policies, computers. */

export const USER_ATTRIBUTES = [
  "sAMAccountName",
  "badPwdCount",
  "badPasswordTime",
  "lockoutTime",
  "userAccountControl",
  "msDS-User-Account-Control-Computed",
  "lastLogonTimestamp",
  "pwdLastSet",
  "whenCreated",
  "accountExpires",
  "mail",
  "employeeID",
  "manager",
  "description",
  "displayName",
  "servicePrincipalName",
  "objectSid",
  "adminCount",
];

export const COMPUTER_ATTRIBUTES = [
  "sAMAccountName",
  "userAccountControl",
  "lastLogonTimestamp",
  "whenCreated",
  "operatingSystem",
  "ms-Mcs-AdmPwdExpirationTime",
  "msLAPS-PasswordExpirationTime",
];

/** Well-known privileged groups: builtin SIDs and domain RIDs (HIPAA.md, MS-ADTS). */
export const PRIVILEGED_BUILTIN_SIDS = ["S-1-5-32-544", "S-1-5-32-548", "S-1-5-32-549", "S-1-5-32-550", "S-1-5-32-551"];
export const PRIVILEGED_DOMAIN_RIDS = [512, 518, 519];

/** Cap for remote text kept in facts (descriptions, names). */
const TEXT_MAX = 256;

export function first(entry: Entry, attr: string): string | undefined {
  return asStrings(entry[attr])[0];
}

function text(entry: Entry, attr: string): string | null {
  const v = first(entry, attr);
  return v === undefined || v === "" ? null : safeText(v, TEXT_MAX);
}

function sidOf(entry: Entry): string | null {
  const raw = entry.objectSid;
  const buf = Array.isArray(raw) ? raw[0] : raw;
  return Buffer.isBuffer(buf) ? sidToString(buf) : null;
}

const NOT_RETURNED = "not returned by the server (not readable by the bind account, or not kept)";

/** badPwdCount, badPasswordTime and lockoutTime where the server returned them (a zero FILETIME is "never"). */
export function adLoginFailures(entry: Entry) {
  const count = intOrNull(first(entry, "badPwdCount"));
  const bad = first(entry, "badPasswordTime");
  const lock = first(entry, "lockoutTime");
  return {
    badPwdCount: count ?? unknown(`badPwdCount ${NOT_RETURNED}`),
    badPasswordTime: bad === undefined ? unknown(`badPasswordTime ${NOT_RETURNED}`) : fileTimeToIso(bad),
    lockoutTime: lock === undefined ? unknown(`lockoutTime ${NOT_RETURNED}`) : fileTimeToIso(lock),
  };
}

/**
 * One AD user entry to account facts. Membership (`privilegedGroups`) and roster columns are
 * filled in later by the collector, once groups have been read.
 */
export function adAccountFromEntry(entry: Entry): DirectoryAccountFacts {
  const uac = intOrNull(first(entry, "userAccountControl")) ?? 0;
  const computed = intOrNull(first(entry, "msDS-User-Account-Control-Computed")) ?? 0;
  const sid = sidOf(entry);
  const rid = ridOf(sid);
  const pwdLastSetRaw = first(entry, "pwdLastSet");
  const spns = asStrings(entry.servicePrincipalName).map((s) => safeText(s, TEXT_MAX));
  return {
    name: safeText(first(entry, "sAMAccountName") ?? entry.dn, TEXT_MAX),
    dn: safeText(entry.dn, 1024),
    enabled: (uac & UAC.ACCOUNTDISABLE) === 0,
    lastLogon: fileTimeToIso(first(entry, "lastLogonTimestamp")),
    lastLogonSource: "lastLogonTimestamp (replicated; lags real logons by 9-14 days)",
    passwordLastSet: fileTimeToIso(pwdLastSetRaw),
    mustChangePassword: pwdLastSetRaw === "0",
    whenCreated: generalizedTimeToIso(first(entry, "whenCreated")),
    accountExpires: fileTimeToIso(first(entry, "accountExpires")),
    userAccountControl: uac,
    userAccountControlComputed: computed,
    passwordNeverExpires: (uac & UAC.DONT_EXPIRE_PASSWORD) !== 0,
    passwordNotRequired: (uac & UAC.PASSWD_NOTREQD) !== 0,
    reversibleEncryption: (uac & UAC.ENCRYPTED_TEXT_PWD_ALLOWED) !== 0,
    noPreauth: (uac & UAC.DONT_REQ_PREAUTH) !== 0,
    lockedOut: ((uac | computed) & UAC.LOCKOUT) !== 0,
    ...adLoginFailures(entry),
    passwordExpired: ((uac | computed) & UAC.PASSWORD_EXPIRED) !== 0,
    smartcardRequired: (uac & UAC.SMARTCARD_REQUIRED) !== 0,
    mail: text(entry, "mail"),
    employeeID: text(entry, "employeeID"),
    manager: text(entry, "manager"),
    description: text(entry, "description"),
    displayName: text(entry, "displayName"),
    servicePrincipalNames: spns,
    hasSpn: spns.length > 0,
    sid,
    rid,
    builtin: rid !== null && rid < 1000,
    adminCount: intOrNull(first(entry, "adminCount")),
    privilegedGroups: [],
    privileged: false,
    onRoster: unknown("no --roster file was given"),
    rosterMatch: null,
    shadowLastChange: null,
  };
}

export function adComputerFromEntry(entry: Entry): DirectoryComputerFacts {
  const uac = intOrNull(first(entry, "userAccountControl")) ?? 0;
  const name = first(entry, "sAMAccountName") ?? entry.dn;
  return {
    name: safeText(name.replace(/\$$/, ""), TEXT_MAX),
    dn: safeText(entry.dn, 1024),
    enabled: (uac & UAC.ACCOUNTDISABLE) === 0,
    lastLogon: fileTimeToIso(first(entry, "lastLogonTimestamp")),
    whenCreated: generalizedTimeToIso(first(entry, "whenCreated")),
    operatingSystem: text(entry, "operatingSystem"),
    domainController: (uac & UAC.SERVER_TRUST_ACCOUNT) !== 0,
    lapsPresent:
      first(entry, "ms-Mcs-AdmPwdExpirationTime") !== undefined || first(entry, "msLAPS-PasswordExpirationTime") !== undefined,
    bitlockerRecoveryKeys: unknown("not read yet"),
  };
}

/** Domain password and lockout policy from the domain head. */
export function adPolicyFromEntry(entry: Entry): PasswordPolicyFacts {
  const props = intOrNull(first(entry, "pwdProperties")) ?? 0;
  return {
    source: `domain head ${safeText(entry.dn, 512)}`,
    minLength: intOrNull(first(entry, "minPwdLength")),
    lockoutThreshold: intOrNull(first(entry, "lockoutThreshold")),
    lockoutDurationSeconds: durationTo(first(entry, "lockoutDuration"), "seconds", false),
    maxAgeDays: durationTo(first(entry, "maxPwdAge"), "days"),
    minAgeDays: durationTo(first(entry, "minPwdAge"), "days", false),
    historyLength: intOrNull(first(entry, "pwdHistoryLength")),
    complexity: (props & 1) !== 0,
    reversibleEncryption: (props & 16) !== 0,
  };
}

export function adFgppFromEntry(entry: Entry): FineGrainedPolicyFacts {
  return {
    name: safeText(first(entry, "cn") ?? entry.dn, TEXT_MAX),
    precedence: intOrNull(first(entry, "msDS-PasswordSettingsPrecedence")),
    minLength: intOrNull(first(entry, "msDS-MinimumPasswordLength")),
    lockoutThreshold: intOrNull(first(entry, "msDS-LockoutThreshold")),
    maxAgeDays: durationTo(first(entry, "msDS-MaximumPasswordAge"), "days"),
    complexity: (first(entry, "msDS-PasswordComplexityEnabled") ?? "").toUpperCase() === "TRUE",
    appliesTo: asStrings(entry["msDS-PSOAppliesTo"]).map((s) => safeText(s, 1024)),
  };
}

export const FGPP_ATTRIBUTES = [
  "cn",
  "msDS-PasswordSettingsPrecedence",
  "msDS-MinimumPasswordLength",
  "msDS-LockoutThreshold",
  "msDS-MaximumPasswordAge",
  "msDS-PasswordComplexityEnabled",
  "msDS-PSOAppliesTo",
];

export interface AdCollection {
  accounts: DirectoryAccountFacts[];
  groups: PrivilegedGroupFacts[];
  policy: PasswordPolicyFacts | Unknown;
  fgpp: FineGrainedPolicyFacts[] | Unknown;
  computers: DirectoryComputerFacts[] | Unknown;
  krbtgtPasswordLastSet: string | null | Unknown;
  /** Sections that could not be read, by name, with the reason. */
  problems: string[];
}

export interface AdCollectOptions {
  baseDN: string;
  pageSize: number;
  rangeStep: number;
  /** The bind identity as given (DN, UPN or DOMAIN\user), to find out whether it is an admin. */
  bindIdentity?: string;
  signal?: AbortSignal;
  step(name: string): void;
}

/** Reads everything the directory offers an AD auditor, section by section. */
export async function collectAd(session: LdapSession, opts: AdCollectOptions): Promise<AdCollection> {
  const problems: string[] = [];
  const { baseDN } = opts;

  // 1. Domain head: SID (for privileged group RIDs) and the password policy.
  opts.step("domain policy");
  const head = await session.readEntry(
    baseDN,
    ["objectSid", "minPwdLength", "lockoutThreshold", "lockoutDuration", "maxPwdAge", "minPwdAge", "pwdHistoryLength", "pwdProperties"],
    ["objectSid"],
  );
  const domainSid = head ? sidOf(head) : null;
  let policy: PasswordPolicyFacts | Unknown;
  if (head && first(head, "minPwdLength") !== undefined) policy = adPolicyFromEntry(head);
  else {
    policy = unknown(`the domain head ${baseDN} did not return minPwdLength (not the domain root, or not readable by the bind account)`);
    problems.push("passwordPolicy");
  }

  // 2. Privileged groups and their effective members: `member` read with range retrieval, nested
  //    groups followed client-side (cheaper than a whole-directory 1941 in-chain search per group).
  opts.step("privileged groups");
  const sids = [...PRIVILEGED_BUILTIN_SIDS, ...(domainSid ? PRIVILEGED_DOMAIN_RIDS.map((r) => `${domainSid}-${r}`) : [])];
  const groupEntries: Entry[] = [];
  await session.pagedSearch(
    baseDN,
    { filter: `(&(objectClass=group)(|${sids.map((s) => `(objectSid=${s})`).join("")}))`, attributes: ["cn", "sAMAccountName", "objectSid"], explicitBufferAttributes: ["objectSid"], pageSize: opts.pageSize },
    (entries) => void groupEntries.push(...entries),
    opts.signal,
  );
  const memberOfGroups = new Map<string, string[]>(); // account DN (lower) → group names
  const groups: PrivilegedGroupFacts[] = [];
  const resolver = new MembershipResolver(session, opts.rangeStep);
  for (const g of groupEntries) {
    const name = safeText(first(g, "sAMAccountName") ?? first(g, "cn") ?? g.dn, TEXT_MAX);
    const direct = await resolver.directMembers(g.dn);
    const members = [...(await resolver.effectivePeople(g.dn)).values()];
    for (const m of members) {
      const k = m.dn.toLowerCase();
      memberOfGroups.set(k, [...(memberOfGroups.get(k) ?? []), name]);
    }
    const names = members.map((m) => m.name).sort();
    const enabled = members.filter((m) => (m.uac & UAC.ACCOUNTDISABLE) === 0).map((m) => m.name).sort();
    groups.push({
      name,
      dn: safeText(g.dn, 1024),
      sid: sidOf(g),
      members: names,
      enabledMembers: enabled,
      memberCount: names.length,
      enabledMemberCount: enabled.length,
      directMemberCount: direct.length,
    });
  }
  groups.sort((a, b) => a.name.localeCompare(b.name));

  // 3. Accounts, page by page.
  opts.step("accounts");
  const accounts: DirectoryAccountFacts[] = [];
  await session.pagedSearch(
    baseDN,
    { filter: "(&(objectCategory=person)(objectClass=user))", attributes: USER_ATTRIBUTES, explicitBufferAttributes: ["objectSid"], pageSize: opts.pageSize },
    (entries) => {
      for (const e of entries) {
        const a = adAccountFromEntry(e);
        const pg = memberOfGroups.get(e.dn.toLowerCase());
        if (pg) {
          a.privilegedGroups = [...pg].sort();
          a.privileged = true;
        }
        accounts.push(a);
      }
    },
    opts.signal,
  );
  const krbtgt = accounts.find((a) => a.rid === 502 || a.name.toLowerCase() === "krbtgt");
  const krbtgtPasswordLastSet: string | null | Unknown = krbtgt
    ? krbtgt.passwordLastSet
    : unknown("the krbtgt account was not visible to the bind account");

  // Is the bind account an administrator? Admin-only objects (PSOs, BitLocker recovery) are
  // invisible to others, so an empty answer only proves absence for an admin.
  const bindAccount = findBindAccount(accounts, opts.bindIdentity);
  const bindIsAdmin = bindAccount?.privilegedGroups.some((g) => /^(Domain Admins|Administrators|Enterprise Admins)$/i.test(g)) ?? false;
  const adminOnly = (what: string) =>
    `${what} are readable only by administrators by default and the bind account ` +
    `(${bindAccount ? bindAccount.name : "not found among the accounts"}) is not a member of Domain Admins or Administrators, ` +
    `so an empty result does not prove there are none; bind as an administrator to read them`;

  // 4. Fine-grained password policies.
  opts.step("fine-grained password policies");
  let fgpp: FineGrainedPolicyFacts[] | Unknown;
  try {
    const list: FineGrainedPolicyFacts[] = [];
    await session.pagedSearch(
      `CN=Password Settings Container,CN=System,${baseDN}`,
      { filter: "(objectClass=msDS-PasswordSettings)", attributes: FGPP_ATTRIBUTES, pageSize: opts.pageSize },
      (entries) => void list.push(...entries.map(adFgppFromEntry)),
      opts.signal,
    );
    fgpp = list.length === 0 && !bindIsAdmin ? unknown(adminOnly("Fine-grained password policies (msDS-PasswordSettings)")) : list;
  } catch (err) {
    fgpp = unknown(`fine-grained password policies could not be read: ${(err as Error).message}`);
  }
  if ("unknown" in fgpp) problems.push("fineGrainedPolicies");

  // 5. Computers, LAPS, BitLocker recovery objects.
  opts.step("computers");
  const computers: DirectoryComputerFacts[] = [];
  await session.pagedSearch(
    baseDN,
    { filter: "(objectCategory=computer)", attributes: COMPUTER_ATTRIBUTES, pageSize: opts.pageSize },
    (entries) => void computers.push(...entries.map(adComputerFromEntry)),
    opts.signal,
  );
  const keysByComputer = new Map<string, number>();
  let keyCount = 0;
  await session.pagedSearch(
    baseDN,
    { filter: "(objectClass=msFVE-RecoveryInformation)", attributes: ["1.1"], pageSize: opts.pageSize },
    (entries) => {
      for (const e of entries) {
        const parent = e.dn.slice(e.dn.search(/,(?=CN=)/i) + 1).toLowerCase();
        keysByComputer.set(parent, (keysByComputer.get(parent) ?? 0) + 1);
        keyCount++;
      }
    },
    opts.signal,
  );
  for (const c of computers) {
    c.bitlockerRecoveryKeys =
      keyCount === 0 && !bindIsAdmin ? unknown(adminOnly("BitLocker recovery objects (msFVE-RecoveryInformation)")) : (keysByComputer.get(c.dn.toLowerCase()) ?? 0);
  }
  if (keyCount === 0 && !bindIsAdmin && computers.length > 0) problems.push("computers.bitlockerRecoveryKeys");
  computers.sort((a, b) => a.name.localeCompare(b.name));
  accounts.sort((a, b) => a.name.localeCompare(b.name));

  return { accounts, groups, policy, fgpp, computers, krbtgtPasswordLastSet, problems };
}

/** Finds the bind account among the accounts: by DN, UPN-style `user@realm` or `DOMAIN\user`. */
export function findBindAccount(accounts: DirectoryAccountFacts[], identity: string | undefined): DirectoryAccountFacts | undefined {
  if (!identity) return undefined;
  const id = identity.toLowerCase();
  const byDn = accounts.find((a) => a.dn.toLowerCase() === id);
  if (byDn) return byDn;
  const name = id.includes("\\") ? id.slice(id.lastIndexOf("\\") + 1) : id.includes("@") ? id.slice(0, id.indexOf("@")) : id;
  return accounts.find((a) => a.name.toLowerCase() === name);
}



interface MemberInfo {
  dn: string;
  kind: "group" | "person" | "other";
  name: string;
  uac: number;
}

/**
 * Resolves group membership through nesting: each group's `member` is read with range retrieval
 * once, each member entry once (objectClass tells a group from a person), cycles are cut.
 */
export class MembershipResolver {
  private readonly direct = new Map<string, string[]>();
  private readonly info = new Map<string, MemberInfo | null>();
  constructor(
    private readonly session: LdapSession,
    private readonly rangeStep: number,
  ) {}

  async directMembers(groupDn: string): Promise<string[]> {
    const key = groupDn.toLowerCase();
    let m = this.direct.get(key);
    if (!m) {
      m = await this.session.readAllValues(groupDn, "member", this.rangeStep);
      this.direct.set(key, m);
    }
    return m;
  }

  private async describe(dn: string): Promise<MemberInfo | null> {
    const key = dn.toLowerCase();
    if (this.info.has(key)) return this.info.get(key)!;
    const e = await this.session.readEntry(dn, ["objectClass", "sAMAccountName", "userAccountControl"]);
    let out: MemberInfo | null = null;
    if (e) {
      const oc = asStrings(e.objectClass).map((c) => c.toLowerCase());
      const kind = oc.includes("group") ? "group" : oc.includes("user") && !oc.includes("computer") ? "person" : "other";
      out = { dn: e.dn, kind, name: safeText(first(e, "sAMAccountName") ?? e.dn, TEXT_MAX), uac: intOrNull(first(e, "userAccountControl")) ?? 0 };
    }
    this.info.set(key, out);
    return out;
  }

  /** People who are members of `groupDn` directly or through nested groups, by DN (lower case). */
  async effectivePeople(groupDn: string, seen = new Set<string>()): Promise<Map<string, MemberInfo>> {
    const out = new Map<string, MemberInfo>();
    seen.add(groupDn.toLowerCase());
    for (const dn of await this.directMembers(groupDn)) {
      const m = await this.describe(dn);
      if (!m) continue;
      if (m.kind === "person") out.set(m.dn.toLowerCase(), m);
      else if (m.kind === "group" && !seen.has(m.dn.toLowerCase())) {
        for (const [k, v] of await this.effectivePeople(m.dn, seen)) out.set(k, v);
      }
    }
    return out;
  }
}
