import type { Finding, FindingStatus, Report } from "../core/model.js";
import { formatValue } from "../core/format-value.js";
import { renderNetworkMapText } from "../network/map.js";
import { activityLines } from "../report/activity.js";
import { STATUS_LABEL as LABEL, gateVerdict, groupBySafeguard } from "./sections.js";
import type { Reporter, TextStyle } from "./types.js";
import { partialCoverageLines } from "./coverage.js";
import { provenanceLine } from "../report/provenance.js";
import { historyTextLines } from "./drift.js";

/** Listed by default; passes and not-applicable rows only with --verbose. */
const SHOWN_BY_DEFAULT = new Set<FindingStatus>(["fail", "error"]);

/** A readable report for a terminal or a text file: targets, then findings by safeguard, worst first. */
export const textReporter: Reporter = (report, { verbose, style }) => {
  const out: string[] = [];
  out.push(style.bold(`hipaa-scan ${report.tool.version} — HIPAA Security Rule technical safeguards`));
  if (report.provenance) out.push(style.dim(provenanceLine(report.provenance)));
  out.push(style.dim(`Started ${report.startedAt}, finished ${report.finishedAt}; rule packs ${report.rulePacks.map((p) => `${p.id} ${p.version}`).join(", ")}`));
  out.push("");
  out.push(style.bold("Targets"));
  for (const t of report.targets) {
    const status = t.status === "ok" ? style.green(t.status) : style.red(t.status);
    out.push(`  ${t.kind.padEnd(9)} ${t.id}  ${status}${t.statusReason ? ` — ${t.statusReason}` : ""}`);
    for (const n of t.notes) out.push(style.yellow(`            note: ${n}`));
  }
  if (report.network) {
    const [title, ...rows] = renderNetworkMapText(report.network);
    out.push("", style.bold(title ?? "Network map"), ...rows.map((r) => `  ${r}`));
  }
  if (report.activity) {
    const [title, ...rows] = activityLines(report.activity);
    out.push("", style.bold(title ?? "Activity"), ...rows.map((r) => `  ${r}`));
  }
  const multiTarget = report.targets.length > 1;
  for (const group of groupBySafeguard(report.findings, report.catalog)) {
    const inGroup = group.findings;
    out.push("");
    out.push(style.bold(group.title));
    const listed = inGroup.filter((f) => verbose || SHOWN_BY_DEFAULT.has(f.status));
    for (const f of listed) out.push(...findingLines(f, style, verbose, multiTarget));
    const hidden = inGroup.length - listed.length;
    if (hidden > 0) {
      const passed = inGroup.filter((f) => f.status === "pass").length;
      const na = inGroup.filter((f) => f.status === "not_applicable").length;
      out.push(style.dim(`  ${passed} passed, ${na} not applicable (--verbose lists them)`));
    }
  }
  const manual = report.findings.filter((f) => f.status === "manual");
  if (manual.length > 0) {
    out.push("");
    out.push(style.bold("Needs a person to verify (no scan can show these)"));
    for (const f of manual) out.push(`  ${style.cyan(LABEL.manual.padEnd(6))} ${f.hipaa[0]} ${f.title}${verbose ? ` — ${f.remediation}` : ""}`);
  }
  const partial = partialCoverageLines(report);
  if (partial.length > 0) out.push("", style.bold("HIPAA coverage: checked in part"), ...partial.map((l) => `  ${l}`));
  out.push(...historyTextLines(report, style));
  out.push("");
  out.push(...summaryLines(report, style));
  return `${out.join("\n")}\n`;
};

function findingLines(f: Finding, style: TextStyle, verbose: boolean, multiTarget: boolean): string[] {
  const colour = f.status === "fail" ? style.red : f.status === "error" ? style.yellow : f.status === "pass" ? style.green : style.dim;
  const where = multiTarget ? `${style.cyan(`[${f.target.id}]`)} ` : "";
  const alt = f.alternative ? style.yellow(" (covered by a documented alternative measure)") : "";
  const lines = [
    `  ${colour(LABEL[f.status].padEnd(6))} ${f.severity.padEnd(8)} ${where}${f.ruleId} — ${f.message}${alt}`,
  ];
  if (verbose || f.status === "fail") lines.push(style.dim(`         HIPAA ${f.hipaa.join(", ")}`));
  if (verbose) {
    for (const e of f.evidence) {
      const expected = e.expected ? ` (expected ${e.expected})` : "";
      const source = e.source ? style.dim(` [${e.source}]`) : "";
      lines.push(`         evidence: ${e.fact} = ${formatValue(e.observed)}${expected}${source}`);
    }
    if (f.alternative) lines.push(`         alternative: ${f.alternative.justification} (owner ${f.alternative.owner}, review by ${f.alternative.reviewBy})`);
  }
  if (f.status === "fail" || (verbose && f.status === "error")) lines.push(`         fix: ${f.remediation}`);
  return lines;
}

function summaryLines(report: Report, style: TextStyle): string[] {
  const s = report.summary;
  const sev = Object.entries(s.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  const gate = s.gate;
  const { verdict: kind, text } = gateVerdict(report);
  const colour = kind === "passed" ? style.green : kind === "failed" ? style.red : style.yellow;
  const verdict = colour(text.toUpperCase().startsWith("PASSED") ? text : text.replace(/^(\w+)/, (w) => w.toUpperCase()));
  return [
    style.bold("Summary"),
    `  findings: ${s.byStatus.fail} failed${sev ? ` (${sev})` : ""}, ${s.byStatus.error} could not be checked, ${s.byStatus.pass} passed, ${s.byStatus.not_applicable} not applicable, ${s.byStatus.manual} manual`,
    `  targets: ${Object.entries(s.targets).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(", ") || "none"}`,
    `  ${verdict} — exit code ${gate.exitCode}`,
  ];
}
