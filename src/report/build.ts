import type { FactsDocument, Finding, Report, ReportSummary, Severity } from "../core/model.js";
import { FINDING_STATUSES, SEVERITIES, TARGET_STATUSES } from "../core/model.js";
import { gateExitCode } from "../core/exit-codes.js";
import type { FailOn as ReportFailOn } from "./schema.js";
import { catalogCoverage } from "../engine/catalog.js";
import type { RuleSet } from "../engine/packs.js";
import { buildNetworkMap } from "../network/map.js";
import { buildActivityReview } from "./activity.js";

/** `--fail-on`: a severity other than `info`, or `none` (the report schema's definition). */
export type FailOn = ReportFailOn;

const STATUS_ORDER = Object.fromEntries(FINDING_STATUSES.map((s, i) => [s, i]));
const SEVERITY_ORDER = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/** Builds the report model from facts and findings. Pure, so `scan` and `collect` + `evaluate` agree. */
export function buildReport(input: {
  facts: FactsDocument;
  findings: Finding[];
  ruleSet: RuleSet;
  params: Record<string, unknown>;
  failOn: FailOn;
  tool: Report["tool"];
  finishedAt: string;
}): Report {
  const { facts, ruleSet, failOn } = input;
  const order = new Map(facts.targets.map((t, i) => [t.target.id, i]));
  const findings = [...input.findings].sort(
    (a, b) =>
      (order.get(a.target.id) ?? 0) - (order.get(b.target.id) ?? 0) ||
      STATUS_ORDER[a.status]! - STATUS_ORDER[b.status]! ||
      SEVERITY_ORDER[a.severity]! - SEVERITY_ORDER[b.severity]! ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const { entries, manual } = catalogCoverage(ruleSet.catalog, ruleSet.rules, findings);
  const all = [...findings, ...manual];
  const targets = facts.targets.map((t) => ({
    kind: t.target.kind as "host" | "directory" | "network",
    id: t.target.id,
    status: t.status,
    ...(t.statusReason !== undefined ? { statusReason: t.statusReason } : {}),
    collector: t.collector,
    notes: t.notes,
  }));
  const activity = buildActivityReview(facts.targets);
  return {
    tool: input.tool,
    rulePacks: ruleSet.packs.map((p) => ({ id: p.manifest.id, version: p.manifest.version, sha256: p.sha256 })),
    startedAt: facts.startedAt,
    finishedAt: input.finishedAt,
    failOn,
    params: input.params,
    targets,
    findings: all,
    catalog: entries,
    summary: summarize(all, targets.map((t) => t.status), failOn),
    ...(facts.targets.some((t) => t.target.kind === "network") ? { network: buildNetworkMap(facts.targets) } : {}),
    ...(activity ? { activity } : {}),
    ...(facts.shard ? { shard: facts.shard } : {}),
    ruleDescriptions: ruleDescriptions(ruleSet, all),
  };
}

/** The description of each rule that has a finding, for the JSON report's `rules` map. */
function ruleDescriptions(ruleSet: RuleSet, findings: Finding[]): Record<string, string> {
  const byId = new Map(ruleSet.rules.map((r) => [r.def.id, r.def.description]));
  const out: Record<string, string> = {};
  for (const f of findings) {
    const d = byId.get(f.ruleId);
    if (d !== undefined) out[f.ruleId] = d;
  }
  return out;
}


/** Whether a finding's severity reaches the `--fail-on` bar. */
export function atOrAbove(severity: Severity, failOn: FailOn): boolean {
  return failOn !== "none" && SEVERITY_ORDER[severity]! <= SEVERITY_ORDER[failOn]!;
}

/**
 * The gate. 1: a finding at or above the bar failed (and is not covered by a documented
 * alternative measure). 3: nothing failed over the bar, but a target was not fully checked or a
 * check at or above the bar (any check, with `--fail-on none`) could not be completed, or there
 * was no target at all. 0 otherwise.
 */
export function summarize(findings: Finding[], targetStatuses: Report["targets"][number]["status"][], failOn: FailOn): ReportSummary {
  const byStatus = Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as ReportSummary["byStatus"];
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as ReportSummary["bySeverity"];
  const targets = Object.fromEntries(TARGET_STATUSES.map((s) => [s, 0])) as ReportSummary["targets"];
  let failed = 0;
  let incomplete = 0;
  for (const f of findings) {
    byStatus[f.status]++;
    if (f.status === "fail") bySeverity[f.severity]++;
    if (f.status === "fail" && !f.alternative && atOrAbove(f.severity, failOn)) failed++;
    if (f.status === "error" && (failOn === "none" || atOrAbove(f.severity, failOn))) incomplete++;
  }
  for (const s of targetStatuses) {
    targets[s]++;
    if (s !== "ok") incomplete++;
  }
  // Nothing scanned is never a pass: a report of no targets could not complete anything.
  if (targetStatuses.length === 0) incomplete++;
  return { byStatus, bySeverity, targets, gate: { failOn, failed, incomplete, exitCode: gateExitCode(failed, incomplete) } };
}
