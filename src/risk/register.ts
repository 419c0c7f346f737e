import { Type, type Static } from "@sinclair/typebox";
import type { Finding, Severity } from "../core/model.js";
import { holdsEphi, type Asset, type AssetInventory } from "../assets/inventory.js";
import type { RiskParams } from "./params.js";
import { clampLevel, levelName, PRIORITY_BY_LEVEL, riskLevel, type Level } from "./scale.js";

/**
 * The risk register (docs/risk.md): failing findings grouped by cause (one rule = one cause), each
 * group scored for likelihood and impact on the NIST SP 800-30 five-level scale, with every step
 * of the score written down. Pure over the findings, the asset inventory, the rules and the params.
 */

export const EXPOSURES = ["network", "credentials", "local", "physical"] as const;
export type Exposure = (typeof EXPOSURES)[number];

const strict = { additionalProperties: false } as const;
const LevelSchema = Type.Integer({ minimum: 1, maximum: 5 });
const Scored = Type.Object({ level: LevelSchema, label: Type.String(), basis: Type.Array(Type.String()) }, strict);

export const PlanStateSchema = Type.Object(
  {
    owner: Type.String(),
    due: Type.String({ format: "date" }),
    status: Type.Union(["open", "in-progress", "done", "accepted"].map((s) => Type.Literal(s))),
    /** What the scan makes of the plan item: on track, overdue, done but still failing, accepted. */
    state: Type.Union(["on-track", "overdue", "done-but-failing", "accepted", "accepted-review-due"].map((s) => Type.Literal(s))),
    note: Type.String(),
  },
  strict,
);

export const RiskSchema = Type.Object(
  {
    id: Type.String(),
    rank: Type.Integer({ minimum: 1 }),
    title: Type.String(),
    ruleIds: Type.Array(Type.String()),
    severity: Type.String(),
    hipaa: Type.Array(Type.String()),
    /** Asset ids (src/assets/inventory.ts) or target ids the failing findings concern. */
    assets: Type.Array(Type.String()),
    findings: Type.Integer({ minimum: 1 }),
    exposure: Type.Union(EXPOSURES.map((e) => Type.Literal(e))),
    likelihood: Scored,
    impact: Scored,
    level: LevelSchema,
    label: Type.String(),
    /** Plan priority, which sets the default due date (critical 15 d, high 30, medium 90, low 180). */
    priority: Type.Union(["critical", "high", "medium", "low"].map((s) => Type.Literal(s))),
    remediation: Type.String(),
    plan: Type.Optional(PlanStateSchema),
  },
  strict,
);
export type Risk = Static<typeof RiskSchema>;
export type PlanState = Static<typeof PlanStateSchema>;

/** What the register needs to know about a rule. */
export interface RiskRuleInfo {
  kind: "host" | "directory" | "network" | "site";
  exposure?: Exposure;
}

/** Likelihood adjustment by the rule's severity (how easily the weakness is used, once reachable). */
export const SEVERITY_LIKELIHOOD_ADJUST: Record<Severity, number> = { critical: 1, high: 0, medium: 0, low: -1, info: -2 };
/** How a weakness is exploited when the rule does not say (`exposure:`), by the rule's target kind. */
export const DEFAULT_EXPOSURE: Record<RiskRuleInfo["kind"], Exposure> = { network: "network", directory: "credentials", host: "credentials", site: "local" };
/** Impact base by device class, for devices only a network scan saw (and hosts it classed). */
export const CLASS_IMPACT: Record<string, Level> = {
  "ephi-server": 5,
  "medical-modality": 4,
  "network-gear": 4,
  pos: 3,
  workstation: 3,
  printer: 2,
  camera: 2,
  iot: 2,
  guest: 1,
  unknown: 2,
};

const SEVERITY_ORDER: Severity[] = ["critical", "high", "medium", "low", "info"];

