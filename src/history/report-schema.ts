import { Type } from "@sinclair/typebox";
import { SEVERITIES } from "../core/statuses.js";

/** JSON Schema of the report's `run` and `drift` objects (src/report/schema.ts includes them). */
const strict = { additionalProperties: false } as const;
const Hash = Type.String({ pattern: "^[0-9a-f]{64}$" });
const When = Type.String({ format: "date-time" });
const TargetRef = Type.Object({ kind: Type.Union(["host", "directory", "network", "site"].map((k) => Type.Literal(k))), id: Type.String() }, strict);

export const RunInfoSchema = Type.Object(
  {
    id: Type.String(),
    hash: Hash,
    previousHash: Hash,
    lastReview: Type.Optional(Type.Object({ runId: Type.String(), by: Type.String(), at: When, note: Type.Optional(Type.String()) }, strict)),
    siemPending: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  strict,
);

const DriftFindingSchema = Type.Object(
  {
    ruleId: Type.String(),
    title: Type.String(),
    severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
    target: TargetRef,
    hipaa: Type.Array(Type.String()),
    message: Type.String(),
    firstSeen: When,
    daysOpen: Type.Integer({ minimum: 0 }),
    changes: Type.Optional(Type.Array(Type.Object({ fact: Type.String(), before: Type.Unknown(), after: Type.Unknown() }, strict))),
  },
  strict,
);

export const DriftSchema = Type.Object(
  {
    baseline: Type.Object({ runId: Type.String(), startedAt: When, source: Type.Union([Type.Literal("history"), Type.Literal("file")]) }, strict),
    findings: Type.Object({ new: Type.Array(DriftFindingSchema), resolved: Type.Array(DriftFindingSchema), persisting: Type.Array(DriftFindingSchema) }, strict),
    targets: Type.Object({ appeared: Type.Array(Type.String()), disappeared: Type.Array(Type.String()) }, strict),
    assets: Type.Array(
      Type.Object(
        {
          target: Type.String(),
          kind: Type.Union(["accounts", "privileged", "hosts", "ports"].map((k) => Type.Literal(k))),
          added: Type.Array(Type.String()),
          removed: Type.Array(Type.String()),
        },
        strict,
      ),
    ),
    trend: Type.Optional(
      Type.Object(
        {
          runs: Type.Array(Type.Object({ id: Type.String(), startedAt: When }, strict)),
          safeguards: Type.Array(Type.Object({ safeguard: Type.String(), failing: Type.Array(Type.Integer({ minimum: 0 })) }, strict)),
        },
        strict,
      ),
    ),
  },
  strict,
);
