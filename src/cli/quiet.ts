import type { Report } from "../core/model.js";
import { atOrAbove } from "../report/build.js";
import { stripControl } from "../core/untrusted-text.js";

/**
 * What `--quiet --output FILE` prints for cron: nothing when the gate passed, else one line per
 * problem — each failing finding that holds the gate (only new ones with --fail-on-new), each
 * target not fully checked, and SIEM events still queued.
 */
export function quietProblems(report: Report): string[] {
  const gate = report.summary.gate;
  if (gate.exitCode === 0) return [];
  const isNew = gate.failOnNew && report.drift ? new Set(report.drift.findings.new.map((d) => `${d.target.id}|${d.ruleId}`)) : undefined;
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.status !== "fail" || f.alternative || !atOrAbove(f.severity, gate.failOn)) continue;
    if (isNew && !isNew.has(`${f.target.id}|${f.ruleId}`)) continue;
    lines.push(`${isNew ? "NEW " : ""}FAIL ${f.severity} ${f.target.id} ${f.ruleId}: ${f.message}`);
  }
  for (const t of report.targets) if (t.status !== "ok") lines.push(`INCOMPLETE ${t.id}: ${t.status}${t.statusReason ? ` — ${t.statusReason}` : ""}`);
  for (const f of report.findings) {
    if (f.status === "error" && (gate.failOn === "none" || atOrAbove(f.severity, gate.failOn))) lines.push(`ERROR ${f.severity} ${f.target.id} ${f.ruleId}: ${f.message}`);
  }
  if (report.run?.siemPending) lines.push(`SIEM ${report.run.siemPending} event(s) not yet delivered; they go with the next run`);
  return lines.map((l) => stripControl(l));
}
