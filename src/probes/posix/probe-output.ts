import type { FileBlock, Section, SplitOutput } from "../sections.js";
import { unknown, type Unknown } from "../../facts/unknown.js";

/**
 * Read access to the sections of one probe run, with the reasons a parser gives when a section is
 * unusable: not installed, needs root, cut off, failed.
 */
export class ProbeOutput {
  constructor(
    readonly split: SplitOutput,
    /** The uid the probe ran as, or null when unknown. */
    readonly uid: number | null,
  ) {}

  get isRoot(): boolean {
    return this.uid === 0;
  }

  section(name: string): Section | undefined {
    return this.split.sections.get(name);
  }

  /** Why a section cannot be used, or null when its command ran and exited 0. */
  problem(name: string, what: string = name): Unknown | null {
    const s = this.section(name);
    if (!s) return unknown(`${what}: section missing from probe output (truncated?)`);
    if (!s.complete) return unknown(`${what}: output cut off before the section ended (truncated?)`);
    if (s.missing) return unknown(`${s.missing} not installed`);
    if (s.skipped === "needs-root") return unknown(`needs root: ${what}`);
    if (s.skipped) return unknown(`${what}: skipped (${s.skipped})`);
    if (s.rc !== 0) return unknown(`${what} failed (exit ${s.rc})${firstLine(s.stderr)}`);
    return null;
  }

  /** The section's stdout when it ran and exited 0 (or `okCodes`), else the reason it cannot be used. */
  text(name: string, what: string = name, okCodes: number[] = [0]): string | Unknown {
    const s = this.section(name);
    if (s && s.complete && !s.missing && !s.skipped && s.rc !== null && okCodes.includes(s.rc)) return s.stdout;
    const p = this.problem(name, what);
    if (p && s && s.rc !== null && s.rc !== 0 && isPermissionError(s.stderr)) {
      return unknown(`needs root: ${what}${firstLine(s.stderr)}`);
    }
    return p ?? unknown(`${what}: unusable output`);
  }

  /** The file blocks of a files section, or the reason it cannot be used. */
  files(name: string, what: string = name): FileBlock[] | Unknown {
    const s = this.section(name);
    if (s && s.complete && !s.skipped) return s.files;
    return this.problem(name, what) ?? unknown(`${what}: unusable output`);
  }

  /** Names of running processes (from /proc/*\/comm), or null when unreadable. */
  processes(): Set<string> | null {
    const t = this.text("procs");
    if (typeof t !== "string") return null;
    return new Set(t.split("\n").map((l) => l.trim()).filter(Boolean));
  }

  /** `systemctl is-active` state per unit, or null when systemd is not usable (e.g. not PID 1). */
  units(section: "units" | "units-enabled" = "units"): Map<string, string> | null {
    const s = this.section(section);
    if (!s || !s.complete || s.missing || s.skipped) return null;
    const lines = s.stdout.split("\n");
    const header = lines[0] ?? "";
    if (!header.startsWith("units: ")) return null;
    const names = header.slice(7).trim().split(/\s+/);
    const states = lines.slice(1).map((l) => l.trim()).filter(Boolean);
    if (states.length !== names.length) return null;
    const out = new Map<string, string>();
    names.forEach((n, i) => out.set(n, states[i] ?? ""));
    return out;
  }

  /** Installed programs: name → path (from `command -v`). */
  presence(): Map<string, string> | null {
    const t = this.text("presence");
    if (typeof t !== "string") return null;
    return keyValues(t);
  }

  has(program: string): boolean | null {
    const p = this.presence();
    return p ? p.has(program) : null;
  }
}

/** `key=value` lines into a map (first occurrence wins). */
export function keyValues(text: string, sep = "="): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf(sep);
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    if (!out.has(k)) out.set(k, line.slice(i + sep.length).trim());
  }
  return out;
}

function firstLine(stderr: string): string {
  const l = stderr.split("\n").find((x) => x.trim() !== "");
  return l ? `: ${l.trim().slice(0, 200)}` : "";
}

export function isPermissionError(stderr: string): boolean {
  return /permission denied|operation not permitted|must be root|are you root|requires? root|not permitted|you need to be root/i.test(
    stderr,
  );
}

/** The uid the probe ran as (ident section), or null. */
export function probeUid(split: SplitOutput): number | null {
  const ident = split.sections.get("ident");
  if (!ident?.complete) return null;
  const uid = keyValues(ident.stdout).get("uid");
  return uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : null;
}
