import type { Static } from "@sinclair/typebox";
import type { ShellTimeout } from "../../facts/host-linux.js";
import { unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "./probe-output.js";

export type ShellTimeoutFacts = Static<typeof ShellTimeout>;

interface TmoutLine {
  value: number | null;
  readonly: boolean;
}

/**
 * One line that mentions TMOUT: `TMOUT=900`, `export TMOUT=900`, `readonly TMOUT=900`,
 * `declare -r TMOUT=900`, `typeset -xr TMOUT`, `TMOUT=900; readonly TMOUT; export TMOUT`.
 * Commented-out text is ignored; conditions around the line are not evaluated.
 */
export function parseTmoutLine(line: string): TmoutLine | null {
  const code = line.replace(/(^|\s)#.*$/, "");
  if (!/\bTMOUT\b/.test(code)) return null;
  let value: number | null = null;
  let ro = false;
  for (const stmt of code.split(/;|&&|\|\|/)) {
    const s = stmt.trim().replace(/^(then|do|else)\s+/, "");
    const assign = /(?:^|\s)TMOUT=["']?(\d+)["']?(?:\s|$)/.exec(s);
    if (assign?.[1]) value = Number(assign[1]);
    if (/^readonly\b[^=]*\bTMOUT\b/.test(s) || /^(declare|typeset|local)\s+(-\w*r\w*\s+)+.*\bTMOUT\b/.test(s)) ro = true;
  }
  return { value, readonly: ro };
}

export function parseShellTimeout(probe: ProbeOutput): ShellTimeoutFacts {
  const files = probe.files("tmout", "shell start-up files");
  if (!Array.isArray(files)) return { tmout: files, readonly: files, settings: files };
  const denied = files.filter((f) => f.denied).map((f) => f.path);
  if (denied.length > 0) {
    const u = unknown(`cannot read ${denied.join(", ")}`);
    return { tmout: u, readonly: u, settings: u };
  }
  const settings: { file: string; value: number; readonly: boolean }[] = [];
  let anyReadonly = false;
  for (const f of files) {
    let fileValue: number | null = null;
    let fileReadonly = false;
    for (const line of f.content.split("\n")) {
      const parsed = parseTmoutLine(line);
      if (!parsed) continue;
      if (parsed.value !== null) fileValue = parsed.value;
      if (parsed.readonly) fileReadonly = true;
    }
    if (fileReadonly) anyReadonly = true;
    if (fileValue !== null) settings.push({ file: f.path, value: fileValue, readonly: fileReadonly });
  }
  const values = settings.map((s) => s.value).filter((v) => v > 0);
  return { tmout: values.length > 0 ? Math.min(...values) : null, readonly: anyReadonly, settings };
}
