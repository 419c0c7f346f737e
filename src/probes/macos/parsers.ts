import { unknown, type Unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";

/**
 * Parsers for the output of macOS commands, one per probe section. Each takes the command's text
 * and returns a value or null when the text is not what the command prints; the caller turns null
 * into `unknown` with a reason.
 */

/** `sw_vers`: `ProductName:\tmacOS` / `ProductVersion:\t14.2.1` / `BuildVersion:\t23C71`. */
export function parseSwVers(text: string): { productName: string; productVersion: string; buildVersion: string } | null {
  const kv = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Za-z]+):\s*(.*?)\s*$/.exec(line);
    if (m) kv.set(m[1]!, m[2]!);
  }
  const productVersion = kv.get("ProductVersion");
  if (!productVersion) return null;
  return { productName: kv.get("ProductName") ?? "macOS", productVersion, buildVersion: kv.get("BuildVersion") ?? "" };
}

export type FileVaultStatus = "on" | "off" | "encrypting" | "decrypting" | "other";

/** `fdesetup status`: the first line says On/Off; conversion in progress is reported on its own. */
export function parseFdesetup(text: string): FileVaultStatus | null {
  const t = text.trim();
  if (t === "") return null;
  if (/Encryption in progress/i.test(t)) return "encrypting";
  if (/Decryption in progress/i.test(t)) return "decrypting";
  if (/^FileVault is On\./m.test(t)) return "on";
  if (/^FileVault is Off\./m.test(t)) return "off";
  return "other";
}

/**
 * `socketfilterfw --getglobalstate`: `Firewall is enabled. (State = 1)`, `Firewall is disabled.
 * (State = 0)`, `Firewall is blocking all non-essential incoming connections. (State = 2)`.
 */
export function parseFirewallState(text: string): number | null {
  const m = /\(State = (\d+)\)/.exec(text);
  if (m) return Number(m[1]);
  if (/Firewall is enabled/i.test(text)) return 1;
  if (/Firewall is disabled/i.test(text)) return 0;
  return null;
}

/** `socketfilterfw --getstealthmode`: `Stealth mode enabled|disabled` (older) or `Firewall stealth mode is on|off`. */
export function parseStealthMode(text: string): boolean | null {
  if (/stealth mode (is on|enabled)/i.test(text)) return true;
  if (/stealth mode (is off|disabled)/i.test(text)) return false;
  return null;
}

/** `csrutil status`: `System Integrity Protection status: enabled.` (optionally `(Custom Configuration)`). */
export function parseCsrutil(text: string): { enabled: boolean; custom: boolean } | null {
  const m = /System Integrity Protection status:\s*(enabled|disabled|unknown)/i.exec(text);
  if (!m || m[1]!.toLowerCase() === "unknown") return null;
  return { enabled: m[1]!.toLowerCase() === "enabled", custom: /Custom Configuration/i.test(text) };
}

/** `spctl --status`: `assessments enabled` / `assessments disabled`. */
export function parseSpctl(text: string): boolean | null {
  if (/assessments enabled/i.test(text)) return true;
  if (/assessments disabled/i.test(text)) return false;
  return null;
}

/** `dscl . -list /Users ATTRIBUTE`: `name   value` per line (value may hold spaces). */
export function parseDsclList(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(\S+)\s+(.*?)\s*$/.exec(line);
    if (m && !out.has(m[1]!)) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** `dscl . -read /Groups/admin GroupMembership`: `GroupMembership: root alice`. */
export function parseGroupMembership(text: string): string[] | null {
  const m = /^GroupMembership:\s*(.*)$/m.exec(text);
  if (!m) return /No such key: GroupMembership/i.test(text) ? [] : null;
  return m[1]!.trim().split(/\s+/).filter(Boolean);
}

/**
 * `sysadminctl -screenLock status` (it prints on stderr, after a timestamp): `screenLock delay is
 * immediate` → 0, `screenLock delay is 300 seconds` → 300, `screenLock is off` → "off".
 */
export function parseScreenLock(text: string): number | "off" | null {
  if (/screenLock is off/i.test(text)) return "off";
  const m = /screenLock delay is (immediate|(-?\d+)(?:\.\d+)? seconds?)/i.exec(text);
  if (!m) return null;
  if (m[1]!.toLowerCase() === "immediate") return 0;
  const n = Number(m[2]);
  return n < 0 ? "off" : n;
}

/** Runs a text parser over a section; unusable output or an unrecognised answer is unknown. */
export function fromText<T>(probe: ProbeOutput, section: string, what: string, parse: (t: string) => T | null, useStderr = false): T | Unknown {
  const s = probe.section(section);
  const text = probe.text(section, what);
  if (typeof text !== "string") {
    // sysadminctl and friends print on stderr; a non-zero exit with a known answer still counts.
    if (useStderr && s?.complete && s.stderr) {
      const v = parse(s.stderr);
      if (v !== null) return v;
    }
    return text;
  }
  const v = parse(useStderr ? `${text}\n${s?.stderr ?? ""}` : text);
  return v === null ? unknown(`${what}: output not understood: ${firstLine(useStderr ? `${text}\n${s?.stderr ?? ""}` : text)}`) : v;
}

export function firstLine(t: string): string {
  return (t.split("\n").find((l) => l.trim() !== "") ?? "").trim().slice(0, 120);
}
