import { Type, type Static, type TInteger, type TObject, type TSchema } from "@sinclair/typebox";
import { EXIT } from "../core/exit-codes.js";
import { literals } from "../core/schema-helpers.js";
import { FINDING_STATUSES, SEVERITIES, TARGET_KINDS, TARGET_STATUSES } from "../core/statuses.js";
import { NetworkMapSchema } from "../network/map.js";
import { ProvenanceSchema } from "./provenance.js";
import { ActivityReviewSchema } from "./activity.js";
import { DriftSchema, RunInfoSchema } from "../history/report-schema.js";
import { ShardTagSchema } from "../shard.js";
import { AssetInventorySchema } from "../assets/inventory.js";
import { RiskSchema } from "../risk/register.js";
import { PlanSummarySchema } from "../plan/apply.js";
import { NistRefsSchema } from "../engine/nist.js";
import { RegisterChangesSchema } from "../risk/history.js";

/**
 * The report: its TypeBox schema is the one source. The JSON Schema published as
 * schemas/report.schema.json (and checked against every report in the tests) is generated from it,
 * and the TypeScript types (`Report`, `Finding`, … re-exported by src/core/model.ts) are
 * `Static<>` of it, so the two cannot drift.
 */
const strict = { additionalProperties: false } as const;
/** A count per key, typed as a record over the keys. */
const counts = <const K extends readonly string[]>(keys: K) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer({ minimum: 0 })])) as Record<string, TSchema>, strict) as unknown as TObject<
    Record<K[number], TInteger>
  >;

export const TargetRefSchema = Type.Object({ kind: literals([...TARGET_KINDS, "site"]), id: Type.String() }, strict);
const SeveritySchema = literals(SEVERITIES);
/** `--fail-on`: a severity (not `info`, which never fails) or `none`. */
export const FailOnSchema = literals([...SEVERITIES.filter((s): s is Exclude<typeof s, "info"> => s !== "info"), "none"]);

export const EvidenceSchema = Type.Object(
  {
    /** Fact path, relative to the target's facts (or to the collection item, e.g. `accounts.users[name=bob].uid`). */
    fact: Type.String(),
    observed: Type.Unknown(),
    expected: Type.Optional(Type.String()),
    /** Where the value came from (command or file). */
    source: Type.Optional(Type.String()),
  },
  strict,
);

/** A documented alternative measure for an addressable specification (HIPAA 164.306(d)(3)). */
export const AlternativeMeasureSchema = Type.Object(
  { justification: Type.String(), owner: Type.String(), reviewBy: Type.String({ format: "date" }) },
  strict,
);

export const FindingSchema = Type.Object(
  {
    ruleId: Type.String(),
    title: Type.String(),
    severity: SeveritySchema,
    status: literals(FINDING_STATUSES),
    target: TargetRefSchema,
    hipaa: Type.Array(Type.String(), { minItems: 1 }),
    message: Type.String(),
    evidence: Type.Array(EvidenceSchema),
    remediation: Type.String(),
    /** Set when a failing addressable rule is covered by a documented alternative measure. */
    alternative: Type.Optional(AlternativeMeasureSchema),
  },
  strict,
);

export const ReportTargetSchema = Type.Object(
  {
    kind: literals(TARGET_KINDS),
    id: Type.String(),
    status: literals(TARGET_STATUSES),
    statusReason: Type.Optional(Type.String()),
    collector: Type.String(),
    notes: Type.Array(Type.String()),
  },
  strict,
);

export const CatalogEntrySchema = Type.Object(
  {
    citation: Type.String(),
    name: Type.String(),
    status: literals(["required", "addressable", "standard"]),
    rules: Type.Array(Type.String()),
    /**
     * What the scan saw for this specification, worst first. `manual` when no rule covers it;
     * `no_gaps_found` (never a bare pass) when its checks found nothing but a person must still confirm.
     */
    outcome: literals([...FINDING_STATUSES, "not_evaluated", "no_gaps_found"]),
    /** Findings of this spec's checks in this run (not counting not_applicable). */
    checks: Type.Optional(Type.Number()),
    /** What the automated checks can evidence (catalog `evidence`). */
    evidence: Type.Optional(Type.String()),
    /** What a person must still confirm (catalog `manual`), when checks ran. */
    confirm: Type.Optional(Type.String()),
    /** NIST SP 800-66r2 key activities and SP 800-53 Rev. 5 controls (src/engine/nist.ts). */
    nist: Type.Optional(NistRefsSchema),
  },
  strict,
);

