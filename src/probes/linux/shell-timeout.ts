import { Type, type Static } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num, Str, unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

export const ShellTimeout = Type.Object({
  /** Smallest TMOUT assigned in the system-wide shell start-up files, in seconds; null when none. */
  tmout: Known(Nullable(Num)),
  /** TMOUT is made readonly (`readonly`, `declare -r`, `typeset -r`) in one of those files. */
  readonly: Known(Bool),
  /** Files that set TMOUT, with the value each sets (numeric assignments only). */
  settings: Known(Type.Array(Type.Object({ file: Str, value: Num, readonly: Bool }))),
});

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

/** The `shell` probe section: shell-timeout.sh beside this module, parsed by parseShellTimeout. */
export const shellTimeoutSection = defineSection({
  key: "shell",
  schema: ShellTimeout,
  source: "/etc/profile, /etc/profile.d/*.sh, /etc/bash.bashrc, /etc/bashrc (TMOUT)",
  script: new URL("./shell-timeout.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseShellTimeout(probe),
  doc: {
    heading: "`grep TMOUT` in `/etc/profile`, `/etc/profile.d/*.sh`, `/etc/bash.bashrc`, `/etc/bashrc`, `/etc/zsh/zshenv`, `/etc/zshenv`",
    body: [
      "| fact | meaning |",
      "|---|---|",
      "| `tmout` | smallest positive TMOUT assigned, seconds; `null` when none (TMOUT=0 means off) |",
      "| `readonly` | TMOUT is made readonly (`readonly`, `declare -r`, `typeset -r`) somewhere |",
      "| `settings[]` | `{file, value, readonly}` per file that assigns a number |",
      "",
      "Conditions around the assignment are not evaluated. profile.d is read by login shells only.",
    ].join("\n"),
  },
});
