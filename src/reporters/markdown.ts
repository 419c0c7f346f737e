import { activityLines } from "../report/activity.js";
import type { Finding } from "../core/model.js";
import { formatValue } from "../core/format-value.js";
import { gateVerdict, groupBySafeguard, STATUS_LABEL } from "./sections.js";
import type { Reporter } from "./types.js";
import { md, mdWithCode } from "./escape.js";
import { partialCoverageLines } from "./coverage.js";
import { provenanceLine } from "../report/provenance.js";
import { historyMarkdownLines } from "./drift.js";
import { markdownRiskSections } from "./markdown-risk.js";

/**
 * GitHub-flavoured Markdown for tickets and wikis: summary and targets tables, findings by
 * safeguard (failures and errors in full, passes counted unless --verbose), then the manual items
 * as a task list. Every piece of report text is escaped so remote text cannot add markup.
 */
export const markdownReporter: Reporter = (report, { verbose }) => {
  const out: string[] = [];
  const s = report.summary;
  out.push(`# HIPAA Security Rule technical safeguards — scan report`, "");
  out.push(
    `hipaa-scan ${md(report.tool.version)}, started ${md(report.startedAt)}, finished ${md(report.finishedAt)}; ` +
      `rule packs ${report.rulePacks.map((p) => `${md(p.id)} ${md(p.version)}`).join(", ")}`,
    "",
  );
  if (report.provenance) out.push(md(provenanceLine(report.provenance)), "");
  out.push(`**${md(gateVerdict(report).text)}** — exit code ${s.gate.exitCode}`, "");

  out.push("## Summary", "");
  out.push("| Failed | Could not check | Passed | Not applicable | Manual |", "|---:|---:|---:|---:|---:|");
  out.push(`| ${s.byStatus.fail} | ${s.byStatus.error} | ${s.byStatus.pass} | ${s.byStatus.not_applicable} | ${s.byStatus.manual} |`, "");
  out.push("| Failing by severity | Count |", "|---|---:|");
  for (const [sev, n] of Object.entries(s.bySeverity)) out.push(`| ${sev} | ${n} |`);
  out.push("");

  out.push("## Targets", "");
  out.push("| Kind | Target | Status | Reason | Notes |", "|---|---|---|---|---|");
  for (const t of report.targets) out.push(`| ${md(t.kind)} | ${md(t.id)} | ${md(t.status)} | ${md(t.statusReason ?? "")} | ${t.notes.map(md).join("<br>")} |`);
  if (report.activity) {
    const [, ...rows] = activityLines(report.activity);
    // Rows nest by their indent (two spaces a level): host, its events and series heading, the series' runs.
    out.push("", "## Activity", "", ...rows.map((r) => `${"  ".repeat((r.length - r.trimStart().length) >> 1)}- ${md(r.trim())}`));
  }

  for (const group of groupBySafeguard(report.findings, report.catalog)) {
    out.push("", `## ${md(group.title)}`, "");
    const listed = group.findings.filter((f) => verbose || f.status === "fail" || f.status === "error");
    for (const f of listed) out.push(...findingLines(f, verbose));
    const passed = group.findings.filter((f) => f.status === "pass").length;
    const na = group.findings.filter((f) => f.status === "not_applicable").length;
    if (!verbose && passed + na > 0) out.push("", `*${passed} passed, ${na} not applicable (--verbose lists them).*`);
  }

  const manual = report.findings.filter((f) => f.status === "manual");
  if (manual.length > 0) {
    out.push("", "## Needs a person to verify", "", "No scan can show these; check each and keep the evidence.", "");
    for (const f of manual) out.push(`- [ ] **${md(f.hipaa.join(", "))}** ${md(f.title)} — ${mdWithCode(f.remediation)}`);
  }
  const partial = partialCoverageLines(report);
  if (partial.length > 0) out.push("", "## HIPAA coverage: checked in part", "", ...partial.map((l) => `- [ ] ${md(l)}`));
  out.push(...historyMarkdownLines(report, md));
  out.push(...markdownRiskSections(report));
  return `${out.join("\n")}\n`;
};

function findingLines(f: Finding, verbose: boolean): string[] {
  const alt = f.alternative ? " *(covered by a documented alternative measure)*" : "";
  const lines = [`- **${STATUS_LABEL[f.status]}** ${f.severity} · ${md(f.target.id)} · ${md(f.ruleId)} — ${md(f.message)}${alt}`];
  lines.push(`  - HIPAA ${md(f.hipaa.join(", "))}`);
  if (verbose || f.status === "fail" || f.status === "error") {
    for (const e of f.evidence) {
      const expected = e.expected ? ` (expected ${md(e.expected)})` : "";
      const source = e.source ? ` — from ${md(e.source)}` : "";
      lines.push(`  - Evidence: ${md(e.fact)} = ${md(formatValue(e.observed))}${expected}${source}`);
    }
  }
  if (f.alternative) lines.push(`  - Alternative: ${md(f.alternative.justification)} (owner ${md(f.alternative.owner)}, review by ${md(f.alternative.reviewBy)})`);
  if (f.status === "fail" || f.status === "error") lines.push(`  - Fix: ${mdWithCode(f.remediation)}`);
  return lines;
}

