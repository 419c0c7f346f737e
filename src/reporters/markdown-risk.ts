import type { Report } from "../core/model.js";
import { md, mdWithCode } from "./escape.js";
import { riskChangesMarkdown } from "./risk-changes.js";

/** The risk register, the plan state and the asset inventory as Markdown sections (appended by src/reporters/markdown.ts). */
export function markdownRiskSections(report: Report): string[] {
  const out: string[] = [];
  if (report.rulePacks.some((p) => p.id === "hipaa-nprm-2025")) {
    out.push("", "> **Proposed rule.** The hipaa-nprm-2025 pack checks readiness for the HIPAA Security Rule changes HHS proposed on 6 January 2025 (90 FR 898). They are not final and not yet enforceable.");
  }
  if (report.risks) {
    out.push("", "## Risk register", "", "Likelihood × impact on the NIST SP 800-30 Rev. 1 five-level scale (method: docs/risk.md).", "");
    if (report.risks.length === 0) out.push("*No failing findings: no risks to register.*");
    else {
      out.push("| # | Risk | Level | Likelihood | Impact | Assets | HIPAA | Plan |", "|---:|---|---|---|---|---|---|---|");
      for (const r of report.risks) {
        const plan = r.plan ? `${md(r.plan.state)}: ${md(r.plan.owner)}, due ${md(r.plan.due)}` : "";
        out.push(`| ${r.rank} | ${md(r.title)} (${md(r.id)}) | **${md(r.label)}** | ${md(r.likelihood.label)} | ${md(r.impact.label)} | ${r.assets.map(md).join("<br>")} | ${md(r.hipaa.join(", "))} | ${plan} |`);
      }
      out.push("");
      for (const r of report.risks.slice(0, 10)) {
        out.push(`### ${r.rank}. ${md(r.title)} — ${md(r.label)}`, "");
        out.push(`- Likelihood ${md(r.likelihood.label)}: ${r.likelihood.basis.map(md).join("; ")}`);
        out.push(`- Impact ${md(r.impact.label)}: ${r.impact.basis.map(md).join("; ")}`);
        out.push(`- Fix: ${mdWithCode(r.remediation)}`, "");
      }
    }
  }
  out.push(...riskChangesMarkdown(report));
  if (report.plan) {
    const p = report.plan;
    out.push("", "## Remediation plan", "", `Plan ${md(p.file)}: ${p.items} item(s); ${p.overdue.length} overdue; ${p.doneButFailing.length} marked done but still failing; ${p.resolved.length} resolved; ${p.unplanned.length} risk(s) not in the plan.`, "");
    for (const r of p.resolved) out.push(`- Resolved: ${md(r.title)} (${md(r.risk)}, was ${md(r.status)}) — its finding is gone`);
  }
  if (report.assets) {
    out.push("", "## Technology asset inventory", "", "| Asset | Kind | Class | Address | ePHI | Seen by |", "|---|---|---|---|---|---|");
    for (const a of report.assets.assets) {
      const ephi = a.ephi.tagged || a.ephi.inferred ? `yes (${md(a.ephi.why.join("; "))})` : "no";
      out.push(`| ${md(a.name)} | ${md(a.kind)} | ${md(a.class ?? "")} | ${md(a.address ?? "")} | ${ephi} | ${a.seenBy.map(md).join("<br>")} |`);
    }
  }
  return out;
}
