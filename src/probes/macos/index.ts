import type { Static } from "@sinclair/typebox";
import type { HostFacts } from "../../facts/host.js";
import type { Accounts, Firewall, Os } from "../../facts/host-linux.js";
import type { Screensaver, SoftwareUpdate } from "../../facts/host-macos.js";
import { isUnknown, unknown, type Unknown } from "../../facts/unknown.js";
import type { FileBlock, SplitOutput } from "../sections.js";
import { keyValues, ProbeOutput } from "../linux/probe-output.js";
import { probeUid } from "../linux/index.js";
import { parseSshd } from "../linux/sshd.js";
import {
  parseCsrutil,
  parseDsclList,
  parseFdesetup,
  parseFirewallState,
  parseGroupMembership,
  parseScreenLock,
  parseSpctl,
  parseStealthMode,
  parseSwVers,
} from "./parsers.js";
import { parseOpenStepPlist, plistBool, plistDate, plistInt, type PlistValue } from "./plist.js";

/** Where each macOS facts section comes from: shown as the evidence source. */
export const MACOS_SOURCES: Record<string, string> = {
  os: "uname; sw_vers",
  filevault: "fdesetup status",
  appFirewall: "socketfilterfw --getglobalstate --getstealthmode",
  firewall: "socketfilterfw --getglobalstate",
  sip: "csrutil status",
  gatekeeper: "spctl --status",
  accounts: "dscl . -list /Users UniqueID|PrimaryGroupID|UserShell|NFSHomeDirectory; dscl . -read /Groups/admin",
  screensaver:
    "/Library/Managed Preferences/[user/]com.apple.screensaver (configuration profiles); ~/Library/Preferences/ByHost/com.apple.screensaver.*; sysadminctl -screenLock status",
  softwareUpdate: "defaults read /Library/Preferences/com.apple.SoftwareUpdate",
  sshd: "sshd -T (root) or /etc/ssh/sshd_config",
};

/**
 * End of Apple security updates per major release (endoflife.date/macos: the date of the last
 * security update each release got). Releases not listed are treated as not known.
 */
const MACOS_EOL: Record<string, string> = {
  "10.13": "2020-12-14",
  "10.14": "2021-10-25",
  "10.15": "2022-09-12",
  "11": "2023-09-26",
  "12": "2024-09-16",
  "13": "2025-09-15",
};

function majorOf(version: string): string {
  const [a, b] = version.split(".");
  return a === "10" ? `10.${b ?? ""}` : (a ?? "");
}

type OsFacts = Static<typeof Os>;

function parseOs(probe: ProbeOutput, now: Date): OsFacts | Unknown {
  const ident = probe.text("ident", "uname");
  if (typeof ident !== "string") return ident;
  const id = keyValues(ident);
  const swText = probe.text("sw-vers", "sw_vers");
  const sw = typeof swText === "string" ? parseSwVers(swText) : null;
  const why = typeof swText === "string" ? unknown("sw_vers output not understood") : swText;
  const eolDate = sw ? (MACOS_EOL[majorOf(sw.productVersion)] ?? null) : null;
  return {
    family: "macos",
    name: sw?.productName ?? "macOS",
    version: sw?.productVersion ?? "",
    id: "macos",
    kernel: id.get("kernel") ?? "",
    hostname: id.get("hostname") ?? "",
    arch: id.get("arch") ?? "",
    endOfLife: sw ? (eolDate ? now.toISOString().slice(0, 10) > eolDate : null) : why,
    endOfLifeDate: sw ? eolDate : why,
  };
}

