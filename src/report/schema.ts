import { Type, type TSchema } from "@sinclair/typebox";
import { FINDING_STATUSES, SEVERITIES, TARGET_STATUSES } from "../core/model.js";
import { NetworkMapSchema } from "../network/map.js";
import { AssetInventorySchema } from "../assets/inventory.js";
import { RiskSchema } from "../risk/register.js";
import { PlanSummarySchema } from "../plan/apply.js";

/**
 * JSON Schema of the report (`--format json`), published as schemas/report.schema.json and
 * validated against every report in the tests. Mirrors the Report interface in src/core/model.ts.
 */
const strict = { additionalProperties: false } as const;
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const counts = (keys: readonly string[]) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer({ minimum: 0 })])) as Record<string, TSchema>, strict);

const TargetRef = Type.Object(
  { kind: literals(["host", "directory", "network", "site"]), id: Type.String() },
  strict,
);
const Severity = literals(SEVERITIES);
const FailOn = literals([...SEVERITIES.filter((s) => s !== "info"), "none"]);

export const FindingSchema = Type.Object(
  {
    ruleId: Type.String(),
    title: Type.String(),
    severity: Severity,
    status: literals(FINDING_STATUSES),
    target: TargetRef,
    hipaa: Type.Array(Type.String(), { minItems: 1 }),
    message: Type.String(),
    evidence: Type.Array(
      Type.Object(
        {
          fact: Type.String(),
          observed: Type.Unknown(),
          expected: Type.Optional(Type.String()),
          source: Type.Optional(Type.String()),
        },
        strict,
      ),
    ),
    remediation: Type.String(),
    alternative: Type.Optional(
      Type.Object({ justification: Type.String(), owner: Type.String(), reviewBy: Type.String({ format: "date" }) }, strict),
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
    failOn: FailOn,
    params: Type.Record(Type.String(), Type.Unknown()),
    targets: Type.Array(
      Type.Object(
        {
          kind: literals(["host", "directory", "network"]),
          id: Type.String(),
          status: literals(TARGET_STATUSES),
          statusReason: Type.Optional(Type.String()),
          collector: Type.String(),
          notes: Type.Array(Type.String()),
        },
        strict,
      ),
    ),
    findings: Type.Array(FindingSchema),
    catalog: Type.Array(
      Type.Object(
        {
          citation: Type.String(),
          name: Type.String(),
          status: literals(["required", "addressable", "standard"]),
          rules: Type.Array(Type.String()),
          outcome: literals([...FINDING_STATUSES, "not_evaluated"]),
        },
        strict,
      ),
    ),
    summary: Type.Object(
      {
        byStatus: counts(FINDING_STATUSES),
        bySeverity: counts(SEVERITIES),
        targets: counts(TARGET_STATUSES),
        gate: Type.Object(
          {
            failOn: FailOn,
            failed: Type.Integer({ minimum: 0 }),
            incomplete: Type.Integer({ minimum: 0 }),
            exitCode: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(3)]),
          },
          strict,
        ),
      },
      strict,
    ),
    network: Type.Optional(NetworkMapSchema),
    assets: Type.Optional(AssetInventorySchema),
    risks: Type.Optional(Type.Array(RiskSchema)),
    plan: Type.Optional(PlanSummarySchema),
  },
  { ...strict, $id: "https://hipaa-scan.dev/schemas/report.schema.json", title: "hipaa-scan report" },
);
