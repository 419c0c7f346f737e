import { Type, type Static, type TObject, type TOptional, type TString } from "@sinclair/typebox";
import { FINDING_STATUSES, type FindingStatus } from "../core/statuses.js";
import { DriftSchema } from "../history/report-schema.js";
import { FindingSchema, ReportSchema } from "./schema.js";

/**
 * The JSON report as written to a file (`--format json`, schema version 2), published as
 * schemas/report.schema.json. It differs from the in-memory Report (src/report/schema.ts, which is
 * also the version-1 document, published as schemas/report-v1.schema.json) in one way: rule
 * metadata — title, description, severity, HIPAA citations, remediation, and what most of the
 * rule's findings say (message per status, evidence `expected`/`source`) — is written once in
 * `rules`, and findings refer to it by `ruleId`. A finding carries one of those fields only where
 * it differs from its rule's (e.g. a remediation for another platform, a message naming accounts).
 * Drift entries (`drift.findings`) refer to the rule and to this report's finding the same way.
 * src/reporters/json.ts encodes; src/report/read.ts reads both versions back into the in-memory
 * Report, losslessly.
 */

export const REPORT_FORMAT = "hipaa-scan-report";
export const REPORT_SCHEMA_VERSION = 2;

const strict = { additionalProperties: false } as const;
const F = FindingSchema.properties;

/** The message most of a rule's findings of each status have. */
const MessagesSchema = Type.Object(
  Object.fromEntries(FINDING_STATUSES.map((s) => [s, Type.Optional(Type.String())])) as Record<FindingStatus, TOptional<TString>>,
  { ...strict, description: "The message most of this rule's findings of each status have; a finding without `message` has the one for its status" },
) as TObject<Record<FindingStatus, TOptional<TString>>>;

export const RuleMetaSchema = Type.Object(
  {
    title: F.title,
    description: Type.Optional(Type.String()),
    severity: F.severity,
    hipaa: F.hipaa,
    remediation: F.remediation,
    messages: Type.Optional(MessagesSchema),
    expected: Type.Optional(Type.String({ description: "What most of this rule's evidence items expect; an item without `expected` has this one" })),
    source: Type.Optional(Type.String({ description: "Where most of this rule's evidence came from; an item without `source` has this one" })),
  },
  strict,
);

export const EvidenceRefSchema = Type.Object(
  {
    fact: Type.String(),
    observed: Type.Unknown(),
    expected: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "null: none; absent: the rule's `expected`" })),
    source: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "null: none; absent: the rule's `source`" })),
  },
  strict,
);

/** A finding in the file: the rule's fields only where they differ from `rules[ruleId]`. */
export const FindingRefSchema = Type.Object(
  {
    ...F,
    title: Type.Optional(F.title),
    severity: Type.Optional(F.severity),
    hipaa: Type.Optional(F.hipaa),
    message: Type.Optional(F.message),
    remediation: Type.Optional(F.remediation),
    target: Type.Union([Type.String({ description: "the id of a target in `targets`" }), F.target]),
    evidence: Type.Array(EvidenceRefSchema),
  },
  strict,
);

const D = DriftSchema.properties;
const DF = D.findings.properties.new.items.properties;

/**
 * A drift entry in the file: `title`, `severity` and `hipaa` only where they differ from
 * `rules[ruleId]` (or the rule has no finding in this report); `message` only where it differs
 * from this report's finding for the same rule and target (or there is none); a scanned target by
 * its id.
 */
export const DriftFindingRefSchema = Type.Object(
  {
    ...DF,
    title: Type.Optional(DF.title),
    severity: Type.Optional(DF.severity),
    hipaa: Type.Optional(DF.hipaa),
    message: Type.Optional(DF.message),
    target: Type.Union([Type.String({ description: "the id of a target in `targets`" }), DF.target]),
  },
  strict,
);
const driftList = Type.Array(DriftFindingRefSchema);

export const DriftRefSchema = Type.Object(
  { ...D, findings: Type.Object({ new: driftList, resolved: driftList, persisting: driftList }, strict) },
  strict,
);

const { ruleDescriptions: _inMemoryOnly, findings: _expanded, drift: _expandedDrift, ...reportFields } = ReportSchema.properties;

export const ReportDocumentSchema = Type.Object(
  {
    format: Type.Literal(REPORT_FORMAT),
    schemaVersion: Type.Literal(REPORT_SCHEMA_VERSION),
    ...reportFields,
    rules: Type.Record(Type.String(), RuleMetaSchema, { description: "Rule metadata by rule id, once per report" }),
    findings: Type.Array(FindingRefSchema),
    drift: Type.Optional(DriftRefSchema),
  },
  { ...strict, $id: "https://hipaa-scan.dev/schemas/report.schema.json", title: "hipaa-scan report (schema version 2)" },
);

/** A finding's identity within one report: its rule and target. A drift entry's message refers to it. */
export const findingKey = (f: { ruleId: string; target: { kind: string; id: string } }) => `${f.target.kind}\u0000${f.target.id}\u0000${f.ruleId}`;

export type RuleMeta = Static<typeof RuleMetaSchema>;
export type EvidenceRef = Static<typeof EvidenceRefSchema>;
export type FindingRef = Static<typeof FindingRefSchema>;
export type DriftFindingRef = Static<typeof DriftFindingRefSchema>;
export type DriftRef = Static<typeof DriftRefSchema>;
export type ReportDocument = Static<typeof ReportDocumentSchema>;

/** The version-1 document (no `format`, every finding complete) is the in-memory shape. */
export const ReportV1Schema = { ...ReportSchema, $id: "https://hipaa-scan.dev/schemas/report-v1.schema.json", title: "hipaa-scan report (schema version 1)" };
