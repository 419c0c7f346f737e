/**
 * Active Directory value encodings: FILETIME dates, negative durations, generalized time,
 * userAccountControl flags and binary SIDs. Pure functions, tested on values captured from Samba.
 */

/** 100 ns intervals between 1601-01-01 and 1970-01-01 (UTC). */
const EPOCH_DIFF = 116_444_736_000_000_000n;
const NEVER = 9_223_372_036_854_775_807n;

/**
 * FILETIME (100 ns since 1601-01-01 UTC) to an ISO string. These values exceed 2^53, so they are
 * parsed with BigInt. Returns null for 0 and for the "never" value (2^63 - 1).
 */
export function fileTimeToIso(value: string | undefined): string | null {
  if (value === undefined || !/^-?\d{1,20}$/.test(value.trim())) return null;
  const ft = BigInt(value.trim());
  if (ft <= 0n || ft >= NEVER) return null;
  const ms = (ft - EPOCH_DIFF) / 10_000n;
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** ISO date to FILETIME text (used by the lab seeder and tests). */
export function isoToFileTime(iso: string): string {
  const ms = BigInt(new Date(iso).getTime());
  return (ms * 10_000n + EPOCH_DIFF).toString();
}

/**
 * A domain duration (`maxPwdAge`, `lockoutDuration`, …: a negative count of 100 ns) in whole days,
 * or seconds with `unit`. Returns null for "never" (−2^63) and for 0 when `zeroIsNever`.
 */
export function durationTo(value: string | undefined, unit: "days" | "seconds", zeroIsNever = true): number | null {
  if (value === undefined || !/^-?\d{1,20}$/.test(value.trim())) return null;
  const n = BigInt(value.trim());
  if (n === -9_223_372_036_854_775_808n) return null;
  if (n === 0n) return zeroIsNever ? null : 0;
  const abs = n < 0n ? -n : n;
  const seconds = abs / 10_000_000n;
  return unit === "seconds" ? Number(seconds) : Number(seconds / 86_400n);
}

/** LDAP GeneralizedTime (`20240131120000.0Z`, `20240131120000Z`) to ISO; null when unparseable. */
export function generalizedTimeToIso(value: string | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{4})?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi = "00", s = "00", tz = "Z"] = m;
  const offset = tz === "Z" ? "Z" : `${tz.slice(0, 3)}:${tz.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Days since 1970-01-01 (shadowLastChange, shadowExpire) to ISO; null for missing, -1 or 0. */
export function epochDaysToIso(value: string | undefined): string | null {
  if (value === undefined || !/^-?\d{1,9}$/.test(value.trim())) return null;
  const days = Number(value.trim());
  if (days <= 0) return null;
  return new Date(days * 86_400_000).toISOString();
}

/** userAccountControl bits (MS-ADTS 2.2.16) and msDS-User-Account-Control-Computed bits. */
export const UAC = {
  ACCOUNTDISABLE: 0x2,
  LOCKOUT: 0x10,
  PASSWD_NOTREQD: 0x20,
  ENCRYPTED_TEXT_PWD_ALLOWED: 0x80,
  NORMAL_ACCOUNT: 0x200,
  WORKSTATION_TRUST_ACCOUNT: 0x1000,
  SERVER_TRUST_ACCOUNT: 0x2000,
  DONT_EXPIRE_PASSWORD: 0x10000,
  SMARTCARD_REQUIRED: 0x40000,
  TRUSTED_FOR_DELEGATION: 0x80000,
  NOT_DELEGATED: 0x100000,
  USE_DES_KEY_ONLY: 0x200000,
  DONT_REQ_PREAUTH: 0x400000,
  PASSWORD_EXPIRED: 0x800000,
} as const;

export type UacFlag = keyof typeof UAC;

/** Names of the flags set in `value`, in bit order. */
export function uacFlags(value: number): UacFlag[] {
  return (Object.keys(UAC) as UacFlag[]).filter((k) => (value & UAC[k]) !== 0);
}

/** Parses an integer attribute; null when absent or not an integer. */
export function intOrNull(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/**
 * A binary objectSid (MS-DTYP 2.4.2.2) to its string form `S-1-5-21-…`. Returns null when the
 * buffer is too short or its sub-authority count does not match its length.
 */
export function sidToString(buf: Buffer | undefined): string | null {
  if (!buf || buf.length < 8) return null;
  const revision = buf[0]!;
  const count = buf[1]!;
  if (buf.length !== 8 + count * 4) return null;
  const authority = buf.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(buf.readUInt32LE(8 + i * 4));
  return `S-${revision}-${authority}${subs.map((s) => `-${s}`).join("")}`;
}

/** The relative identifier (last sub-authority) of a SID string; null when none. */
export function ridOf(sid: string | null): number | null {
  if (!sid) return null;
  const m = /-(\d+)$/.exec(sid);
  return m && sid.split("-").length > 3 ? Number(m[1]) : null;
}

/** Escapes a value for use inside an LDAP filter (RFC 4515). */
export function escapeFilter(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
