import { UsageError } from "../core/errors.js";

/**
 * Site-tunable parameters of the risk method (docs/risk.md) and the remediation plan, given like
 * rule params: `--param risk.impact_ephi=5`, `--param plan.due_high_days=21`. Names are checked
 * and values typed here, before anything is scanned; they appear in the report's `params`.
 */
export const RISK_PARAM_DEFAULTS = {
  // Likelihood: base level (1–5) by how a weakness is exploited.
  "risk.likelihood_network": 4,
  "risk.likelihood_credentials": 3,
  "risk.likelihood_local": 2,
  "risk.likelihood_physical": 2,
  // Impact: base level (1–5) by what the asset is.
  "risk.impact_ephi": 5,
  "risk.impact_directory": 4,
  "risk.impact_privileged": 5,
  "risk.impact_host": 3,
  "risk.impact_network": 3,
  "risk.impact_unknown": 2,
  // Breadth: impact +1 when a risk touches at least this many assets, or names this many accounts.
  "risk.breadth_assets": 3,
  "risk.breadth_accounts": 10,
  // Plan: days to fix, by priority.
  "plan.due_critical_days": 15,
  "plan.due_high_days": 30,
  "plan.due_medium_days": 90,
  "plan.due_low_days": 180,
} as const;

export type RiskParamName = keyof typeof RISK_PARAM_DEFAULTS;
export type RiskParams = Record<RiskParamName, number>;

const LEVEL_PARAM = /^risk\.(likelihood|impact)_/;

export const isRiskParam = (name: string) => name.startsWith("risk.") || name.startsWith("plan.");

/** Splits `--param` pairs: risk/plan params typed here, the rest left for the rules. */
export function splitRiskParams(raw: Record<string, string>): { rule: Record<string, string>; risk: RiskParams; given: Record<string, number> } {
  const rule: Record<string, string> = {};
  const given: Record<string, number> = {};
  for (const [name, text] of Object.entries(raw)) {
    if (!isRiskParam(name)) {
      rule[name] = text;
      continue;
    }
    if (!(name in RISK_PARAM_DEFAULTS)) {
      throw new UsageError(`unknown param "${name}"; risk and plan params: ${Object.keys(RISK_PARAM_DEFAULTS).join(", ")}`);
    }
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(n)) throw new UsageError(`--param ${name}: expected a whole number, got "${text}"`);
    if (LEVEL_PARAM.test(name) && (n < 1 || n > 5)) throw new UsageError(`--param ${name}: a level from 1 (very low) to 5 (very high), got ${n}`);
    if (!LEVEL_PARAM.test(name) && n < 1) throw new UsageError(`--param ${name}: must be at least 1, got ${n}`);
    given[name] = n;
  }
  return { rule, risk: { ...RISK_PARAM_DEFAULTS, ...given } as RiskParams, given };
}
