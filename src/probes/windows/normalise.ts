import { RemoteOutputError } from "../../core/errors.js";
import { safeText } from "../../core/untrusted-text.js";
import { unknown, type Unknown } from "../../facts/unknown.js";
import { windowsEndOfLife } from "./eol.js";

/**
 * Turns the Windows probe's JSON into host facts. Each section is normalised on its own; a
 * section the probe could not read becomes `unknown` with the probe's (cleaned) error. Values are
 * accepted both as the probe's typed JSON and as the strings Format-List shows, so the same
 * normalisers are tested on real captured cmdlet output.
 */

export type Rec = Record<string, unknown>;

/** The probe's output is not the document it writes (or a section's text is not what it prints). */
export class ProbeOutputError extends RemoteOutputError {}



// ---- value helpers -------------------------------------------------------------------------

export function num(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

export function bool(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") {
    const t = v.trim().toLowerCase();
    if (t === "true" || t === "1" || t === "yes") return true;
    if (t === "false" || t === "0" || t === "no") return false;
  }
  return null;
}

export function str(v: unknown, max = 512): string {
  return v === null || v === undefined ? "" : safeText(String(v), max);
}

/**
 * A date as the probe sends it (ISO) or as Format-List shows it in en-US (`7/30/2013 3:01:45 AM`,
 * local time of the target, read here as UTC). Null for empty values and the 1600/1601 "never".
 */
export function isoDate(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  if (s === "") return null;
  let t: number;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})\s*(AM|PM)?$/i.exec(s);
  if (us) {
    let h = Number(us[4]);
    if (us[7]) h = (h % 12) + (us[7].toUpperCase() === "PM" ? 12 : 0);
    t = Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]), h, Number(us[5]), Number(us[6]));
  } else {
    const ms = /^\/Date\((-?\d+)\)\/$/.exec(s);
    t = ms ? Number(ms[1]) : Date.parse(s);
  }
  if (!Number.isFinite(t) || new Date(t).getUTCFullYear() <= 1601) return null;
  return new Date(t).toISOString();
}

export const rec = (v: unknown): Rec => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Rec) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);

// ---- section normalisers ----------------------------------------------------------------------

const CONVERSION = ["FullyDecrypted", "FullyEncrypted", "EncryptionInProgress", "DecryptionInProgress", "EncryptionPaused", "DecryptionPaused"];
const PROTECTION = ["Off", "On", "Unknown"];
const WMI_VOLUME_TYPE = ["OperatingSystem", "FixedData", "Removable"];
const WMI_METHOD = ["None", "AES_128_WITH_DIFFUSER", "AES_256_WITH_DIFFUSER", "AES_128", "AES_256", "HARDWARE_ENCRYPTION", "XTS_AES_128", "XTS_AES_256"];

/** BitLocker volumes from Get-BitLockerVolume objects or Win32_EncryptableVolume values. */
export function normaliseBitLocker(data: Rec) {
  const source = str(data.source) || "Get-BitLockerVolume";
  const fixedDrives = new Set(arr(data.fixedDrives).map((d) => str(d).toUpperCase()));
  const volumes = arr(data.volumes).map((raw) => {
    const v = rec(raw);
    const wmi = "ConversionStatus" in v || "DriveLetter" in v;
    const mountPoint = str(v.MountPoint ?? v.DriveLetter);
    const typeNum = num(v.VolumeType);
    const volumeType = wmi && typeNum !== null ? (WMI_VOLUME_TYPE[typeNum] ?? String(typeNum)) : str(v.VolumeType);
    const convNum = num(v.ConversionStatus ?? v.VolumeStatus);
    const conversionStatus = convNum !== null ? (CONVERSION[convNum] ?? String(convNum)) : str(v.VolumeStatus ?? v.ConversionStatus);
    const protNum = num(v.ProtectionStatus);
    const protectionStatus = protNum !== null ? (PROTECTION[protNum] ?? "Unknown") : str(v.ProtectionStatus) || "Unknown";
    const methodNum = num(v.EncryptionMethod);
    const encryptionMethod = methodNum !== null ? (WMI_METHOD[methodNum] ?? String(methodNum)) : str(v.EncryptionMethod) || null;
    const fixed =
      volumeType === "OperatingSystem" || volumeType === "FixedData" || (volumeType !== "Removable" && fixedDrives.has(mountPoint.toUpperCase()));
    return { mountPoint, volumeType, fixed, conversionStatus, protectionStatus, encryptionMethod };
  });
  return { source, volumes };
}

