import { Type, type Static } from "@sinclair/typebox";
import { Bool, isUnknown, Known, Nullable, Num, Str, unknown, type Unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import type { FileBlock } from "../sections.js";
import { fromText, parseScreenLock } from "./parsers.js";
import { parseOpenStepPlist, plistBool, plistInt, type PlistValue } from "./plist.js";

export const Screensaver = Type.Object({
  /**
   * Seconds idle before the screen saver starts. A configuration profile's value wins over the
   * users' own; with no profile, the largest value any user set (the weakest). null: never starts.
   */
  idleTime: Known(Nullable(Num)),
  /** Where idleTime came from: profile (computer or user level), user (ByHost preferences), or default. */
  idleTimeSource: Known(Str),
  /** com.apple.screensaver askForPassword from a configuration profile; null when no profile sets it. */
  askForPassword: Known(Nullable(Bool)),
  /** askForPasswordDelay (seconds) from a configuration profile; null when no profile sets it. */
  askForPasswordDelay: Known(Nullable(Num)),
  /** `sysadminctl -screenLock status`: seconds before a password is required; null when the screen lock is off. */
  screenLockDelay: Known(Nullable(Num)),
  /** A configuration profile manages com.apple.screensaver. */
  managed: Bool,
});

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
export function parseScreensaver(probe: ProbeOutput): Static<typeof Screensaver> {
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

/** The `screensaver` probe section (macOS): screensaver.sh beside this module. */
export const screensaverSection = defineSection({
  key: "screensaver",
  schema: Screensaver,
  source:
    "/Library/Managed Preferences/[user/]com.apple.screensaver (configuration profiles); ~/Library/Preferences/ByHost/com.apple.screensaver.*; sysadminctl -screenLock status",
  script: new URL("./screensaver.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseScreensaver(probe),
  doc: {
    heading: "configuration profiles in `/Library/Managed Preferences`, users' ByHost `com.apple.screensaver.*`, `sysadminctl -screenLock status`",
    body: "`idleTime` (s; profile first, else the largest any user set, else the 1200 s default) and `idleTimeSource`; `askForPassword`, `askForPasswordDelay` (profiles); `screenLockDelay` (s, `null` when off); `managed` (a profile sets it).",
  },
});
