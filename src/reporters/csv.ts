import { stringify } from "csv-stringify/sync";
import type { Reporter } from "./types.js";

export const CSV_COLUMNS = [
  "target_kind",
  "target",
  "rule_id",
  "title",
  "severity",
  "status",
  "hipaa",
  "message",
  "remediation",
  "alternative_owner",
  "alternative_review_by",
] as const;

/**
 * One row per finding for spreadsheets (RFC 4180: CRLF line ends, fields with a comma, quote or
 * line break quoted, quotes doubled). Remote text lands in cells, so csv-stringify's formula guard
 * prefixes a `'` to any cell starting with `=`, `+`, `-`, `@`, tab or CR. A target that could not
 * be checked at all has no findings; it gets one row with status `error` and an empty rule id so
 * the spreadsheet does not silently miss it.
 */
export const csvReporter: Reporter = (report) => {
  const rows: string[][] = report.findings.map((f) => [
    f.target.kind,
    f.target.id,
    f.ruleId,
    f.title,
    f.severity,
    f.status,
    f.hipaa.join(" "),
    f.message,
    f.remediation,
    f.alternative?.owner ?? "",
    f.alternative?.reviewBy ?? "",
  ]);
  const withFindings = new Set(report.findings.map((f) => `${f.target.kind}\u0000${f.target.id}`));
  for (const t of report.targets) {
    if (t.status === "ok" || withFindings.has(`${t.kind}\u0000${t.id}`)) continue;
    rows.push([t.kind, t.id, "", "Target could not be checked", "", "error", "", `${t.status}${t.statusReason ? `: ${t.statusReason}` : ""}`, "", "", ""]);
  }
  const records = rows.map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i] ?? ""])));
  return stringify(records, {
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: "windows",
    quote_record_delimiter: true,
    escape_formulas: true,
  });
};
