import type { Report } from "../core/model.js";
import type { FormatName } from "./formats.js";
import { batches } from "../core/batches.js";
import { jsonReportChunks } from "./json.js";
import { escapeRawInJson } from "./terminal-safe.js";
import type { ReporterOptions } from "./types.js";

/**
 * A reporter that hands its text over a piece at a time, so a 10,000-host report is written
 * without ever being one string (issue 14). Still pure: it yields text, the CLI writes it. Each
 * one gives exactly the text of the format's reporter in src/reporters/index.ts
 * (test/unit/reporters/streaming.test.ts checks them against each other on the golden report);
 * a format without one here is rendered whole.
 */
export type ChunkedReporter = (report: Report, options: ReporterOptions) => Iterable<string>;

export const chunkedReporters: Partial<Record<FormatName, ChunkedReporter>> = {
  // = jsonReporter under withEscapedJson.
  json: (report) => escaped(jsonReportChunks(report)),
};

/** Pieces of about 64 K characters, each escaped once (the escaping is per character). */
function* escaped(chunks: Iterable<string>): Generator<string> {
  for (const piece of batches(chunks, 1 << 16)) yield escapeRawInJson(piece);
}
