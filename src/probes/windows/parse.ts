import { safeText } from "../../core/untrusted-text.js";
import { unknown, type Unknown } from "../../facts/unknown.js";
import { ProbeOutputError, rec, type Rec } from "./normalise.js";
import { WINDOWS_PROBE_MARKER } from "./script.js";
import { WINDOWS_SECTIONS } from "./sections.js";

export * from "./normalise.js";

/**
 * Turns the Windows probe's JSON into host facts, one registered section (src/probes/windows/
 * sections.ts) at a time; a section the probe could not read becomes `unknown` with the probe's
 * (cleaned) error.
 */
export interface WindowsProbeResult {
  facts: Rec;
  sources: Record<string, string>;
  /** Sections that came back as errors (the target is then `partial`). */
  failed: string[];
}

/** Parses the probe's stdout into facts, sources and the list of failed sections. */
export function parseWindowsProbe(stdout: string, now: Date): WindowsProbeResult {
  const text = stdout.replace(/^\uFEFF/, "").trim();
  // Anything a shell prints around the document (a banner, a prompt) is ignored.
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  let doc: Rec;
  try {
    doc = rec(JSON.parse(start >= 0 && end > start ? text.slice(start, end + 1) : text));
  } catch {
    throw new ProbeOutputError(`probe output is not JSON: ${safeText(text.slice(0, 200), 200)}`);
  }
  if (doc.probe !== WINDOWS_PROBE_MARKER) throw new ProbeOutputError("probe output does not come from the hipaa-scan Windows probe");
  const sections = rec(doc.sections);
  const failed: string[] = [];
  const facts: Rec = {};
  const sources: Record<string, string> = {};

  const read = (name: string): Rec | Unknown => {
    const s = rec(sections[name]);
    if (s.ok === true) return rec(s.data);
    failed.push(name);
    return unknown(s.ok === false ? `probe section ${name} failed: ${safeText(String(s.error ?? "no message"), 500)}` : `probe section ${name} missing`);
  };

  for (const section of WINDOWS_SECTIONS) {
    const needs: readonly string[] = ("needs" in section ? section.needs : undefined) ?? [];
    const extra = Object.fromEntries(needs.map((n) => [n, read(n)]));
    const d = read(section.psSection);
    try {
      facts[section.key] = "unknown" in d && d.unknown === true ? d : section.parse({ data: d as Rec, extra }, now);
    } catch (err) {
      failed.push(section.psSection);
      facts[section.key] = unknown(`could not parse ${section.psSection}: ${safeText((err as Error).message, 300)}`);
    }
    sources[section.key] = section.source;
  }
  return { facts, sources, failed: [...new Set(failed)] };
}
