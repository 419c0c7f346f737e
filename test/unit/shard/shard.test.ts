import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseShard, selectShard, shardOf, targetsHash } from "../../../src/shard.js";
import { cli } from "../../helpers/cli.js";

const hosts = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ kind: "host" as const, id: `ssh://scan@10.1.${(i + from) >> 8}.${(i + from) & 255}` }));

describe("--shard K/N", () => {
  it("parses K/N counting from 1", () => {
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    expect(parseShard("3/8")).toEqual({ index: 3, count: 8 });
  });

  it.each(["0/4", "5/4", "1/0", "a/b", "2", "-1/4", "1/4/2", "1/5000"])("refuses %j with a usage error", (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });

  it("gives every target to exactly one shard, and the shards together are the whole list", () => {
    const targets = hosts(1000);
    const parts = [1, 2, 3, 4, 5].map((k) => selectShard(targets, { index: k, count: 5 }).targets);
    const seen = parts.flat().map((t) => t.id);
    expect(seen.length).toBe(1000);
    expect(new Set(seen).size).toBe(1000);
    // Balanced: each of 5 shards holds 200 ± 50 of 1,000 targets.
    for (const p of parts) expect(Math.abs(p.length - 200)).toBeLessThan(50);
  });

  it("is deterministic and does not depend on the order the targets are given in", () => {
    const targets = hosts(300);
    const a = selectShard(targets, { index: 2, count: 4 });
    const b = selectShard([...targets].reverse(), { index: 2, count: 4 });
    expect(new Set(b.targets.map((t) => t.id))).toEqual(new Set(a.targets.map((t) => t.id)));
    expect(b.tag.targetsSha256).toBe(a.tag.targetsSha256);
    expect(b.tag.group).toBe(a.tag.group);
  });

  it("moves no other target when a host is added, and about 1/(N+1) when a shard is added", () => {
    const targets = hosts(2000);
    const before = new Map(targets.map((t) => [t.id, shardOf(t.id, 8)]));
    const grown = [...targets, ...hosts(1, 5000)];
    const after = new Map<string, number>();
    for (let k = 1; k <= 8; k++) for (const t of selectShard(grown, { index: k, count: 8 }).targets) after.set(t.id, k);
    expect(targets.every((t) => after.get(t.id) === before.get(t.id))).toBe(true);
    const moved = targets.filter((t) => shardOf(t.id, 9) !== before.get(t.id)).length;
    // Rendezvous hashing: a target moves only to the new shard 9, about 2000/9 ≈ 222 of them.
    expect(targets.filter((t) => shardOf(t.id, 9) !== before.get(t.id)).every((t) => shardOf(t.id, 9) === 9)).toBe(true);
    expect(moved).toBeGreaterThan(150);
    expect(moved).toBeLessThan(300);
  });

  it("tags each shard with the run group, K/N and the whole target list", () => {
    const targets = hosts(10);
    const { tag } = selectShard(targets, { index: 1, count: 3 });
    expect(tag).toMatchObject({ index: 1, count: 3, targets: targets.map((t) => ({ kind: t.kind, id: t.id })) });
    expect(tag.group).toBe(`n3-${targetsHash(targets).slice(0, 12)}`);
    expect(selectShard(targets, { index: 1, count: 3 }, "site-a.2026-12").tag.group).toBe("site-a.2026-12");
    expect(() => selectShard(targets, { index: 1, count: 3 }, "../etc")).toThrow(UsageError);
  });
});

describe("hipaa-scan --shard on the command line", () => {
  it.each([
    [["scan", "--shard", "0/3"], /--shard 0\/3: K must be between 1 and N/],
    [["scan", "--shard", "4/3"], /K must be between 1 and N/],
    [["scan", "--shard", "x"], /--shard takes K\/N/],
    [["collect", "--shard", "1/0"], /N must be between 1/],
    [["scan", "--shard", "1/2", "--group", "a b"], /--group "a b"/],
    [["scan", "--group", "g1"], /give --shard K\/N with it/],
  ])("exits 2 on %j before scanning anything", (args, message) => {
    const r = cli([...args, "ssh://nobody@192.0.2.1", "--timeout", "1"]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });
});
