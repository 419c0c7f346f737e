import { createHash } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { UsageError } from "./core/errors.js";
import type { ShardTag, TargetKind, TargetRef } from "./core/model.js";

/**
 * `--shard K/N`: one of N processes scans its part of the resolved targets. The split is
 * rendezvous (highest-random-weight) hashing over each target id, so it is the same on every
 * machine, a host added or removed moves no other host, and going from N to N+1 shards moves
 * about 1/(N+1) of the targets. Every shard records the whole target list (ids and kinds) and
 * its hash, so `merge` knows what a missing shard should have scanned and can fail closed.
 */

export interface ShardSpec {
  /** 1-based: 1 ≤ index ≤ count (as GitLab's CI_NODE_INDEX, Playwright's and Jest's --shard). */
  index: number;
  count: number;
}

/** Upper bound on N: a shard per jump box, not per host. */
export const MAX_SHARDS = 1024;
const GROUP_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Parses `K/N`; a one-line UsageError (exit 2) before anything is scanned. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard takes K/N (e.g. 2/8, counting from 1), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new UsageError(`--shard ${text}: N must be between 1 and ${MAX_SHARDS}`);
  if (index < 1 || index > count) throw new UsageError(`--shard ${text}: K must be between 1 and N (${count}); shards count from 1`);
  return { index, count };
}

/** Checks a `--group` name: it names files and history runs, so a short safe token. */
export function checkGroupName(name: string): string {
  if (!GROUP_PATTERN.test(name)) throw new UsageError(`--group "${name}": use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  return name;
}

/** The shard (1..count) a target id belongs to: the shard with the highest hash of (shard, id). */
export function shardOf(id: string, count: number): number {
  let best = 1;
  let bestWeight = -1n;
  for (let k = 1; k <= count; k++) {
    const weight = createHash("sha256").update(`${k}\0${id}`).digest().readBigUInt64BE(0);
    if (weight > bestWeight) {
      bestWeight = weight;
      best = k;
    }
  }
  return best;
}

/** SHA-256 over the sorted target refs: the same for every shard of one run, whatever the order given. */
export function targetsHash(targets: readonly TargetRef[]): string {
  const lines = targets.map((t) => `${t.kind}\t${t.id}`).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** The default run group: N and the target list's hash, so shards of one run agree without being told. */
export function defaultGroup(count: number, hash: string): string {
  return `n${count}-${hash.slice(0, 12)}`;
}

/**
 * Splits the resolved targets: returns this shard's targets (in the order given) and the tag its
 * facts and report carry.
 */
export function selectShard<T extends { kind: TargetKind; id: string }>(targets: readonly T[], shard: ShardSpec, group?: string): { targets: T[]; tag: ShardTag } {
  const refs = targets.map((t) => ({ kind: t.kind, id: t.id }));
  const hash = targetsHash(refs);
  const tag: ShardTag = {
    group: group === undefined ? defaultGroup(shard.count, hash) : checkGroupName(group),
    index: shard.index,
    count: shard.count,
    targetsSha256: hash,
    targets: refs,
  };
  return { targets: targets.filter((t) => shardOf(t.id, shard.count) === shard.index), tag };
}

/** JSON Schema of the tag, shared by the facts and report schemas. */
export const ShardTagSchema = Type.Object(
  {
    group: Type.String({ pattern: GROUP_PATTERN.source }),
    index: Type.Integer({ minimum: 1, maximum: MAX_SHARDS }),
    count: Type.Integer({ minimum: 1, maximum: MAX_SHARDS }),
    targetsSha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
    targets: Type.Array(
      Type.Object({ kind: Type.Union([Type.Literal("host"), Type.Literal("directory"), Type.Literal("network")]), id: Type.String() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false, description: "Which shard of a run (--shard K/N) this is, and the whole run's target list" },
);
