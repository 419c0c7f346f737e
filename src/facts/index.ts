import { Type, type TSchema } from "@sinclair/typebox";
import type { TargetKind } from "../core/model.js";
import { FACTS_FORMAT, FACTS_SCHEMA_VERSION, TARGET_STATUSES } from "../core/model.js";
import { HostFactsSchema } from "./host.js";
import { DirectoryFactsSchema } from "./directory.js";
import { NetworkFactsSchema } from "./network.js";
import { SiteFactsSchema } from "./site.js";
import { ShardTagSchema } from "../shard.js";

/** The facts schema of each target kind: rule fact paths are checked against these at compile time. */
export const FACTS_SCHEMAS: Record<TargetKind, TSchema> = {
  host: HostFactsSchema,
  directory: DirectoryFactsSchema,
  network: NetworkFactsSchema,
};

/** What rules can apply to: the scanned kinds plus the site pseudo-target the pipeline builds from history. */
export const RULE_FACTS_SCHEMAS: Record<TargetKind | "site", TSchema> = { ...FACTS_SCHEMAS, site: SiteFactsSchema };

const TargetRefSchema = Type.Object(
  { kind: Type.Union([Type.Literal("host"), Type.Literal("directory"), Type.Literal("network")]), id: Type.String() },
  { additionalProperties: false },
);

/** One target's facts. A target that yielded none (unreachable…) carries an empty `facts` object. */
const targetFacts = (kind: TargetKind) =>
  Type.Object(
    {
      target: Type.Object({ kind: Type.Literal(kind), id: Type.String() }, { additionalProperties: false }),
      status: Type.Union(TARGET_STATUSES.map((s) => Type.Literal(s))),
      statusReason: Type.Optional(Type.String()),
      collector: Type.String(),
      collectedAt: Type.String({ format: "date-time" }),
      tags: Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()])),
      facts: Type.Union([FACTS_SCHEMAS[kind], Type.Object({}, { additionalProperties: false })]),
      sources: Type.Record(Type.String(), Type.String()),
      notes: Type.Array(Type.String()),
    },
    { additionalProperties: false },
  );

/** JSON Schema of the file `collect` writes and `evaluate` reads (schemas/facts.schema.json). */
export const FactsDocumentSchema = Type.Object(
  {
    format: Type.Literal(FACTS_FORMAT),
    schemaVersion: Type.Literal(FACTS_SCHEMA_VERSION),
    tool: Type.Object({ name: Type.String(), version: Type.String() }, { additionalProperties: false }),
    startedAt: Type.String({ format: "date-time" }),
    finishedAt: Type.String({ format: "date-time" }),
    targets: Type.Array(Type.Union([targetFacts("host"), targetFacts("directory"), targetFacts("network")])),
    shard: Type.Optional(ShardTagSchema),
  },
  {
    additionalProperties: false,
    $id: "https://hipaa-scan.dev/schemas/facts.schema.json",
    title: "hipaa-scan facts document",
  },
);

/** Per-kind target schemas, so a bad facts file is reported against the right kind, not a union. */
export const TARGET_FACTS_SCHEMAS: Record<TargetKind, TSchema> = {
  host: targetFacts("host"),
  directory: targetFacts("directory"),
  network: targetFacts("network"),
};

export { TargetRefSchema };
