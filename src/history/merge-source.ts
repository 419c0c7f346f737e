import { Type, type Static } from "@sinclair/typebox";
import type { ValidateFunction } from "ajv";
import { UsageError } from "../core/errors.js";
import { makeAjv } from "../engine/ajv.js";
import type { MergeSource, ShardPart } from "../merge.js";
import { AlternativeMeasureSchema, FindingSchema, ReportSchema, ReportTargetSchema } from "../report/schema.js";
import { checkGroupName, ShardTagSchema } from "../shard.js";
import { sha256 } from "./canonical.js";
import { entryHash } from "./chain.js";
import { HistoryError } from "./errors.js";
import { RUN_FORMAT, shardRunIdPrefix } from "./record.js";
import type { ChainRow, HistoryStore } from "./types.js";

/**
 * `merge --history URL --group G`: the history store as a MergeSource. The runs of group G are
 * found by their id (a shard's run id starts with `G+`, src/history/record.ts), so only the
 * chain's listing is read, not every record; each candidate's record is then read, checked
 * against its chain hash, validated, and kept if its `shard` tag names group G.
 *
 * A shard recorded more than once in the group (a retried pod, a re-run CI job) counts once: the
 * newest run of that shard (the later one in the chain) is merged, and `note` says which. A
 * pruned run delivers nothing, so its shard's targets become errors. Nothing is written to the
 * history: the shards' runs are the record of the run.
 */

/** The part of a shard's run record (src/history/record.ts) the merge reads, as its report showed it. */
const ShardRecordSchema = Type.Object({
  format: Type.Literal(RUN_FORMAT),
  id: Type.String(),
  shard: ShardTagSchema,
  startedAt: Type.String({ format: "date-time" }),
  rulePacks: ReportSchema.properties.rulePacks,
  params: Type.Record(Type.String(), Type.Unknown()),
  // The report's target and finding shapes; records add members (assets, firstSeen), so not strict.
  targets: Type.Array(Type.Object(ReportTargetSchema.properties)),
  findings: Type.Array(
    Type.Object({
      ...FindingSchema.properties,
      alternative: Type.Optional(Type.Union([AlternativeMeasureSchema, Type.Literal(true)])),
      firstSeen: Type.Optional(Type.String()),
    }),
  ),
});
type ShardRecord = Static<typeof ShardRecordSchema>;

let validator: ValidateFunction<ShardRecord> | undefined;
const validate = (data: unknown): data is ShardRecord => (validator ??= makeAjv({ allErrors: false }).compile<ShardRecord>(ShardRecordSchema))(data);

export function historySource(store: HistoryStore, group: string, note: (line: string) => void = () => {}): MergeSource {
  checkGroupName(group);
  return {
    async parts() {
      const prefix = shardRunIdPrefix(group);
      const candidates = (await store.list()).filter((m) => m.kind === "run" && m.id.startsWith(prefix));
      const newest = new Map<number, ShardRecord>();
      let pruned = 0;
      for (const meta of candidates) {
        const row = meta.prunedAt === null ? await store.get(meta.id) : undefined;
        if (!row?.record) {
          pruned++;
          continue;
        }
        const record = readShardRecord(row);
        if (record.shard.group !== group) continue;
        const earlier = newest.get(record.shard.index);
        if (earlier) note(`shard ${record.shard.index}/${record.shard.count} of run group ${group} was recorded more than once: merging the newest run, ${record.id} (not ${earlier.id})`);
        newest.set(record.shard.index, record);
      }
      if (newest.size === 0) {
        const why = pruned > 0 ? ` (its ${pruned} run(s) were pruned)` : "";
        throw new UsageError(`no run of group ${group} in the history ${store.location}${why}: record the shards with scan --shard K/N --group ${group} --history …`);
      }
      return [...newest.values()].sort((a, b) => a.shard.index - b.shard.index).map(partOf);
    },
  };
}

/** A shard's stored run, checked against the chain (an edited record is refused) and validated. */
function readShardRecord(row: ChainRow): ShardRecord {
  const text = row.record!;
  if (sha256(text) !== row.recordSha256 || entryHash(row) !== row.hash) {
    throw new HistoryError(`run ${row.id} in the history does not match its chain hash (edited?): run hipaa-scan history verify`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HistoryError(`run ${row.id} in the history is not JSON`);
  }
  if (!validate(data)) {
    const e = validator!.errors?.[0];
    throw new HistoryError(`run ${row.id} in the history is not a shard's run record${e ? ` (${e.instancePath || "/"} ${e.message ?? "is invalid"})` : ""}: was it recorded by an older hipaa-scan?`);
  }
  return data;
}

/** The record as the shard's report had it: targets with collector and notes, findings whole. */
function partOf(r: ShardRecord): ShardPart {
  return {
    kind: "report",
    origin: `history run ${r.id}`,
    report: {
      shard: r.shard,
      rulePacks: r.rulePacks,
      params: r.params,
      startedAt: r.startedAt,
      targets: r.targets.map((t) => ({
        kind: t.kind,
        id: t.id,
        status: t.status,
        ...(t.statusReason !== undefined ? { statusReason: t.statusReason } : {}),
        collector: t.collector,
        notes: t.notes,
      })),
      findings: r.findings.map((f) => ({
        ruleId: f.ruleId,
        title: f.title,
        severity: f.severity,
        status: f.status,
        target: f.target,
        hipaa: f.hipaa,
        message: f.message,
        evidence: f.evidence,
        remediation: f.remediation,
        ...(typeof f.alternative === "object" ? { alternative: f.alternative } : {}),
      })),
    },
  };
}