export function buildRiskRegister(input: {
  findings: Finding[];
  inventory: AssetInventory;
  rules: Map<string, RiskRuleInfo>;
  params: RiskParams;
}): Risk[] {
  const { params } = input;
  const byRule = new Map<string, Finding[]>();
  for (const f of input.findings) {
    if (f.status !== "fail" || f.alternative) continue;
    const list = byRule.get(f.ruleId) ?? [];
    list.push(f);
    byRule.set(f.ruleId, list);
  }
  const assetsById = new Map(input.inventory.assets.map((a) => [a.id, a]));
  const risks: Omit<Risk, "rank">[] = [];
  for (const [ruleId, findings] of byRule) {
    const first = findings[0]!;
    const info = input.rules.get(ruleId) ?? { kind: first.target.kind === "site" ? "host" : first.target.kind };
    const severity = SEVERITY_ORDER.find((s) => findings.some((f) => f.severity === s)) ?? first.severity;

    // Likelihood: how the weakness is reached, then the rule's severity.
    const exposure = info.exposure ?? DEFAULT_EXPOSURE[info.kind];
    const lBase = params[`risk.likelihood_${exposure}`];
    const lAdj = SEVERITY_LIKELIHOOD_ADJUST[severity];
    const likelihood = clampLevel(lBase + lAdj);
    const lBasis = [
      `${info.exposure ? "rule says" : `rule targets a ${info.kind}, so assumed`} exploitable via ${exposure}: ${levelName(clampLevel(lBase))} (${lBase}; risk.likelihood_${exposure})`,
      `severity ${severity}: ${lAdj >= 0 ? "+" : ""}${lAdj}`,
    ];
    if (lBase + lAdj !== likelihood) lBasis.push(`kept within 1–5`);
    lBasis.push(`= ${levelName(likelihood)} (${likelihood})`);

    // Impact: the worst affected asset, then breadth.
    const affected = affectedAssets(findings, input.inventory, assetsById);
    let worst: { level: number; why: string } = { level: params["risk.impact_unknown"], why: `no asset known: risk.impact_unknown ${params["risk.impact_unknown"]}` };
    for (const a of affected.assets) {
      const s = assetImpact(a, findings, params);
      if (s.level > worst.level) worst = s;
    }
    if (affected.assets.length === 0 && first.target.kind === "network") {
      worst = { level: params["risk.impact_network"], why: `network ${first.target.id}: risk.impact_network ${params["risk.impact_network"]}` };
    }
    const accounts = countAccounts(findings);
    const broad = affected.ids.length >= params["risk.breadth_assets"] || accounts >= params["risk.breadth_accounts"];
    const impact = clampLevel(worst.level + (broad ? 1 : 0));
    const iBasis = [worst.why];
    if (broad) {
      iBasis.push(
        `breadth: ${affected.ids.length} asset(s)${accounts > 0 ? `, ${accounts} account(s)` : ""} (≥ risk.breadth_assets ${params["risk.breadth_assets"]} or risk.breadth_accounts ${params["risk.breadth_accounts"]}): +1`,
      );
    } else {
      iBasis.push(`breadth: ${affected.ids.length} asset(s)${accounts > 0 ? `, ${accounts} account(s)` : ""}: +0`);
    }
    if (worst.level + (broad ? 1 : 0) !== impact) iBasis.push(`kept within 1–5`);
    iBasis.push(`= ${levelName(impact)} (${impact})`);

    const level = riskLevel(likelihood, impact);
    risks.push({
      id: `R-${ruleId}`,
      title: first.title,
      ruleIds: [ruleId],
      severity,
      hipaa: [...new Set(findings.flatMap((f) => f.hipaa))],
      assets: affected.ids,
      findings: findings.length,
      exposure,
      likelihood: { level: likelihood, label: levelName(likelihood), basis: lBasis },
      impact: { level: impact, label: levelName(impact), basis: iBasis },
      level,
      label: levelName(level),
      priority: PRIORITY_BY_LEVEL[level],
      remediation: first.remediation,
    });
  }
  risks.sort(
    (a, b) =>
      b.level - a.level ||
      b.likelihood.level * b.impact.level - a.likelihood.level * a.impact.level ||
      b.impact.level - a.impact.level ||
      b.assets.length - a.assets.length ||
      a.id.localeCompare(b.id),
  );
  return risks.map((r, i) => ({ ...r, rank: i + 1 }));
}

