import { Type } from "@sinclair/typebox";
import type { CatalogEntry, Finding, FindingStatus } from "../core/model.js";
import { FINDING_STATUSES } from "../core/model.js";
import type { CompiledRule } from "./rule.js";
import { CITATION_PATTERN } from "./rule-schema.js";
import type { NistRefs } from "./nist.js";

/**
 * The HIPAA catalog: every implementation specification with its Required/Addressable status.
 * Which rules cover a spec is derived from the rules' own citations, so it cannot drift.
 */
export const CatalogSpecSchema = Type.Object(
  {
    citation: Type.String({ pattern: CITATION_PATTERN }),
    name: Type.String({ minLength: 1 }),
    /** `standard`: a heading whose implementation specifications are listed separately. */
    status: Type.Union([Type.Literal("required"), Type.Literal("addressable"), Type.Literal("standard")]),
    /** What a person must check when no scan can show it. */
    manual: Type.String({ minLength: 1 }),
    /** What the automated checks can evidence for this spec (the rest is `manual`). */
    evidence: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export const CatalogSchema = Type.Object(
  { specs: Type.Array(CatalogSpecSchema, { minItems: 1 }) },
  { additionalProperties: false },
);
export interface CatalogSpec {
  citation: string;
  name: string;
  status: "required" | "addressable" | "standard";
  manual: string;
  evidence?: string;
  /** NIST SP 800-66r2 key activities and SP 800-53 controls (rules/hipaa/nist-800-66r2.yaml). */
  nist?: NistRefs;
}
export interface Catalog {
  specs: CatalogSpec[];
}

const WORST_FIRST: FindingStatus[] = [...FINDING_STATUSES];

/**
 * Coverage of every spec in this run, and a `manual` finding for each spec no evaluated rule
 * touched: it needs a person (a documented procedure, a policy), so the report still lists it.
 */
export function catalogCoverage(catalog: Catalog, rules: CompiledRule[], findings: Finding[]) {
  const entries: CatalogEntry[] = [];
  const manual: Finding[] = [];
  for (const spec of catalog.specs) {
    const ruleIds = rules.filter((r) => r.def.hipaa.includes(spec.citation)).map((r) => r.def.id);
    const seen = findings.filter((f) => f.hipaa.includes(spec.citation) && f.status !== "not_applicable");
    const worst = WORST_FIRST.find((s) => seen.some((f) => f.status === s)) ?? (spec.status === "standard" ? "not_evaluated" : "manual");
    // Every spec has a part only a person can confirm: checks that found nothing are never a bare pass.
    const outcome = worst === "pass" ? "no_gaps_found" : worst;
    const checks = seen.filter((f) => f.status !== "manual").length;
    entries.push({
      citation: spec.citation, name: spec.name, status: spec.status, rules: ruleIds, outcome,
      ...(checks > 0 ? { checks, confirm: spec.manual } : {}),
      ...(spec.evidence ? { evidence: spec.evidence } : {}),
      ...(spec.nist ? { nist: spec.nist } : {}),
    });
    if (outcome === "manual") {
      manual.push({
        ruleId: `manual/${spec.citation}`,
        title: spec.name,
        severity: "info",
        status: "manual",
        target: { kind: "site", id: "site" },
        hipaa: [spec.citation],
        message:
          ruleIds.length === 0
            ? `No automated check exists for this ${spec.status} specification: verify it by hand.`
            : `No scanned target was covered by its checks (${ruleIds.join(", ")}): verify it by hand or scan the systems it concerns.`,
        evidence: [],
        remediation: spec.manual,
      });
    }
  }
  return { entries, manual };
}
