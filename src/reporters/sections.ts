import type { Finding, FindingStatus, Report } from "../core/model.js";

/**
 * What the markdown and HTML reports share with the text report: safeguard groups in the order of
 * the regulation (a finding goes under its first citation), status labels, and the gate verdict.
 */
export const SAFEGUARD_GROUPS: readonly { prefix: string; title: string }[] = [
  { prefix: "164.312(a)", title: "Access control — 164.312(a)" },
  { prefix: "164.312(b)", title: "Audit controls — 164.312(b)" },
  { prefix: "164.312(c)", title: "Integrity — 164.312(c)" },
  { prefix: "164.312(d)", title: "Person or entity authentication — 164.312(d)" },
  { prefix: "164.312(e)", title: "Transmission security — 164.312(e)" },
  { prefix: "164.308", title: "Administrative safeguards evidenced by the scan — 164.308" },
  { prefix: "164.310", title: "Physical safeguards — 164.310" },
];

export const STATUS_LABEL: Record<FindingStatus, string> = {
  fail: "FAIL",
  error: "ERROR",
  manual: "MANUAL",
  pass: "PASS",
  not_applicable: "N/A",
};

const STATUS_ORDER: Record<FindingStatus, number> = { fail: 0, error: 1, manual: 2, pass: 3, not_applicable: 4 };

export interface FindingGroup {
  title: string;
  findings: Finding[];
}

/**
 * Non-manual findings by safeguard, each group worst status first (stable otherwise). Findings
 * whose first citation matches no group go last under "Other", so none is dropped silently.
 */
export function groupBySafeguard(findings: readonly Finding[]): FindingGroup[] {
  const scanned = findings.filter((f) => f.status !== "manual");
  const groups: FindingGroup[] = [];
  const placed = new Set<Finding>();
  for (const g of SAFEGUARD_GROUPS) {
    const inGroup = scanned.filter((f) => (f.hipaa[0] ?? "").startsWith(g.prefix));
    inGroup.forEach((f) => placed.add(f));
    if (inGroup.length > 0) groups.push({ title: g.title, findings: sortByStatus(inGroup) });
  }
  const other = scanned.filter((f) => !placed.has(f));
  if (other.length > 0) groups.push({ title: "Other", findings: sortByStatus(other) });
  return groups;
}

function sortByStatus(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => STATUS_ORDER[a.f.status] - STATUS_ORDER[b.f.status] || a.i - b.i)
    .map(({ f }) => f);
}

export type Verdict = "passed" | "failed" | "incomplete";

/** The gate verdict in words, as the text report says it. */
export function gateVerdict(report: Report): { verdict: Verdict; text: string } {
  const gate = report.summary.gate;
  if (gate.exitCode === 0) return { verdict: "passed", text: `Passed the gate (--fail-on ${gate.failOn})` };
  if (report.targets.length === 0) return { verdict: "incomplete", text: "Incomplete: no target was checked, so nothing can pass the gate" };
  if (gate.exitCode === 1) return { verdict: "failed", text: `Failed the gate: ${gate.failed} failing finding(s) at or above ${gate.failOn}` };
  return { verdict: "incomplete", text: `Incomplete: nothing failed at or above ${gate.failOn}, but ${gate.incomplete} target(s) or check(s) could not be completed` };
}
