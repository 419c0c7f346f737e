import { readFile } from "node:fs/promises";
import type { ValidateFunction } from "ajv";
import { ReportFileError, errorMessage } from "../core/errors.js";
import type { Drift, DriftFinding, Evidence, Finding, Report, TargetRef } from "../core/model.js";
import { makeAjv } from "../engine/ajv.js";
import { REPORT_FORMAT, REPORT_SCHEMA_VERSION, ReportDocumentSchema, findingKey, type DriftFindingRef, type ReportDocument } from "./document-schema.js";
import { ReportSchema } from "./schema.js";

/**
 * Reads a JSON report back into the in-memory Report, whichever published version wrote it, for
 * everything that reads reports (`merge`, `--baseline FILE`, `plan init`, the tests and benches):
 *   version 2 (`"format": "hipaa-scan-report", "schemaVersion": 2`): rule metadata in `rules`,
 *     findings refer to it (src/report/document-schema.ts); expanded here;
 *   version 1 (no `format`): every finding complete, the in-memory shape itself.
 * Corrupt, foreign and unknown-version files are refused with one line.
 */

const READS = [1, REPORT_SCHEMA_VERSION];
let validators: { v1: ValidateFunction; v2: ValidateFunction } | undefined;

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

/** A parsed JSON report document (either version) → the in-memory Report. `where` names it in errors. */
export function reportFromJson(data: unknown, where: string): Report {
  const head = data as { format?: unknown; schemaVersion?: unknown; tool?: { name?: unknown }; findings?: unknown } | null;
  if (head === null || typeof head !== "object" || head.tool?.name !== "hipaa-scan" || !Array.isArray(head.findings)) {
    throw new ReportFileError(`${where} is not a hipaa-scan JSON report`);
  }
  // Two schemas share the published $id; each gets its own ajv so neither shadows the other.
  validators ??= { v1: makeAjv().compile(ReportSchema), v2: makeAjv().compile(ReportDocumentSchema) };
  if (head.format === undefined) {
    check(validators.v1, data, where, 1);
    return data as Report;
  }
  if (head.format !== REPORT_FORMAT) throw new ReportFileError(`${where} is not a hipaa-scan JSON report (format ${JSON.stringify(head.format)})`);
  if (head.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new ReportFileError(`${where} has report schema version ${JSON.stringify(head.schemaVersion)}; this hipaa-scan reads versions ${READS.join(" and ")}`);
  }
  check(validators.v2, data, where, REPORT_SCHEMA_VERSION);
  return fromReportDocument(data as ReportDocument, where);
}

function check(validate: ValidateFunction, data: unknown, where: string, version: number) {
  if (validate(data)) return;
  const problems = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join("; ");
  throw new ReportFileError(`${where} does not match the report schema (version ${version}): ${problems}`);
}

/** Version 2 → the in-memory Report: each finding completed from its rule, in the Finding field order. */
export function fromReportDocument(doc: ReportDocument, where = "report"): Report {
  const kinds = new Map(doc.targets.map((t) => [t.id, t.kind]));
  const targetOf = (target: string | TargetRef, at: string): TargetRef => {
    if (typeof target !== "string") return target;
    const kind = kinds.get(target);
    if (!kind) throw new ReportFileError(`${where}: ${at} names target ${target}, which is not in "targets"`);
    return { kind, id: target };
  };
  const findings = doc.findings.map((f, i): Finding => {
    const rule = doc.rules[f.ruleId];
    if (!rule) throw new ReportFileError(`${where}: /findings/${i} refers to rule ${f.ruleId}, which is not in "rules"`);
    const target = targetOf(f.target, `/findings/${i}`);
    const message = f.message ?? rule.messages?.[f.status];
    if (message === undefined) throw new ReportFileError(`${where}: /findings/${i} has no message, and rule ${f.ruleId} has none for status ${f.status}`);
    const out: Finding = {
      ruleId: f.ruleId,
      title: f.title ?? rule.title,
      severity: f.severity ?? rule.severity,
      status: f.status,
      target,
      hipaa: f.hipaa ?? rule.hipaa,
      message,
      evidence: f.evidence.map((e) => {
        const out: Evidence = { fact: e.fact, observed: e.observed };
        const expected = e.expected === undefined ? rule.expected : (e.expected ?? undefined);
        if (expected !== undefined) out.expected = expected;
        const source = e.source === undefined ? rule.source : (e.source ?? undefined);
        if (source !== undefined) out.source = source;
        return out;
      }),
      remediation: f.remediation ?? rule.remediation,
    };
    if (f.alternative) out.alternative = f.alternative;
    return out;
  });
  const ruleDescriptions: Record<string, string> = {};
  for (const [id, r] of Object.entries(doc.rules)) if (r.description !== undefined) ruleDescriptions[id] = r.description;
  const report: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === "format" || key === "schemaVersion" || key === "rules") continue;
    report[key] = key === "findings" ? findings : key === "drift" && doc.drift ? fromDriftRef(doc, findings, targetOf, where) : value;
  }
  report.ruleDescriptions = ruleDescriptions;
  return report as unknown as Report;
}

/** The drift section's entries completed from their rule and from this report's finding for the same rule and target. */
function fromDriftRef(doc: ReportDocument, findings: Finding[], targetOf: (t: string | TargetRef, at: string) => TargetRef, where: string): Drift {
  const drift = doc.drift!;
  const messages = new Map(findings.map((f) => [findingKey(f), f.message]));
  const entry = (list: keyof Drift["findings"]) => (d: DriftFindingRef, i: number): DriftFinding => {
    const at = `/drift/findings/${list}/${i}`;
    const rule = doc.rules[d.ruleId];
    const target = targetOf(d.target as string | TargetRef, at);
    const from = <T>(own: T | undefined, field: string, ruled: T | undefined): T => {
      const v = own ?? ruled;
      if (v === undefined) throw new ReportFileError(`${where}: ${at} has no ${field}, and ${rule ? `rule ${d.ruleId} has none` : `rule ${d.ruleId} is not in "rules"`}`);
      return v;
    };
    const message = d.message ?? messages.get(findingKey({ ruleId: d.ruleId, target }));
    if (message === undefined) throw new ReportFileError(`${where}: ${at} has no message, and no finding of rule ${d.ruleId} on ${target.id} has one`);
    const out: DriftFinding = {
      ruleId: d.ruleId,
      title: from(d.title, "title", rule?.title),
      severity: from(d.severity, "severity", rule?.severity),
      target,
      hipaa: from(d.hipaa, "hipaa", rule?.hipaa),
      message,
      firstSeen: d.firstSeen,
      daysOpen: d.daysOpen,
    };
    if (d.changes) out.changes = d.changes;
    return out;
  };
  const f = drift.findings;
  return { ...drift, findings: { new: f.new.map(entry("new")), resolved: f.resolved.map(entry("resolved")), persisting: f.persisting.map(entry("persisting")) } };
}
