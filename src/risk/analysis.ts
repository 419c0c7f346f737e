import type { FactsDocument, Finding, Report } from "../core/model.js";
import type { RuleSet } from "../engine/packs.js";
import { buildAssetInventory, wantsInventory } from "../assets/inventory.js";
import { applyPlan, PLAN_CITATION } from "../plan/apply.js";
import type { PlanFile } from "../plan/schema.js";
import { summarize } from "../report/build.js";
import type { RiskParams } from "./params.js";
import { buildRiskRegister, type RiskRuleInfo } from "./register.js";
import { nprmHistoryFindings, type ScanHistoryInput } from "./nprm-history.js";
import { registerChanges, type PreviousRun } from "./history.js";

export interface RiskAnalysisOptions {
  params: RiskParams;
  /** `--param risk.*`/`plan.*` given on the command line, shown in the report's params. */
  givenParams: Record<string, number>;
  plan?: { file: string; data: PlanFile };
  /** Findings from checks outside the rule engine (e.g. the proposed-rule pack's history checks). */
  extraFindings?: Finding[];
  /** Earlier runs of the scope (src/history/risk-history.ts), for the proposed-rule pack's interval checks. */
  history?: ScanHistoryInput;
  /** The baseline run's register, for how the register changed since then. */
  previous?: PreviousRun;
  /** Day (YYYY-MM-DD) against which due dates are judged. */
  today: string;
}

/**
 * Adds the asset inventory, the risk register and (with `--plan`) the plan state to a built
 * report. Overdue plan items become failing findings and the summary and gate are recomputed with
 * the same `summarize` the report builder uses. Pure; `src/pipeline.ts` calls it after buildReport.
 */
export function addRiskAnalysis(report: Report, facts: FactsDocument, ruleSet: RuleSet, opts: RiskAnalysisOptions): Report {
  const inventory = buildAssetInventory(facts.targets);
  const rules = new Map<string, RiskRuleInfo>(
    ruleSet.rules.map((r) => [r.def.id, { kind: r.def.appliesTo.kind, ...(r.def.exposure ? { exposure: r.def.exposure } : {}) }]),
  );
  const nprm = report.rulePacks.some((p) => p.id === "hipaa-nprm-2025")
    ? nprmHistoryFindings(opts.history, {
        finishedAt: report.finishedAt,
        assetInventory: wantsInventory(facts.targets),
        networkScan: facts.targets.some((t) => t.target.kind === "network" && t.status !== "unreachable"),
      })
    : [];
  let findings = [...report.findings, ...(opts.extraFindings ?? []), ...nprm];
  let risks = buildRiskRegister({ findings, inventory, rules, params: opts.params });
  let catalog = report.catalog;
  let plan: Report["plan"];
  if (opts.plan) {
    const applied = applyPlan(risks, opts.plan.data, opts.plan.file, opts.today);
    risks = applied.risks;
    plan = applied.summary;
    // The plan is evidence for risk management: the catalog shows it, and the manual item goes.
    findings = [...findings.filter((f) => f.ruleId !== `manual/${PLAN_CITATION}`), ...applied.findings];
    catalog = catalog.map((c) =>
      c.citation === PLAN_CITATION ? { ...c, rules: [...c.rules, "plan-overdue"], outcome: applied.findings.length > 0 ? "fail" : "pass" } : c,
    );
  }
  const changes = registerChanges(opts.previous, risks);
  const changed = findings.length !== report.findings.length || opts.plan !== undefined;
  return {
    ...report,
    params: { ...report.params, ...opts.givenParams },
    findings,
    catalog,
    ...(changed ? { summary: summarize(findings, report.targets.map((t) => t.status), report.failOn) } : {}),
    ...(wantsInventory(facts.targets) ? { assets: inventory } : {}),
    risks,
    ...(plan ? { plan } : {}),
    ...(changes ? { riskChanges: changes } : {}),
  };
}
