import { Type, type Static } from "@sinclair/typebox";
import { Known, Str, Num, Bool, StrList, Nullable } from "./unknown.js";

/**
 * Directory facts (Active Directory or OpenLDAP), filled by the LDAP collector
 * (src/collectors/directory.ts). Dates are ISO strings (UTC); null means "never" or "not set".
 * A section the bind account may not read is `unknown` with the reason, never an empty list.
 */


export const DirectoryServer = Type.Object({
  /** From the rootDSE: `ad` (Active Directory or Samba AD), `openldap`, or `other`. */
  type: Type.Union([Type.Literal("ad"), Type.Literal("openldap"), Type.Literal("other")]),
  vendor: Nullable(Str),
  /** AD forest/domain functional level (msDS-Behavior-Version), null elsewhere. */
  domainFunctionality: Nullable(Num),
  dnsHostName: Nullable(Str),
  namingContexts: StrList,
  baseDN: Str,
});

export const DirectoryConnection = Type.Object({
  /** How the scan's own connection was protected. */
  security: Type.Union([Type.Literal("ldaps"), Type.Literal("starttls"), Type.Literal("none")]),
  /** Certificate verification was switched off with --insecure-tls. */
  insecureTls: Bool,
  /**
   * Whether the server accepts a simple bind on port 389 with neither TLS nor signing. Tested with
   * a throw-away password (never the real one): result code 8/13 = refused, 49 = accepted.
   */
  cleartextBindAccepted: Known(Bool),
  cleartextBindDetail: Str,
});

export const DirectoryAccount = Type.Object({
  /** sAMAccountName (AD) or uid (OpenLDAP): what findings name. */
  name: Str,
  dn: Str,
  enabled: Bool,
  /**
   * Last logon: AD `lastLogonTimestamp` (replicated, lags real logons by 9–14 days), OpenLDAP
   * `pwdLastSuccess` or `authTimestamp`. null = never logged on (as far as the source knows).
   */
  lastLogon: Known(Nullable(Str)),
  lastLogonSource: Str,
  /** Password last set; null when never set or "must change at next logon" (pwdLastSet 0). */
  passwordLastSet: Nullable(Str),
  mustChangePassword: Bool,
  whenCreated: Nullable(Str),
  /** Account expiry; null = never expires. */
  accountExpires: Nullable(Str),
  /** userAccountControl (AD) or 0. */
  userAccountControl: Num,
  /** msDS-User-Account-Control-Computed (lockout, password expired), or 0 when not readable. */
  userAccountControlComputed: Num,
  passwordNeverExpires: Bool,
  passwordNotRequired: Bool,
  reversibleEncryption: Bool,
  noPreauth: Bool,
  lockedOut: Bool,
  /**
   * Failed password attempts since the last good one: AD badPwdCount (kept per domain controller,
   * not replicated: the DC the scan asked), OpenLDAP ppolicy pwdFailureTime values. Unknown when
   * the server returned nothing (not readable by the bind account, or not kept).
   */
  badPwdCount: Type.Optional(Known(Num)),
  /** Time of the last failed password attempt (AD badPasswordTime, newest pwdFailureTime); null = none. */
  badPasswordTime: Type.Optional(Known(Nullable(Str))),
  /** When the account was locked out (AD lockoutTime, OpenLDAP pwdAccountLockedTime); null = not locked. */
  lockoutTime: Type.Optional(Known(Nullable(Str))),
  passwordExpired: Bool,
  smartcardRequired: Bool,
  mail: Nullable(Str),
  employeeID: Nullable(Str),
  manager: Nullable(Str),
  description: Nullable(Str),
  displayName: Nullable(Str),
  servicePrincipalNames: StrList,
  /** Has an SPN: a service hint. */
  hasSpn: Bool,
  sid: Nullable(Str),
  rid: Nullable(Num),
  /** Built-in account (RID below 1000, e.g. Administrator 500, Guest 501, krbtgt 502). */
  builtin: Bool,
  adminCount: Nullable(Num),
  /** Privileged groups this account is an effective member of (nested membership resolved). */
  privilegedGroups: StrList,
  privileged: Bool,
  /** Listed in the --roster file (matched on name, mail or employeeID); unknown without a roster. */
  onRoster: Known(Bool),
  /** Which roster column matched (sAMAccountName, mail, employeeID), null when none. */
  rosterMatch: Nullable(Str),
  /** OpenLDAP shadowLastChange as ISO (weaker signal than a last bind), null elsewhere. */
  shadowLastChange: Nullable(Str),
});

