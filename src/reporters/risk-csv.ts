import { stringify } from "csv-stringify/sync";
import type { Reporter } from "./types.js";

/**
 * Two spreadsheet views beside the findings CSV (`--format csv`): the risk register
 * (`--format risks-csv`, one row per ranked risk with how its score was reached) and the asset
 * inventory (`--format assets-csv`, one row per asset). Same RFC 4180 and formula-guard settings
 * as src/reporters/csv.ts.
 */
const CSV_OPTIONS = { header: true, record_delimiter: "windows", quote_record_delimiter: true, escape_formulas: true } as const;

export const RISK_CSV_COLUMNS = [
  "rank", "risk_id", "level", "likelihood", "impact", "priority", "title", "rules", "severity", "hipaa", "assets",
  "exposure", "likelihood_basis", "impact_basis", "plan_owner", "plan_due", "plan_status", "plan_state", "remediation",
] as const;

export const riskCsvReporter: Reporter = (report) => {
  const records = (report.risks ?? []).map((r) => ({
    rank: String(r.rank),
    risk_id: r.id,
    level: r.label,
    likelihood: `${r.likelihood.label} (${r.likelihood.level})`,
    impact: `${r.impact.label} (${r.impact.level})`,
    priority: r.priority,
    title: r.title,
    rules: r.ruleIds.join(" "),
    severity: r.severity,
    hipaa: r.hipaa.join(" "),
    assets: r.assets.join(" "),
    exposure: r.exposure,
    likelihood_basis: r.likelihood.basis.join("; "),
    impact_basis: r.impact.basis.join("; "),
    plan_owner: r.plan?.owner ?? "",
    plan_due: r.plan?.due ?? "",
    plan_status: r.plan?.status ?? "",
    plan_state: r.plan?.state ?? "",
    remediation: r.remediation,
  }));
  return stringify(records, { ...CSV_OPTIONS, columns: [...RISK_CSV_COLUMNS] });
};

export const ASSET_CSV_COLUMNS = [
  "asset_id", "kind", "name", "address", "os", "class", "segment", "ephi_tagged", "ephi_inferred", "ephi_why",
  "open_ports", "class_reasons", "seen_by", "status", "accounts", "enabled_accounts", "computers", "privileged_members",
] as const;

export const assetCsvReporter: Reporter = (report) => {
  const records = (report.assets?.assets ?? []).map((a) => ({
    asset_id: a.id,
    kind: a.kind,
    name: a.name,
    address: a.address ?? "",
    os: a.os ?? "",
    class: a.class ?? "",
    segment: a.segment ?? "",
    ephi_tagged: String(a.ephi.tagged),
    ephi_inferred: String(a.ephi.inferred),
    ephi_why: a.ephi.why.join("; "),
    open_ports: a.openPorts.join(" "),
    class_reasons: a.reasons.join("; "),
    seen_by: a.seenBy.join(" "),
    status: a.status ?? "",
    accounts: a.directory ? String(a.directory.accounts) : "",
    enabled_accounts: a.directory ? String(a.directory.enabledAccounts) : "",
    computers: a.directory ? String(a.directory.computers) : "",
    privileged_members: a.directory ? a.directory.privilegedMembers.join(" ") : "",
  }));
  return stringify(records, { ...CSV_OPTIONS, columns: [...ASSET_CSV_COLUMNS] });
};
