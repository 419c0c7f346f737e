import type { Report } from "../core/model.js";
import { stripControl } from "../core/untrusted-text.js";
import type { Reporter } from "./types.js";

/**
 * Almost every string in a report did not come from this program: target ids, account names,
 * evidence and notes come from facts files and remote hosts, alternative measures and tags from
 * the user's files. Before a human-readable reporter sees the report, every string in it (keys
 * too) loses its terminal escape sequences and control characters, so `cat report.txt` cannot
 * retitle, clear or rewrite a terminal. Machine formats keep the data exactly: JSON output has
 * the characters a terminal acts on (DEL, C1 controls, bidi overrides) written as `\u` escapes,
 * which any JSON reader decodes to the same value.
 */
export function terminalSafeReport(report: Report): Report {
  return clean(report) as Report;
}

/** Control characters out; a CRLF line break stays (a CSV cell may hold one, and it moves no cursor back). */
function cleanText(s: string): string {
  return s.includes("\r\n") ? s.split("\r\n").map(stripControl).join("\r\n") : stripControl(s);
}

function clean(v: unknown): unknown {
  if (typeof v === "string") return cleanText(v);
  if (Array.isArray(v)) return v.map(clean);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[cleanText(k)] = clean(x);
    return out;
  }
  return v;
}

/** A reporter that is handed the cleaned report. */
export function withSafeText(reporter: Reporter): Reporter {
  return (report, options) => reporter(terminalSafeReport(report), options);
}

// C0 controls are already escaped by JSON.stringify; these are the ones it leaves raw.
// eslint-disable-next-line no-control-regex
const RAW_IN_JSON = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A JSON reporter whose output carries no raw character a terminal acts on (lossless). */
export function withEscapedJson(reporter: Reporter): Reporter {
  return (report, options) => reporter(report, options).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The same escaping as {@link withEscapedJson}, on one piece of JSON text (per character, so pieces may be escaped apart). */
export function escapeRawInJson(text: string): string {
  return text.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
