import { Type, type Static, type TObject, type TOptional, type TSchema, type TString } from "@sinclair/typebox";
import { SEVERITIES, TARGET_KINDS } from "../core/statuses.js";
import { literals } from "../core/schema-helpers.js";

/**
 * The rule-pack schema: the single source for validation (ajv), the published
 * schemas/rule.schema.json and the field list in docs/rule-authoring.md (checked by a test).
 */

const strict = { additionalProperties: false } as const;

/** A fact path: dot-separated keys, e.g. `sshd.ciphers`, `item.uid`, `item`. */
export const FACT_PATH_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_{}-]+)*$";
export const PathSchema = Type.String({ pattern: FACT_PATH_PATTERN });

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

const opProps = Object.fromEntries(COMPARISON_OPS.map((op) => [op, Type.Optional(OperandSchema)])) as {
  [K in ComparisonOp]: TOptional<typeof OperandSchema>;
};

/**
 * The condition forms, each keyed by its first field: the one definition of what a condition may
 * be. The JSON Schema (ConditionSchema), the `Condition` type and the positioned checks of
 * src/engine/condition-shape.ts (CONDITION_FORMS) are all derived from it.
 */
const conditionForms = <T extends TSchema>(This: T) => ({
  all: Type.Object({ all: Type.Array(This, { minItems: 1 }) }, strict),
  any: Type.Object({ any: Type.Array(This, { minItems: 1 }) }, strict),
  not: Type.Object({ not: This }, strict),
  each: Type.Object({ each: PathSchema, where: Type.Optional(This), require: This, label: Type.Optional(PathSchema) }, strict),
  count: Type.Object({ count: PathSchema, where: Type.Optional(This), ...opProps }, { ...strict, minProperties: 2 }),
  unique: Type.Object({ unique: PathSchema, key: PathSchema, label: Type.Optional(PathSchema) }, strict),
  fact: Type.Object({ fact: PathSchema, ...opProps }, { ...strict, minProperties: 2, maxProperties: 2 }),
  /** The ISO time at PATH falls within `hours` (`07:00-19:00`) on one of `days` (`[Mon, …]`) in `timeZone` (IANA): src/engine/hours.ts. */
  inHours: Type.Object({ inHours: PathSchema, hours: OperandSchema, days: OperandSchema, timeZone: OperandSchema }, strict),
});
export type ConditionForm = Extract<keyof ReturnType<typeof conditionForms<TSchema>>, string>;

export const ConditionSchema = Type.Recursive((This) => Type.Union(Object.values(conditionForms(This))), { $id: "Condition" });

/** Each condition form and the fields it takes, in schema order (e.g. `fact` → fact, eq, ne, …). */
export const CONDITION_FORMS = Object.fromEntries(
  Object.entries(conditionForms(Type.Unknown())).map(([form, schema]) => [form, Object.keys(schema.properties)]),
) as unknown as Record<ConditionForm, readonly string[]>;

export type Operand = Static<typeof OperandSchema>;
/** A condition as written in YAML: `Static<>` of ConditionSchema. */
export type Condition = Static<typeof ConditionSchema>;

/** `check` and `when` point at the one Condition definition carried in the rule schema's $defs. */
const ConditionRef = Type.Unsafe<Condition>({ $ref: "Condition" });

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
const Severity = literals(SEVERITIES);
const Expect = literals(["pass", "fail", "error", "not_applicable"]);

export const REMEDIATION_PLATFORMS = [
  "default", "linux", "debian", "rhel", "macos", "windows", "ad", "openldap", "network",
] as const;
type RemediationPlatform = (typeof REMEDIATION_PLATFORMS)[number];

const RuleTestCaseSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    facts: Type.Record(Type.String(), Type.Unknown()),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    tags: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()]))),
    /** Reference time for age operators; default RULE_TEST_TIME. */
    collectedAt: Type.Optional(Type.String({ format: "date-time" })),
    expect: Expect,
  },
  strict,
);

export const RuleSchema = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$" }),
    title: Type.String({ minLength: 1 }),
    severity: Severity,
    hipaa: Type.Array(Type.String({ pattern: CITATION_PATTERN }), { minItems: 1, uniqueItems: true }),
    description: Type.String({ minLength: 1 }),
    risk: Type.Optional(Type.String()),
    /** How the weakness is exploited, for the risk register's likelihood (docs/risk.md). */
    exposure: Type.Optional(literals(["network", "credentials", "local", "physical"] as const)),
    appliesTo: Type.Object(
      {
        // `site`: rules over the practice as a whole (e.g. the history pseudo-target's review facts).
        kind: literals([...TARGET_KINDS, "site"]),
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
      ) as { default: TString } & { [P in Exclude<RemediationPlatform, "default">]: TOptional<TString> },
      strict,
    ) as TObject<{ default: TString } & { [P in Exclude<RemediationPlatform, "default">]: TOptional<TString> }>,
    references: Type.Optional(Type.Array(Type.String())),
    tests: Type.Array(RuleTestCaseSchema, { minItems: 2 }),
  },
  {
    ...strict,
    $id: "https://hipaa-scan.dev/schemas/rule.schema.json",
    title: "hipaa-scan rule",
    $defs: { Condition: ConditionSchema },
  },
);
/** A rule as written in YAML, after schema validation: `Static<>` of RuleSchema. */
export type RuleDef = Static<typeof RuleSchema>;
export type RuleTestCase = Static<typeof RuleTestCaseSchema>;

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
