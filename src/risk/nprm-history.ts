import type { Finding } from "../core/model.js";

/**
 * The two checks of the proposed-rule pack (90 FR 898; a proposed rule, not final) that need
 * earlier runs: the technology asset inventory and network map reviewed within 12 months, and
 * vulnerability scanning at least every 6 months. Input is the run history (issue 12's store; the
 * lead wires it), here a plain argument; without it both checks end `error` saying so.
 */
export interface ScanHistoryInput {
  /** Earlier runs, any order. */
  runs: { finishedAt: string; assetInventory: boolean; networkScan: boolean }[];
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
  const noHistory = "no scan history was given, so the interval cannot be shown (the history store provides it)";
  const inv: Finding = {
    ...base,
    ruleId: NPRM_INVENTORY_RULE,
    title: "Proposed rule (90 FR 898): technology asset inventory and network map reviewed at least every 12 months",
    hipaa: ["164.308(a)(1)(ii)(A)"],
    status: "error",
    message: "",
    evidence: [],
    remediation: "Scan every system and network at least once a year with an inventory (--inventory), review the asset inventory and network map in the report, and keep the report.",
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
  const lastInv = all.filter((r) => r.assetInventory).map((r) => Date.parse(r.finishedAt)).sort((a, b) => b - a);
  // "Reviewed": an inventory from an earlier run within the window, and one now.
  const earlier = lastInv.filter((t) => t < now);
  const invOk = current.assetInventory && earlier.length > 0 && now - earlier[0]! <= reviewDays * DAY;
  inv.status = invOk ? "pass" : "fail";
  inv.message = invOk
    ? `[proposed rule] an asset inventory was produced now and ${Math.round((now - earlier[0]!) / DAY)} day(s) before.`
    : `[proposed rule] ${current.assetInventory ? "this run has an inventory, but" : "this run has no asset inventory and"} ${earlier.length === 0 ? "no earlier run had one" : `the last earlier one is ${Math.round((now - earlier[0]!) / DAY)} day(s) old`} (limit ${reviewDays}).`;
  inv.evidence = [{ fact: "history.runs[assetInventory].finishedAt", observed: earlier.slice(0, 3).map((t) => new Date(t).toISOString()), expected: `within ${reviewDays} days` }];

  const scans = all.filter((r) => r.networkScan).map((r) => Date.parse(r.finishedAt)).sort((a, b) => a - b);
  const windowStart = now - 365 * DAY;
  const inYear = scans.filter((t) => t >= windowStart && t <= now);
  let worstGap = inYear.length === 0 ? Infinity : Math.max(inYear[0]! - windowStart, now - inYear.at(-1)!);
  for (let i = 1; i < inYear.length; i++) worstGap = Math.max(worstGap, inYear[i]! - inYear[i - 1]!);
  // A history shorter than a year is judged from its first scan, not from a year ago.
  const first = scans[0];
  if (first !== undefined && first > windowStart) {
    worstGap = Math.max(now - inYear.at(-1)!, ...inYear.slice(1).map((t, i) => t - inYear[i]!), 0);
  }
  const gapDays = worstGap === Infinity ? null : Math.round(worstGap / DAY);
  vuln.status = gapDays !== null && gapDays <= scanDays ? "pass" : "fail";
  vuln.message = `[proposed rule] ${inYear.length} network scan(s) in the last 12 months; ${gapDays === null ? "none at all" : `longest gap ${gapDays} day(s)`} (limit ${scanDays}).`;
  vuln.evidence = [{ fact: "history.runs[networkScan].finishedAt", observed: inYear.map((t) => new Date(t).toISOString()), expected: `no gap over ${scanDays} days` }];
  return [inv, vuln];
}