export const ReportSummarySchema = Type.Object(
  {
    byStatus: counts(FINDING_STATUSES),
    bySeverity: counts(SEVERITIES),
    targets: counts(TARGET_STATUSES),
    /** The gate: what the exit code will be (src/core/exit-codes.ts). */
    gate: Type.Object(
      {
        failOn: FailOnSchema,
        failed: Type.Integer({ minimum: 0 }),
        incomplete: Type.Integer({ minimum: 0 }),
        exitCode: Type.Union([Type.Literal(EXIT.ok), Type.Literal(EXIT.failed), Type.Literal(EXIT.incomplete)]),
        /** `--fail-on-new`: the gate counted only findings new since the baseline. */
        failOnNew: Type.Optional(Type.Boolean()),
      },
      strict,
    ),
  },
  strict,
);

export const ReportSchema = Type.Object(
  {
    tool: Type.Object({ name: Type.Literal("hipaa-scan"), version: Type.String() }, strict),
    rulePacks: Type.Array(
      Type.Object({ id: Type.String(), version: Type.String(), sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }) }, strict),
    ),
    startedAt: Type.String({ format: "date-time" }),
    finishedAt: Type.String({ format: "date-time" }),
    failOn: FailOnSchema,
    params: Type.Record(Type.String(), Type.Unknown()),
    targets: Type.Array(ReportTargetSchema),
    findings: Type.Array(FindingSchema),
    /** HIPAA catalog: every specification, its status, and how the scan covered it. */
    catalog: Type.Array(CatalogEntrySchema),
    summary: ReportSummarySchema,
    /** Segments → hosts → classes, when the run scanned networks (src/network/map.ts). */
    network: Type.Optional(NetworkMapSchema),
    // Optional report sections go here, one line each: `name: Type.Optional(NameSchema),` with the
    // schema in its own module. `Report` (src/core/model.ts) and schemas/report.schema.json follow.
    /** Who ran the scan and from where (src/report/provenance.ts); set by the CLI. */
    provenance: Type.Optional(ProvenanceSchema),
    /** Login evidence reviewed per host, when a host's probe read it (src/report/activity.ts). */
    activity: Type.Optional(ActivityReviewSchema),
    /** This run's place in the history chain, the last review, SIEM events still queued (src/history/). */
    run: Type.Optional(RunInfoSchema),
    /** What changed since the baseline run (src/history/drift.ts). */
    drift: Type.Optional(DriftSchema),
    /** Set when this report is one shard of a run (`--shard K/N`, src/shard.ts). */
    shard: Type.Optional(ShardTagSchema),
    /** Technology asset inventory and network map (src/assets/inventory.ts). */
    assets: Type.Optional(AssetInventorySchema),
    /** The ranked risk register (src/risk/register.ts, docs/risk.md). */
    risks: Type.Optional(Type.Array(RiskSchema)),
    /** The remediation plan's state against this run (`--plan`, src/plan/apply.ts). */
    plan: Type.Optional(PlanSummarySchema),
    /** How the risk register changed since the baseline run (src/risk/history.ts). */
    riskChanges: Type.Optional(RegisterChangesSchema),
    /** Each reported rule's description, by rule id (the JSON report writes it once, in its `rules` map). */
    ruleDescriptions: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { ...strict, $id: "https://hipaa-scan.dev/schemas/report.schema.json", title: "hipaa-scan report" },
);

export type TargetRef = Static<typeof TargetRefSchema>;
export type FailOn = Static<typeof FailOnSchema>;
export type Evidence = Static<typeof EvidenceSchema>;
export type AlternativeMeasure = Static<typeof AlternativeMeasureSchema>;
export type Finding = Static<typeof FindingSchema>;
export type ReportTarget = Static<typeof ReportTargetSchema>;
export type CatalogEntry = Static<typeof CatalogEntrySchema>;
export type ReportSummary = Static<typeof ReportSummarySchema>;
export type Report = Static<typeof ReportSchema>;
export type RunInfo = Static<typeof RunInfoSchema>;
export type Drift = Static<typeof DriftSchema>;
export type DriftFinding = Drift["findings"]["new"][number];
export type ActivityReview = Static<typeof ActivityReviewSchema>;
