import { Type } from "@sinclair/typebox";

/**
 * JSON Schema of one SIEM event (schemas/siem-event.schema.json): an OCSF 1.3.0 Compliance Finding
 * (class_uid 2003) with hipaa-scan's own fields under `unmapped.hipaa_scan`. docs/siem.md maps every field.
 */
const strict = { additionalProperties: false } as const;

export const SiemEventSchema = Type.Object(
  {
    class_uid: Type.Literal(2003),
    class_name: Type.Literal("Compliance Finding"),
    category_uid: Type.Literal(2),
    category_name: Type.Literal("Findings"),
    activity_id: Type.Literal(1),
    activity_name: Type.Literal("Create"),
    type_uid: Type.Literal(200301),
    time: Type.Integer({ description: "Epoch milliseconds: when the run finished" }),
    severity_id: Type.Integer({ minimum: 1, maximum: 5 }),
    severity: Type.Union(["Informational", "Low", "Medium", "High", "Critical"].map((s) => Type.Literal(s))),
    status_id: Type.Literal(1),
    status: Type.Literal("New"),
    message: Type.String(),
    metadata: Type.Object(
      {
        version: Type.Literal("1.3.0"),
        uid: Type.String({ pattern: "^[0-9a-f]{32}$" }),
        correlation_uid: Type.String(),
        product: Type.Object({ name: Type.String(), vendor_name: Type.String(), version: Type.String() }, strict),
        log_name: Type.Union([Type.Literal("finding"), Type.Literal("target"), Type.Literal("run")]),
      },
      strict,
    ),
    finding_info: Type.Object(
      { uid: Type.String(), title: Type.String(), desc: Type.Optional(Type.String()), first_seen_time: Type.Optional(Type.Integer()), types: Type.Array(Type.String()) },
      strict,
    ),
    compliance: Type.Object(
      {
        standards: Type.Array(Type.String()),
        requirements: Type.Array(Type.String()),
        control: Type.String(),
        status_id: Type.Union([1, 2, 3, 99].map((n) => Type.Literal(n))),
        status: Type.Union(["Pass", "Warning", "Fail", "Other"].map((s) => Type.Literal(s))),
      },
      strict,
    ),
    resources: Type.Array(Type.Object({ uid: Type.String(), type: Type.String() }, strict)),
    unmapped: Type.Object({ hipaa_scan: Type.Record(Type.String(), Type.Unknown()) }, strict),
  },
  { ...strict, $id: "https://hipaa-scan.dev/schemas/siem-event.schema.json", title: "hipaa-scan SIEM event (OCSF Compliance Finding)" },
);