/** Runs a text parser over a section; unusable output or an unrecognised answer is unknown. */
function fromText<T>(probe: ProbeOutput, section: string, what: string, parse: (t: string) => T | null, useStderr = false): T | Unknown {
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

function firstLine(t: string): string {
  return (t.split("\n").find((l) => l.trim() !== "") ?? "").trim().slice(0, 120);
}

function parseAccounts(probe: ProbeOutput): Static<typeof Accounts> {
  const list = (section: string, what: string) => {
    const t = probe.text(section, what);
    return typeof t === "string" ? parseDsclList(t) : t;
  };
  const uids = list("dscl-uid", "dscl . -list /Users UniqueID");
  const gids = list("dscl-gid", "dscl . -list /Users PrimaryGroupID");
  const shells = list("dscl-shell", "dscl . -list /Users UserShell");
  const homes = list("dscl-home", "dscl . -list /Users NFSHomeDirectory");
  const adminText = probe.text("dscl-admin", "dscl . -read /Groups/admin GroupMembership");
  const admins = typeof adminText === "string" ? (parseGroupMembership(adminText) ?? unknown("admin group membership not understood")) : adminText;
  const notRead = unknown("macOS keeps password data in the directory service; not read by the probe");
  let users: Static<typeof Accounts>["users"];
  if (isUnknown(uids)) users = uids;
  else {
    users = [];
    for (const [name, uidText] of uids) {
      if (!/^-?\d+$/.test(uidText)) continue;
      const shell = isUnknown(shells) ? "" : (shells.get(name) ?? "");
      const gid = isUnknown(gids) ? NaN : Number(gids.get(name));
      users.push({
        name,
        uid: Number(uidText),
        gid: Number.isFinite(gid) ? gid : -1,
        gecos: "",
        home: isUnknown(homes) ? "" : (homes.get(name) ?? ""),
        shell,
        interactive: shell !== "" && !/(\/false|nologin|uucico)$/.test(shell),
        password: notRead,
        passwordChanged: notRead,
        expires: unknown("account expiry is not read on macOS"),
        lastLogin: unknown("last login is not read on macOS"),
        groups: !isUnknown(admins) && admins.includes(name) ? ["admin"] : [],
      });
    }
  }
  const privileged = isUnknown(admins)
    ? admins
    : [...new Set([...(Array.isArray(users) ? users.filter((u) => u.uid === 0).map((u) => u.name) : []), ...admins])];
  return { users, privileged, adminGroupMembers: admins, defaultInactiveDays: unknown("macOS has no useradd defaults") };
}

function readPlist(block: FileBlock): { [k: string]: PlistValue } | Unknown {
  if (block.denied) return unknown(`needs root: ${block.path}`);
  try {
    const v = parseOpenStepPlist(block.content);
    return typeof v === "object" && !Array.isArray(v) ? v : unknown(`${block.path}: not a dictionary`);
  } catch (err) {
    return unknown(`${block.path}: ${(err as Error).message}`);
  }
}

const MANAGED = "/Library/Managed Preferences/";

/**
 * Screen saver and lock. Configuration profiles (MDM) put their settings in /Library/Managed
 * Preferences; they override whatever a user chose, so they are read first. Since macOS 10.13 the
 * lock delay a user picks is no longer in any preference file: `sysadminctl -screenLock status`
 * reports it (for the account the probe runs as).
 */
function parseScreensaver(probe: ProbeOutput): Static<typeof Screensaver> {
  const files = probe.files("screensaver", "screen saver preferences");
  const lock = fromText(probe, "screenlock", "sysadminctl -screenLock status", parseScreenLock, true);
  const screenLockDelay = isUnknown(lock) ? lock : lock === "off" ? null : lock;
  if (!Array.isArray(files)) {
    return { idleTime: files, idleTimeSource: files, askForPassword: files, askForPasswordDelay: files, screenLockDelay, managed: false };
  }
  const computer: { [k: string]: PlistValue }[] = [];
  const perUser: { [k: string]: PlistValue }[] = [];
  const byHost: { [k: string]: PlistValue }[] = [];
  let denied: Unknown | null = null;
  for (const f of files) {
    const p = readPlist(f);
    if (isUnknown(p)) {
      denied ??= p;
      continue;
    }
    if (f.path === `${MANAGED}com.apple.screensaver.plist`) computer.push(p);
    else if (f.path.startsWith(MANAGED)) perUser.push(p);
    else byHost.push(p);
  }
  const profiles = [...computer, ...perUser];
  const pick = (sets: { [k: string]: PlistValue }[], key: string, conv: (v: PlistValue | undefined) => number | boolean | null) =>
    sets.map((s) => conv(s[key])).filter((v): v is number | boolean => v !== null);
  // The weakest value wins: a longer idle time, no password, a longer delay.
  const idleFrom = (sets: { [k: string]: PlistValue }[]) => {
    const v = pick(sets, "idleTime", plistInt) as number[];
    if (v.length === 0) return undefined;
    return v.some((x) => x <= 0) ? null : Math.max(...v);
  };
  let idleTime: number | null | Unknown;
  let idleTimeSource: string | Unknown;
  const fromComputer = idleFrom(computer);
  const fromUsers = idleFrom(perUser);
  const fromByHost = idleFrom(byHost);
  if (fromComputer !== undefined) [idleTime, idleTimeSource] = [fromComputer, "profile"];
  else if (fromUsers !== undefined) [idleTime, idleTimeSource] = [fromUsers, "profile (user level)"];
  else if (denied) [idleTime, idleTimeSource] = [denied, denied];
  else if (fromByHost !== undefined) [idleTime, idleTimeSource] = [fromByHost, "user"];
  else [idleTime, idleTimeSource] = [1200, "default"]; // macOS starts the screen saver after 20 minutes unless told otherwise
  const ask = pick(profiles, "askForPassword", plistBool) as boolean[];
  const delay = pick(profiles, "askForPasswordDelay", plistInt) as number[];
  return {
    idleTime,
    idleTimeSource,
    askForPassword: ask.length === 0 ? (denied ?? null) : ask.every(Boolean),
    askForPasswordDelay: delay.length === 0 ? (denied ?? null) : Math.max(...delay),
    screenLockDelay,
    managed: profiles.length > 0,
  };
}

function parseSoftwareUpdate(probe: ProbeOutput): Static<typeof SoftwareUpdate> | Unknown {
  const text = probe.text("swupdate", "defaults read /Library/Preferences/com.apple.SoftwareUpdate");
  if (typeof text !== "string") return text;
  let p: PlistValue;
  try {
    p = parseOpenStepPlist(text);
  } catch (err) {
    return unknown(`com.apple.SoftwareUpdate: ${(err as Error).message}`);
  }
  if (typeof p !== "object" || Array.isArray(p)) return unknown("com.apple.SoftwareUpdate: not a dictionary");
  return {
    lastSuccessfulDate: plistDate(p.LastSuccessfulDate ?? p.LastFullSuccessfulDate),
    automaticCheckEnabled: plistBool(p.AutomaticCheckEnabled),
    automaticDownload: plistBool(p.AutomaticDownload),
    automaticallyInstallMacOSUpdates: plistBool(p.AutomaticallyInstallMacOSUpdates),
    criticalUpdateInstall: plistBool(p.CriticalUpdateInstall),
    recommendedUpdatesAvailable: plistInt(p.LastRecommendedUpdatesAvailable),
  };
}

/** Turns a split macOS probe run into host facts. Never throws on odd output: a parser that fails gives unknown. */
export function parseMacos(split: SplitOutput, now: Date): { facts: HostFacts; sources: Record<string, string> } {
  const probe = new ProbeOutput(split, probeUid(split));
  const fv = fromText(probe, "fdesetup", "fdesetup status", parseFdesetup);
  const state = fromText(probe, "fw-global", "socketfilterfw --getglobalstate", parseFirewallState);
  const stealth = fromText(probe, "fw-stealth", "socketfilterfw --getstealthmode", parseStealthMode);
  const sip = fromText(probe, "csrutil", "csrutil status", parseCsrutil);
  const firewall: Static<typeof Firewall> = {
    backend: isUnknown(state) ? state : state >= 1 ? "socketfilterfw" : null,
    active: isUnknown(state) ? state : state >= 1,
    ruleCount: unknown("the macOS Application Firewall filters by application, not by rules"),
    defaultInputPolicy: isUnknown(state) ? state : state === 2 ? "block-all-non-essential" : null,
  };
  const facts: HostFacts = {
    os: parseOs(probe, now),
    filevault: isUnknown(fv) ? fv : { status: fv, enabled: fv === "on" },
    appFirewall: { globalState: state, stealthMode: stealth },
    firewall,
    sip: isUnknown(sip) ? { enabled: sip, custom: sip } : sip,
    gatekeeper: { enabled: fromText(probe, "spctl", "spctl --status", parseSpctl) },
    accounts: parseAccounts(probe),
    screensaver: parseScreensaver(probe),
    softwareUpdate: parseSoftwareUpdate(probe),
    sshd: parseSshd(probe),
  };
  return { facts, sources: MACOS_SOURCES };
}
