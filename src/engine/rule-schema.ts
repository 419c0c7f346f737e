import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { SEVERITIES } from "../core/model.js";

/**
 * The rule-pack schema: the single source for validation (ajv), the published
 * schemas/rule.schema.json and the field list in docs/rule-authoring.md (checked by a test).
 */

const strict = { additionalProperties: false } as const;

/** A fact path: dot-separated keys, e.g. `sshd.ciphers`, `item.uid`, `item`. */
export const PathSchema = Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_{}-]+)*$" });

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
export const OperandSchema = Type.Union([
  Scalar,
  Type.Array(Scalar),
  Type.Object({ param: Type.String() }, strict),
]);

/** The closed operator set. Adding one means adding its semantics in operators.ts and tests. */
export const COMPARISON_OPS = [
  "eq", "ne", "lt", "lte", "gt", "gte",
  "in", "notIn",
  "matches", "notMatches",
  "contains", "notContains", "containsAny", "containsNone",
  "exists",
  "olderThanDays", "newerThanDays",
  "bitsAll", "bitsAny",
] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const opProps: Record<string, TSchema> = Object.fromEntries(
  COMPARISON_OPS.map((op) => [op, Type.Optional(OperandSchema)]),
);

export const ConditionSchema = Type.Recursive(
  (This) =>
    Type.Union([
      Type.Object({ all: Type.Array(This, { minItems: 1 }) }, strict),
      Type.Object({ any: Type.Array(This, { minItems: 1 }) }, strict),
      Type.Object({ not: This }, strict),
      Type.Object(
        { each: PathSchema, where: Type.Optional(This), require: This, label: Type.Optional(PathSchema) },
        strict,
      ),
      Type.Object({ count: PathSchema, where: Type.Optional(This), ...opProps }, { ...strict, minProperties: 2 }),
      Type.Object({ unique: PathSchema, key: PathSchema, label: Type.Optional(PathSchema) }, strict),
      Type.Object({ fact: PathSchema, ...opProps }, { ...strict, minProperties: 2, maxProperties: 2 }),
    ]),
  { $id: "Condition" },
);
export type Operand = string | number | boolean | null | (string | number | boolean | null)[] | { param: string };
type Ops = { [K in ComparisonOp]?: Operand };
/** A condition as written in YAML (validated against ConditionSchema). */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { each: string; where?: Condition; require: Condition; label?: string }
  | ({ count: string; where?: Condition } & Ops)
  | { unique: string; key: string; label?: string }
  | ({ fact: string } & Ops);

/** `check` and `when` point at the one Condition definition carried in the rule schema's $defs. */
const ConditionRef = Type.Unsafe<unknown>({ $ref: "Condition" });

export const ParamSchema = Type.Object(
  {
    type: Type.Union([
      Type.Literal("integer"),
      Type.Literal("number"),
      Type.Literal("string"),
      Type.Literal("boolean"),
      Type.Literal("string[]"),
    ]),
    default: Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Array(Type.String())]),
    description: Type.String({ minLength: 1 }),
    minimum: Type.Optional(Type.Number()),
    maximum: Type.Optional(Type.Number()),
  },
  strict,
);
export type ParamDef = Static<typeof ParamSchema>;

export const CITATION_PATTERN = "^164\\.(30[68]|310|312|316)(\\([a-zA-Z0-9]+\\))+$";
const Severity = Type.Union(SEVERITIES.map((s) => Type.Literal(s)));
const Expect = Type.Union(
  ["pass", "fail", "error", "not_applicable"].map((s) => Type.Literal(s)),
);

export const REMEDIATION_PLATFORMS = [
  "default", "linux", "debian", "rhel", "macos", "windows", "ad", "openldap", "network",
] as const;

export const RuleSchema = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$" }),
    title: Type.String({ minLength: 1 }),
    severity: Severity,
    hipaa: Type.Array(Type.String({ pattern: CITATION_PATTERN }), { minItems: 1, uniqueItems: true }),
    description: Type.String({ minLength: 1 }),
    risk: Type.Optional(Type.String()),
    /** How the weakness is exploited, for the risk register's likelihood (docs/risk.md). */
    exposure: Type.Optional(Type.Union(["network", "credentials", "local", "physical"].map((e) => Type.Literal(e)))),
    appliesTo: Type.Object(
      {
        kind: Type.Union([Type.Literal("host"), Type.Literal("directory"), Type.Literal("network")]),
        os: Type.Optional(
          Type.Array(Type.Union([Type.Literal("linux"), Type.Literal("macos"), Type.Literal("windows")]), {
            minItems: 1,
          }),
        ),
        tags: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()]))),
      },
      strict,
    ),
    when: Type.Optional(ConditionRef),
    params: Type.Optional(Type.Record(Type.String({ pattern: "^[a-z][a-z0-9_]*$" }), ParamSchema)),
    check: ConditionRef,
    message: Type.Object(
      { pass: Type.String({ minLength: 1 }), fail: Type.String({ minLength: 1 }), not_applicable: Type.Optional(Type.String()) },
      strict,
    ),
    remediation: Type.Object(
      Object.fromEntries(
        REMEDIATION_PLATFORMS.map((p) => [p, p === "default" ? Type.String({ minLength: 1 }) : Type.Optional(Type.String())]),
      ) as Record<string, TSchema>,
      strict,
    ),
    references: Type.Optional(Type.Array(Type.String())),
    tests: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          facts: Type.Record(Type.String(), Type.Unknown()),
          params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          tags: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()]))),
          collectedAt: Type.Optional(Type.String({ format: "date-time" })),
          expect: Expect,
        },
        strict,
      ),
      { minItems: 2 },
    ),
  },
  {
    ...strict,
    $id: "https://hipaa-scan.dev/schemas/rule.schema.json",
    title: "hipaa-scan rule",
    $defs: { Condition: ConditionSchema },
  },
);
/** A rule as written in YAML, after schema validation. */
export interface RuleDef {
  id: string;
  title: string;
  severity: (typeof SEVERITIES)[number];
  hipaa: string[];
  description: string;
  risk?: string;
  exposure?: "network" | "credentials" | "local" | "physical";
  appliesTo: { kind: "host" | "directory" | "network"; os?: ("linux" | "macos" | "windows")[]; tags?: Record<string, string | boolean> };
  when?: Condition;
  params?: Record<string, ParamDef>;
  check: Condition;
  message: { pass: string; fail: string; not_applicable?: string };
  remediation: { default: string } & Partial<Record<(typeof REMEDIATION_PLATFORMS)[number], string>>;
  references?: string[];
  tests: RuleTestCase[];
}

export interface RuleTestCase {
  name: string;
  facts: Record<string, unknown>;
  params?: Record<string, unknown>;
  tags?: Record<string, string | boolean>;
  /** Reference time for age operators; default RULE_TEST_TIME. */
  collectedAt?: string;
  expect: "pass" | "fail" | "error" | "not_applicable";
}

export const PackManifestSchema = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9][a-z0-9-]*$" }),
    version: Type.String({ minLength: 1 }),
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
  },
  strict,
);
export type PackManifest = Static<typeof PackManifestSchema>;
