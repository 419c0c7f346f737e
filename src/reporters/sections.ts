import type { CatalogEntry, Finding, FindingStatus, Report } from "../core/model.js";

/**
 * What the markdown and HTML reports share with the text report: safeguard groups in the order of
 * the regulation (a finding goes under its first citation), status labels, and the gate verdict.
 */
export const SAFEGUARD_PREFIXES: readonly string[] = [
  "164.312(a)",
  "164.312(b)",
  "164.312(c)",
  "164.312(d)",
  "164.312(e)",
  "164.308",
  "164.310",
];

/**
 * Whole sections of the Security Rule, which the catalog lists only by their implementation
 * specifications; the 164.312 groups take their names from the catalog.
 */
const SECTION_TITLES: Readonly<Record<string, string>> = {
  "164.308": "Administrative safeguards evidenced by the scan",
  "164.310": "Physical safeguards",
};

/** "Access control — 164.312(a)": the name of the standard in the report's catalog, then the prefix. */
export function safeguardTitle(prefix: string, catalog: readonly CatalogEntry[]): string {
  const entry = catalog.find((c) => c.citation === prefix || c.citation === `${prefix}(1)`);
  const name = entry?.name.replace(/ \(standard\)$/, "") ?? SECTION_TITLES[prefix];
  return name ? `${name} — ${prefix}` : prefix;
}

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
 * Non-manual findings by safeguard, each group worst status first (stable otherwise), titled from
 * the catalog. Findings whose first citation matches no group go last under "Other", so none is
 * dropped silently.
 */
export function groupBySafeguard(findings: readonly Finding[], catalog: readonly CatalogEntry[]): FindingGroup[] {
  const scanned = findings.filter((f) => f.status !== "manual");
  const groups: FindingGroup[] = [];
  const placed = new Set<Finding>();
  for (const prefix of SAFEGUARD_PREFIXES) {
    const inGroup = scanned.filter((f) => (f.hipaa[0] ?? "").startsWith(prefix));
    inGroup.forEach((f) => placed.add(f));
    if (inGroup.length > 0) groups.push({ title: safeguardTitle(prefix, catalog), findings: sortByStatus(inGroup) });
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