export function normaliseSessionLock(data: Rec) {
  const active = data.screenSaveActive;
  return {
    inactivityTimeoutSecs: num(data.inactivityTimeoutSecs),
    screenSaverActive: active === null || active === undefined ? null : bool(active),
    screenSaverTimeoutSecs: num(data.screenSaveTimeOut),
    screenSaverSecure: data.screenSaverIsSecure === null || data.screenSaverIsSecure === undefined ? null : bool(data.screenSaverIsSecure),
  };
}

export function normaliseRdp(data: Rec) {
  const pick = (policy: unknown, local: unknown) => num(policy) ?? num(local);
  const deny = pick(data.policyDenyTSConnections, data.fDenyTSConnections);
  const nla = pick(data.policyUserAuthentication, data.userAuthentication);
  const idleMs = pick(data.policyMaxIdleTime, data.maxIdleTime);
  return {
    // fDenyTSConnections missing means denied (the Windows default).
    enabled: deny === null ? false : deny === 0,
    nla: nla === null ? null : nla === 1,
    securityLayer: pick(data.policySecurityLayer, data.securityLayer),
    maxIdleTimeSecs: idleMs === null ? null : Math.round(idleMs / 1000),
  };
}

function ridOf(sid: string): number | null {
  const m = /^S-1-5-21-\d+-\d+-\d+-(\d+)$/i.exec(sid);
  return m ? Number(m[1]) : null;
}

/** Names from `net user` output (three fixed-width 25-column names per line between the dashes and the footer). */
export function parseNetUser(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^-{10,}\s*$/.test(l));
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^The command completed|^\s*$/.test(line)) continue;
    for (let i = 0; i < line.length; i += 25) {
      const n = line.slice(i, i + 25).trim();
      if (n) names.push(n);
    }
  }
  return names;
}

export function normaliseLocalUsers(data: Rec, admins: Rec | Unknown) {
  const source = str(data.source) || "Get-LocalUser";
  const users =
    source === "net user"
      ? parseNetUser(String(data.text ?? "")).map((name) => ({
          name: safeText(name, 256),
          enabled: unknown("net user lists names only"),
          sid: null,
          rid: null,
          description: "",
          lastLogon: unknown("net user lists names only"),
          builtinAdministrator: false,
          builtinGuest: false,
        }))
      : arr(data.users).map((raw) => {
          const u = rec(raw);
          const sid = str(u.SID ?? u.sid, 200) || null;
          const rid = sid ? ridOf(sid) : null;
          const enabled = bool(u.Enabled ?? u.enabled);
          return {
            name: str(u.Name ?? u.name, 256),
            enabled: enabled === null ? unknown("enabled flag not reported") : enabled,
            sid,
            rid,
            description: str(u.Description ?? u.description, 1024),
            lastLogon: source === "Win32_UserAccount" ? unknown("Win32_UserAccount has no last logon") : isoDate(u.LastLogon ?? u.lastLogon),
            builtinAdministrator: rid === 500,
            builtinGuest: rid === 501,
          };
        });
  const administrators =
    "unknown" in admins ? (admins as Unknown) : arr(rec(admins).members).map((m) => str(m, 256));
  return { source, users, administrators };
}

/** `auditpol /get /category:* /r` CSV (or an audit.csv backup): one row per subcategory, keyed on GUID. */
export function parseAuditpolCsv(text: string) {
  const rows = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = rows.shift()?.split(",") ?? [];
  const guidAt = header.findIndex((h) => /Subcategory GUID/i.test(h));
  const nameAt = header.findIndex((h) => /^Subcategory$/i.test(h.trim()));
  const incAt = header.findIndex((h) => /Inclusion Setting/i.test(h));
  if (guidAt < 0 || incAt < 0) throw new ProbeOutputError("auditpol output has no Subcategory GUID / Inclusion Setting header");
  const out: { guid: string; name: string; success: boolean; failure: boolean; setting: string }[] = [];
  for (const row of rows) {
    const cells = row.split(",");
    const guid = (cells[guidAt] ?? "").replace(/[{}]/g, "").trim().toUpperCase();
    if (!/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(guid)) continue;
    const setting = (cells[incAt] ?? "").trim();
    // Settings are localised too; "Success and Failure" in English. The GUID and the bit values are not.
    const value = num(cells[header.findIndex((h) => /Setting Value/i.test(h))]);
    const success = value !== null ? (value & 1) === 1 : /Success/i.test(setting);
    const failure = value !== null ? (value & 2) === 2 : /Failure/i.test(setting);
    out.push({ guid, name: safeText(cells[nameAt] ?? "", 200), success, failure, setting: safeText(setting, 100) });
  }
  return { subcategories: out };
}

export function normaliseSecurityLog(data: Rec) {
  const size = num(data.maxSizeBytes);
  return {
    maxSizeBytes: size === null ? unknown("Security log size not readable") : size,
    logMode: data.logMode === null || data.logMode === undefined ? null : str(data.logMode),
    enabled: data.enabled === null || data.enabled === undefined ? null : bool(data.enabled),
  };
}

