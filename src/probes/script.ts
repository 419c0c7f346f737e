import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Builds the POSIX probe: one script, sent on stdin to `sh -s` in a single exec (locally or over
 * SSH). The parts live in src/probes/posix/*.sh so they can be linted and read as shell.
 */

const PARTS = ["common.sh", "linux.sh", "macos.sh"] as const;

/** Section markers look like `@@hs:<32 hex digits>`; the nonce is fresh for every run. */
export const MARK_PATTERN = /^@@hs:[0-9a-f]{32}$/;

let cached: string | undefined;

function partsDir(): string {
  // Running from src/ (tests, tsx) the scripts sit beside this module; from dist/ they may not have
  // been copied, so fall back to the source tree of the package.
  const candidates = [new URL("./posix/", import.meta.url), new URL("../../src/probes/posix/", import.meta.url)];
  for (const dir of candidates) {
    if (existsSync(new URL("common.sh", dir))) return fileURLToPath(dir);
  }
  throw new Error("probe scripts not found (src/probes/posix/*.sh)");
}

/** The probe body without its marker line (common helpers, per-OS sections, dispatch). */
export function probeBody(): string {
  if (cached === undefined) {
    const dir = partsDir();
    cached = PARTS.map((p) => readFileSync(`${dir}/${p}`, "utf8")).join("\n");
  }
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

/** The probe script with a fresh marker nonce (or the given one, for tests). */
export function buildProbeScript(mark: string = newMark()): ProbeScript {
  if (!MARK_PATTERN.test(mark)) throw new Error("invalid probe marker");
  return { script: `HS_MARK='${mark}'\n${probeBody()}\nhs_main\n`, mark };
}
