import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { readFragment } from "./assets.js";
import { LINUX_CONTEXT, LINUX_SECTIONS } from "./linux/sections.js";
import { MACOS_CONTEXT, MACOS_SECTIONS } from "./macos/sections.js";
import type { ProbeSection } from "./section.js";

/**
 * Builds the POSIX probe: one script, sent on stdin to `sh -s` in a single exec (locally or over
 * SSH). It is src/probes/posix/common.sh (shared helpers and hs_main), each platform's context
 * fragment and section fragments (the `.sh` files beside the section modules, in the order of
 * LINUX_SECTIONS / MACOS_SECTIONS), then probe_linux and probe_macos, written here from those lists.
 */

/** Section markers look like `@@hs:<32 hex digits>`; the nonce is fresh for every run. */
export const MARK_PATTERN = /^@@hs:[0-9a-f]{32}$/;

let cached: string | undefined;

/**
 * The shell function a fragment defines: `hs_<directory>_<file name>` with `-` as `_`, e.g.
 * src/probes/linux/time-sync.sh defines `hs_linux_time_sync`.
 */
export function fragmentFunction(script: URL): string {
  const m = /([a-z]+)\/([a-z0-9-]+)\.sh$/.exec(fileURLToPath(script).replace(/\\/g, "/"));
  if (!m) throw new Error(`not a POSIX probe fragment: ${script.href}`);
  return `hs_${m[1]}_${m[2]!.replace(/-/g, "_")}`;
}

function platformPart(platform: "linux" | "macos", context: URL, sections: readonly ProbeSection[], seen: Set<string>): { defs: string[]; body: string } {
  const defs: string[] = [];
  const add = (url: URL) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    defs.push(readFragment(url));
  };
  add(context);
  const fast = [fragmentFunction(context)];
  const slow: string[] = [];
  for (const s of sections) {
    if (!s.script) continue;
    add(s.script);
    (s.slow ? slow : fast).push(fragmentFunction(s.script));
  }
  const fn = (name: string, calls: string[]) => `${name}() {\n${calls.map((c) => `  ${c}\n`).join("") || "  :\n"}}\n`;
  if (slow.length === 0) return { defs, body: fn(`probe_${platform}`, fast) };
  // The slow sections (package-manager queries, ~2 s) write into a pipe that is copied out after
  // the fast sections, so sections never interleave and the whole probe takes about as long as apt.
  const body =
    fn(`hs_${platform}_slow`, slow) +
    fn(`hs_${platform}_fast`, fast) +
    `probe_${platform}() {\n  { hs_${platform}_slow </dev/null; } | {\n    hs_${platform}_fast </dev/null\n    cat\n  }\n}\n`;
  return { defs, body };
}

/** One POSIX platform's part of the probe: its context fragment and its registered sections. */
export interface PosixPlatform {
  context: URL;
  sections: readonly ProbeSection[];
}

/** The probe body for the given platform lists (common helpers, fragments, dispatch). */
export function posixProbeBody(platforms: { linux: PosixPlatform; macos: PosixPlatform }): string {
  const seen = new Set<string>();
  const linux = platformPart("linux", platforms.linux.context, platforms.linux.sections, seen);
  const macos = platformPart("macos", platforms.macos.context, platforms.macos.sections, seen);
  return [readFragment(new URL("./posix/common.sh", import.meta.url)), ...linux.defs, linux.body, ...macos.defs, macos.body].join("\n");
}

/** The probe body without its marker line (common helpers, per-OS sections, dispatch). */
export function probeBody(): string {
  cached ??= posixProbeBody({
    linux: { context: LINUX_CONTEXT, sections: LINUX_SECTIONS },
    macos: { context: MACOS_CONTEXT, sections: MACOS_SECTIONS },
  });
  return cached;
}

export function newMark(): string {
  return `@@hs:${randomBytes(16).toString("hex")}`;
}

export interface ProbeScript {
  /** The whole script for `sh -s`. */
  script: string;
  /** The marker prefix this run's sections carry. */
  mark: string;
}

/** What a run may change in the probe; each value is checked before it reaches the script. */
export interface ProbeSettings {
  /** Days of login evidence the activity section reads (1–3650); 30 when not given. */
  activityDays?: number;
}

/** The probe script with a fresh marker nonce (or the given one, for tests). */
export function buildProbeScript(mark: string = newMark(), settings: ProbeSettings = {}): ProbeScript {
  if (!MARK_PATTERN.test(mark)) throw new Error("invalid probe marker");
  return { script: `HS_MARK='${mark}'\n${activityDaysLine(settings, (d) => `HS_ACT_DAYS='${d}'`)}${probeBody()}\nhs_main\n`, mark };
}

/** `HS_ACT_DAYS='60'\n` (or PowerShell's form) for a valid window other than the default; nothing otherwise. */
export function activityDaysLine(settings: ProbeSettings, line: (days: number) => string): string {
  const d = settings.activityDays;
  if (d === undefined || d === 30) return "";
  if (!Number.isInteger(d) || d < 1 || d > 3650) throw new Error(`activity window must be 1–3650 days, got ${d}`);
  return `${line(d)}\n`;
}
