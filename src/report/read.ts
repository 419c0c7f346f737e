import { readFile } from "node:fs/promises";
import type { ValidateFunction } from "ajv";
import { ReportFileError, errorMessage } from "../core/errors.js";
import type { Report } from "../core/model.js";
import { makeAjv } from "../engine/ajv.js";
import { ReportSchema } from "./schema.js";

/**
 * Reads a JSON report (`--format json`) back into the in-memory Report, for everything that reads
 * reports (`merge`). Corrupt and foreign files are refused with one line.
 */

let validate: ValidateFunction | undefined;

/** Reads and validates a report file. */
export async function readReportFile(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new ReportFileError(`cannot read report ${file}: ${errorMessage(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ReportFileError(`${file} is not valid JSON (${errorMessage(err)}); was it written by "hipaa-scan --format json"?`);
  }
  return reportFromJson(data, file);
}

/** A parsed JSON report → the in-memory Report. `where` names it in errors. */
export function reportFromJson(data: unknown, where: string): Report {
  const head = data as { tool?: { name?: unknown }; findings?: unknown } | null;
  if (head === null || typeof head !== "object" || head.tool?.name !== "hipaa-scan" || !Array.isArray(head.findings)) {
    throw new ReportFileError(`${where} is not a hipaa-scan JSON report`);
  }
  validate ??= makeAjv().compile(ReportSchema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join("; ");
    throw new ReportFileError(`${where} does not match the report schema: ${problems}`);
  }
  return data as Report;
}
