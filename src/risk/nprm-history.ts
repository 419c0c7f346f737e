import type { Finding } from "../core/model.js";

/**
 * The two checks of the proposed-rule pack (90 FR 898; a proposed rule, not final) that need
 * earlier runs: the technology asset inventory and network map reviewed within 12 months, and
 * vulnerability scanning at least every 6 months. The history store gives the earlier runs of the
 * same scope (src/history/risk-history.ts); without any, both checks end `error` saying so.
 */
export interface ScanHistoryInput {
  /** Earlier runs of the scope in the window the history was read for, any order. */
  runs: { finishedAt: string; assetInventory: boolean; networkScan: boolean; reviewedAt?: string }[];
  /** When the scope's first recorded run started (it may lie before the window). */
  earliest?: string;
}

export const NPRM_INVENTORY_RULE = "nprm-asset-inventory-review";
export const NPRM_VULN_SCAN_RULE = "nprm-vulnerability-scan-interval";
const DAY = 86_400_000;

export function nprmHistoryFindings(
  history: ScanHistoryInput | undefined,
  current: { finishedAt: string; assetInventory: boolean; networkScan: boolean },
  opts: { reviewDays?: number; scanDays?: number } = {},
): Finding[] {
  const reviewDays = opts.reviewDays ?? 365;
  const scanDays = opts.scanDays ?? 183;
  const base = { severity: "medium" as const, target: { kind: "site" as const, id: "site" } };
  const now = Date.parse(current.finishedAt);
  const noHistory = "the history holds no earlier run of this scope, so the interval cannot be shown yet (keep the history on: it is read from the runs it records)";
  const inv: Finding = {
    ...base,
    ruleId: NPRM_INVENTORY_RULE,
    title: "Proposed rule (90 FR 898): technology asset inventory and network map reviewed at least every 12 months",
    hipaa: ["164.308(a)(1)(ii)(A)"],
    status: "error",
    message: "",
    evidence: [],
    remediation: "Scan every system and network with an inventory (--inventory) at least once a year, have a person review the asset inventory and network map in the report, and record it with `hipaa-scan history review RUN --by NAME`.",
  };
  const vuln: Finding = {
    ...base,
    ruleId: NPRM_VULN_SCAN_RULE,
    title: "Proposed rule (90 FR 898): vulnerability scanning at least every 6 months",
    hipaa: ["164.308(a)(8)"],
    status: "error",
    message: "",
    evidence: [],
    remediation: "Schedule a network scan (--network) of every segment at least every six months, and keep its reports.",
  };
  if (!history) return [{ ...inv, message: `[proposed rule] ${noHistory}.` }, { ...vuln, message: `[proposed rule] ${noHistory}.` }];

  const all = [...history.runs, current].filter((r) => Number.isFinite(Date.parse(r.finishedAt)));
  const days = (t: number) => Math.round((now - t) / DAY);
  const earlier = history.runs.filter((r) => r.assetInventory).map((r) => Date.parse(r.finishedAt)).filter((t) => t < now).sort((a, b) => b - a);
  // "Reviewed": a person recorded a review (`hipaa-scan history review`) of a run that had the inventory.
  const reviews = history.runs.filter((r) => r.assetInventory && r.reviewedAt).map((r) => Date.parse(r.reviewedAt!)).filter((t) => Number.isFinite(t) && t <= now).sort((a, b) => b - a);
  const lastReview = reviews[0];
  const invOk = current.assetInventory && lastReview !== undefined && now - lastReview <= reviewDays * DAY;
  inv.status = invOk ? "pass" : "fail";
  const lastInv = earlier[0] === undefined ? "no earlier run of this scope had one" : `the last earlier one was produced ${days(earlier[0])} day(s) ago`;
  inv.message = invOk
    ? `[proposed rule] this run produced the asset inventory and network map, and a recorded review of an earlier one is ${days(lastReview!)} day(s) old (limit ${reviewDays}).`
    : !current.assetInventory
      ? `[proposed rule] this run has no asset inventory (scan every system of the scope, with --inventory); ${lastInv}.`
      : `[proposed rule] ${lastReview === undefined ? "no review of an asset inventory is recorded in the history" : `the last recorded review of an asset inventory is ${days(lastReview)} day(s) old`} (limit ${reviewDays}); ${lastInv}.`;
  inv.evidence = [
    { fact: "history.runs[assetInventory].reviewedAt", observed: reviews.slice(0, 3).map((t) => new Date(t).toISOString()), expected: `a review within ${reviewDays} days` },
    { fact: "history.runs[assetInventory].finishedAt", observed: earlier.slice(0, 3).map((t) => new Date(t).toISOString()) },
  ];

  const scans = all.filter((r) => r.networkScan).map((r) => Date.parse(r.finishedAt)).sort((a, b) => a - b);
  const windowStart = now - 365 * DAY;
  const inYear = scans.filter((t) => t >= windowStart && t <= now);
  let worstGap = inYear.length === 0 ? Infinity : Math.max(inYear[0]! - windowStart, now - inYear.at(-1)!);
  for (let i = 1; i < inYear.length; i++) worstGap = Math.max(worstGap, inYear[i]! - inYear[i - 1]!);
  // A history shorter than a year is judged from its first scan, not from a year ago.
  const first = [scans[0], history.earliest ? Date.parse(history.earliest) : undefined].filter((t): t is number => t !== undefined && Number.isFinite(t)).sort((a, b) => a - b)[0];
  if (first !== undefined && first > windowStart && inYear.length > 0) {
    worstGap = Math.max(now - inYear.at(-1)!, ...inYear.slice(1).map((t, i) => t - inYear[i]!), 0);
  }
  const gapDays = worstGap === Infinity ? null : Math.round(worstGap / DAY);
  vuln.status = gapDays !== null && gapDays <= scanDays ? "pass" : "fail";
  vuln.message = `[proposed rule] ${inYear.length} network scan(s) in the last 12 months; ${gapDays === null ? "none at all" : `longest gap ${gapDays} day(s)`} (limit ${scanDays}).`;
  vuln.evidence = [{ fact: "history.runs[networkScan].finishedAt", observed: inYear.map((t) => new Date(t).toISOString()), expected: `no gap over ${scanDays} days` }];
  return [inv, vuln];
}