export const PrivilegedGroup = Type.Object({
  name: Str,
  dn: Str,
  sid: Nullable(Str),
  /** Effective (nested) members that are accounts, by name. */
  members: StrList,
  enabledMembers: StrList,
  memberCount: Num,
  enabledMemberCount: Num,
  /** Direct `member` values, read with range retrieval. */
  directMemberCount: Num,
});

export const PasswordPolicy = Type.Object({
  /** Where it was read: the domain head (AD) or a pwdPolicy entry (OpenLDAP). */
  source: Str,
  minLength: Nullable(Num),
  /** Lockout after this many failures; 0 = never locks out. */
  lockoutThreshold: Nullable(Num),
  lockoutDurationSeconds: Nullable(Num),
  /** Maximum password age in days; null = never expires. */
  maxAgeDays: Nullable(Num),
  minAgeDays: Nullable(Num),
  historyLength: Nullable(Num),
  /** AD pwdProperties bit 1 (DOMAIN_PASSWORD_COMPLEX); OpenLDAP: a pwdCheckModule is configured. */
  complexity: Bool,
  reversibleEncryption: Bool,
});

export const FineGrainedPolicy = Type.Object({
  name: Str,
  precedence: Nullable(Num),
  minLength: Nullable(Num),
  lockoutThreshold: Nullable(Num),
  maxAgeDays: Nullable(Num),
  complexity: Bool,
  appliesTo: StrList,
});

export const DirectoryComputer = Type.Object({
  name: Str,
  dn: Str,
  enabled: Bool,
  /** lastLogonTimestamp (lags 9–14 days); null = never. */
  lastLogon: Nullable(Str),
  whenCreated: Nullable(Str),
  operatingSystem: Nullable(Str),
  domainController: Bool,
  /** Legacy (ms-Mcs-AdmPwdExpirationTime) or Windows LAPS (msLAPS-PasswordExpirationTime) is set. */
  lapsPresent: Bool,
  /** msFVE-RecoveryInformation objects under the computer; unknown when not readable. */
  bitlockerRecoveryKeys: Known(Num),
});

export const Krbtgt = Type.Object({
  passwordLastSet: Nullable(Str),
});

export const RosterInfo = Type.Object({
  file: Str,
  entries: Num,
  /** Columns found and used for matching. */
  columns: StrList,
});

export const DirectoryFactsSchema = Type.Object(
  {
    server: Known(DirectoryServer),
    connection: Known(DirectoryConnection),
    accounts: Type.Optional(Known(Type.Array(DirectoryAccount))),
    privilegedGroups: Type.Optional(Known(Type.Array(PrivilegedGroup))),
    passwordPolicy: Type.Optional(Known(PasswordPolicy)),
    fineGrainedPolicies: Type.Optional(Known(Type.Array(FineGrainedPolicy))),
    krbtgt: Type.Optional(Known(Krbtgt)),
    computers: Type.Optional(Known(Type.Array(DirectoryComputer))),
    /** The --roster file joined to the accounts; null when no roster was given. */
    roster: Type.Optional(Known(Nullable(RosterInfo))),
  },
  { additionalProperties: false, title: "DirectoryFacts" },
);
export type DirectoryFacts = Static<typeof DirectoryFactsSchema>;
export type DirectoryAccountFacts = Static<typeof DirectoryAccount>;
export type DirectoryComputerFacts = Static<typeof DirectoryComputer>;
export type PrivilegedGroupFacts = Static<typeof PrivilegedGroup>;
export type PasswordPolicyFacts = Static<typeof PasswordPolicy>;
export type FineGrainedPolicyFacts = Static<typeof FineGrainedPolicy>;