/** The assets a group of findings concerns: the target's asset, or for network findings the devices its evidence names. */
function affectedAssets(findings: Finding[], inv: AssetInventory, byId: Map<string, Asset>): { ids: string[]; assets: Asset[] } {
  // A Set keeps first-seen order; `ids.includes` made a rule failing on 10,000 hosts quadratic (23 s).
  const seen = new Set<string>();
  const add = (id: string) => void seen.add(id);
  for (const f of findings) {
    if (f.target.kind !== "network") {
      add(f.target.id);
      continue;
    }
    const text = JSON.stringify(f.evidence.map((e) => e.observed)) + f.message;
    const named = inv.assets.filter((a) => a.address && a.seenBy.includes(f.target.id) && mentions(text, a.address));
    if (named.length === 0) add(f.target.id);
    for (const a of named) add(a.id);
  }
  const ids = [...seen];
  return { ids, assets: ids.map((id) => byId.get(id)).filter((a): a is Asset => a !== undefined) };
}

/** `text` names `address` as a whole address (10.0.0.1 is not 10.0.0.10). */
function mentions(text: string, address: string): boolean {
  const at = address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^0-9A-Fa-f.:])${at}($|[^0-9A-Fa-f.:]|[.:](?![0-9A-Fa-f]))`).test(text);
}

function assetImpact(a: Asset, findings: Finding[], params: RiskParams): { level: number; why: string } {
  const options: { level: number; why: string }[] = [];
  if (holdsEphi(a)) options.push({ level: params["risk.impact_ephi"], why: `${a.name} holds ePHI (${a.ephi.why.join("; ")}): risk.impact_ephi ${params["risk.impact_ephi"]}` });
  if (a.kind === "directory") {
    options.push({ level: params["risk.impact_directory"], why: `${a.name} is a directory (${a.directory?.accounts ?? 0} accounts): risk.impact_directory ${params["risk.impact_directory"]}` });
    const text = JSON.stringify(findings.map((f) => f.evidence.map((e) => e.observed)));
    const priv = (a.directory?.privilegedMembers ?? []).filter((m) => text.includes(JSON.stringify(m)) || text.includes(`${m}`));
    if (priv.length > 0) {
      options.push({ level: params["risk.impact_privileged"], why: `privileged account(s) affected (${priv.slice(0, 3).join(", ")}${priv.length > 3 ? ", …" : ""}): risk.impact_privileged ${params["risk.impact_privileged"]}` });
    }
  }
  if (a.class) options.push({ level: CLASS_IMPACT[a.class] ?? 2, why: `${a.name} is a ${a.class} device: ${CLASS_IMPACT[a.class] ?? 2} (class table)` });
  if (a.kind === "host") options.push({ level: params["risk.impact_host"], why: `${a.name} is a scanned host: risk.impact_host ${params["risk.impact_host"]}` });
  if (options.length === 0) options.push({ level: params["risk.impact_unknown"], why: `${a.name}: risk.impact_unknown ${params["risk.impact_unknown"]}` });
  return options.reduce((best, o) => (o.level > best.level ? o : best));
}

/** Accounts a finding's evidence lists (collection items such as `accounts.users[name=bob]`). */
function countAccounts(findings: Finding[]): number {
  const names = new Set<string>();
  for (const f of findings) {
    for (const e of f.evidence) {
      if (!/account|user|member/i.test(e.fact)) continue;
      const m = /\[[^=\]]+=([^\]]+)\]/.exec(e.fact);
      if (m) names.add(`${f.target.id}\u0000${m[1]}`);
    }
  }
  return names.size;
}