/** Get-MpComputerStatus properties (typed JSON or Format-List strings). */
export function normaliseDefender(data: Rec, now: Date) {
  const k = (name: string) => {
    const b = bool(data[name]);
    return b === null ? unknown(`${name} not reported`) : b;
  };
  const last = isoDate(data.AntivirusSignatureLastUpdated);
  const age = num(data.AntivirusSignatureAge);
  const tamper = data.IsTamperProtected === undefined || data.IsTamperProtected === null ? null : bool(data.IsTamperProtected);
  return {
    serviceEnabled: k("AMServiceEnabled"),
    antivirusEnabled: k("AntivirusEnabled"),
    realTimeProtection: k("RealTimeProtectionEnabled"),
    signatureLastUpdated: last,
    // 4294967295 means "never"; otherwise prefer the date, which `evaluate` can age later.
    signatureAgeDays: last ? Math.floor((now.getTime() - Date.parse(last)) / 86_400_000) : age === null || age >= 4294967295 ? null : age,
    tamperProtected: tamper,
  };
}

export function normaliseFirewall(data: Rec) {
  return {
    profiles: arr(data.profiles).map((raw) => {
      const p = rec(raw);
      return { name: str(p.name ?? p.Name), enabled: bool(p.enabled ?? p.Enabled) === true, defaultInboundAction: str(p.defaultInboundAction ?? p.DefaultInboundAction) };
    }),
  };
}

/** Get-SmbServerConfiguration / Get-SmbClientConfiguration properties. */
export function normaliseSmb(data: Rec) {
  const server = rec(data.server);
  const client = data.client === null || data.client === undefined ? null : rec(data.client);
  const need = (name: string) => {
    const b = bool(server[name]);
    return b === null ? unknown(`${name} not reported`) : b;
  };
  return {
    smb1Enabled: need("EnableSMB1Protocol"),
    serverSigningRequired: need("RequireSecuritySignature"),
    clientSigningRequired: client ? bool(client.RequireSecuritySignature) : null,
    encryptData: bool(server.EncryptData),
  };
}

export function normaliseSchannel(data: Rec) {
  const keys = arr(data.keys).map((raw) => {
    const k = rec(raw);
    return { protocol: str(k.protocol), side: str(k.side), enabled: num(k.enabled), disabledByDefault: num(k.disabledByDefault) };
  });
  const server = (p: string) => keys.find((k) => k.protocol === p && k.side === "Server");
  const legacy: string[] = [];
  for (const p of ["SSL 2.0", "SSL 3.0"]) {
    const k = server(p);
    if (k && ((k.enabled !== null && k.enabled !== 0) || k.disabledByDefault === 0)) legacy.push(p);
  }
  for (const p of ["TLS 1.0", "TLS 1.1"]) {
    const k = server(p);
    if (!k || !(k.enabled === 0 || k.disabledByDefault === 1)) legacy.push(p);
  }
  return { keys, legacyServerProtocols: legacy };
}

export function normaliseLsa(data: Rec) {
  return { noLmHash: num(data.noLmHash), lmCompatibilityLevel: num(data.lmCompatibilityLevel) };
}

export function normaliseHotfixes(data: Rec) {
  const items = arr(data.items).map((raw) => {
    const h = rec(raw);
    return { id: str(h.id ?? h.HotFixID, 64), installedOn: isoDate(h.installedOn ?? h.InstalledOn) };
  });
  const dated = items.filter((i) => i.installedOn !== null).sort((a, b) => (a.installedOn! < b.installedOn! ? 1 : -1));
  return { count: items.length, lastInstalledOn: dated[0]?.installedOn ?? null, recent: dated.slice(0, 10) };
}

export function normaliseOs(data: Rec, now: Date) {
  const build = num(data.build) ?? 0;
  const productType = num(data.productType) ?? 1;
  const caption = str(data.caption, 200);
  const { eol } = windowsEndOfLife(build, productType, caption, now);
  const ubr = num(data.ubr);
  return {
    family: "windows" as const,
    name: caption || "Windows",
    version: str(data.displayVersion) || str(data.version),
    id: productType === 1 ? "windows" : "windows-server",
    kernel: `${str(data.version)}${ubr !== null ? `.${ubr}` : ""}`,
    hostname: str(data.hostname, 255),
    arch: str(data.arch, 64),
    // A release the table does not know is unknown (the rule then says error), not a guess.
    endOfLife: eol === null ? unknown(`Windows build ${build} (${caption || "unknown edition"}) is not in the built-in lifecycle table`) : eol,
  };
}
