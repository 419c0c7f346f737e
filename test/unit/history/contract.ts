import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { linkEntry, storedRecordText, verifyChain } from "../../../src/history/chain.js";
import { canonicalJson, sha256 } from "../../../src/history/canonical.js";
import type { RunRecord } from "../../../src/history/record.js";
import { storedIndex } from "../../../src/history/run-index.js";
import type { HistoryStore, Migration } from "../../../src/history/types.js";

/**
 * The history store contract, run against every store: SQLite in the unit suite
 * (test/unit/history/sqlite.test.ts), PostgreSQL against a real server in the lab
 * (test/lab/history/postgres.test.ts). `sql` runs raw SQL on the same database, as an attacker with
 * file or database access would.
 */
export interface StoreHarness {
  open(): Promise<HistoryStore>;
  sql(statement: string): Promise<unknown>;
  /** Drops everything so each test starts from an empty store. */
  reset(): Promise<void>;
  /** The store's migrations (for a database as an older hipaa-scan left it). */
  migrations: Migration[];
}

/** A minimal real run record: one failing finding with evidence, one pass. */
const runRecord = (id: string): RunRecord => ({
  format: "hipaa-scan-run",
  version: 1,
  id,
  command: "scan",
  scope: "s1",
  startedAt: "2026-03-01T00:00:00.000Z",
  finishedAt: "2026-03-01T00:00:01.000Z",
  tool: { name: "hipaa-scan", version: "0.0.0-test" },
  rulePacks: [],
  params: {},
  failOn: "high",
  factsSha256: "0".repeat(64),
  targets: [{ kind: "host", id: "h1", status: "ok", factsSha256: "1".repeat(64), assets: { accounts: ["alice", "o'brien"] } }],
  findings: [
    { ruleId: "r-fail", target: { kind: "host", id: "h1" }, status: "fail", severity: "high", title: "T", hipaa: ["164.312(a)(1)"], message: "it's failing", evidence: [{ fact: "x.y", observed: "o'brien", expected: "none" }], firstSeen: "2026-03-01T00:00:00.000Z" },
    { ruleId: "r-pass", target: { kind: "host", id: "h1" }, status: "pass", severity: "low", title: "", hipaa: ["164.308(a)(1)"], message: "", evidence: [] },
  ],
  gate: { failOn: "high", failed: 1, incomplete: 0, exitCode: 1 } as RunRecord["gate"],
});
const lit = (v: string | null) => (v === null ? "NULL" : `'${v.replace(/'/g, "''")}'`);

const run = (i: number, scope = "s1") => ({ kind: "run" as const, id: `run-${i}`, scope, at: `2026-0${Math.min(i, 9)}-01T00:00:00.000Z`, record: { n: i, findings: [{ status: "fail", ruleId: `r${i}` }] } });

export function storeContract(name: string, h: StoreHarness): void {
  describe(`history store contract: ${name}`, () => {
    let store: HistoryStore;
    beforeEach(async () => {
      await h.reset();
      store = await h.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("links each entry to the one before and verifies intact", async () => {
      for (let i = 1; i <= 3; i++) await store.append(linkEntry(run(i)));
      const rows = await store.entries();
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
      expect(rows[0]!.prevHash).toBe("0".repeat(64));
      expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
      expect(verifyChain(rows)).toMatchObject({ ok: true, entries: 3 });
    });

    it("names the run whose record was edited", async () => {
      for (let i = 1; i <= 3; i++) await store.append(linkEntry(run(i)));
      // The attacker writes the record back as text, with one status changed.
      const edited = (await store.get("run-2"))!.record!.replace('"fail"', '"pass"');
      await h.sql(`UPDATE chain SET record = ${lit(edited)} WHERE id = 'run-2'`);
      expect(verifyChain(await store.entries()).problem).toMatchObject({ id: "run-2", reason: expect.stringMatching(/edited/) });
    });

    it("names the entry after a removed run, and a reordered one", async () => {
      for (let i = 1; i <= 4; i++) await store.append(linkEntry(run(i)));
      await h.sql(`DELETE FROM chain WHERE id = 'run-2'`);
      expect(verifyChain(await store.entries()).problem).toMatchObject({ id: "run-3", reason: expect.stringMatching(/missing/) });
      await h.sql(`UPDATE chain SET seq = 2 WHERE id = 'run-4'`);
      expect(verifyChain(await store.entries()).problem).toMatchObject({ id: "run-4", reason: expect.stringMatching(/previous-hash/) });
    });

    it("a recomputed record hash still breaks the entry hash", async () => {
      for (let i = 1; i <= 2; i++) await store.append(linkEntry(run(i)));
      await h.sql(`UPDATE chain SET record = '{}', record_sha256 = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' WHERE id = 'run-1'`);
      expect(verifyChain(await store.entries()).problem).toMatchObject({ id: "run-1", reason: expect.stringMatching(/stored hash/) });
    });

    it("prune clears old records, keeps their hashes, and the chain still verifies", async () => {
      for (let i = 1; i <= 3; i++) await store.append(linkEntry(run(i)));
      expect(await store.prune("2026-02-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z")).toBe(2);
      const rows = await store.entries();
      expect(rows.map((r) => r.record === null)).toEqual([true, true, false]);
      expect(verifyChain(rows)).toMatchObject({ ok: true, pruned: 2 });
      expect((await store.runsOfScope("s1", 10)).map((r) => r.id)).toEqual(["run-3"]);
    });

    it("lists runs of one scope newest first, and finds entries by id", async () => {
      await store.append(linkEntry(run(1, "a")));
      await store.append(linkEntry(run(2, "b")));
      await store.append(linkEntry(run(3, "a")));
      expect((await store.runsOfScope("a", 5)).map((r) => r.id)).toEqual(["run-3", "run-1"]);
      expect(JSON.parse((await store.get("run-2"))!.record!)).toMatchObject({ n: 2 });
      expect(await store.get("nope")).toBeUndefined();
      expect((await store.list()).map((r) => r.id)).toEqual(["run-1", "run-2", "run-3"]);
    });

    it("reads back a record of many gzip members as the canonical text it hashed", async () => {
      // Over 1 M characters: the record is compressed in several members (src/history/chain.ts).
      const record = { ...runRecord("big"), findings: Array.from({ length: 12_000 }, (_, i) => ({ ruleId: `r-${i}`, status: "fail", message: `failing — ${i}`, evidence: [{ fact: "x", observed: i }] })) };
      const text = canonicalJson(record);
      expect(text.length).toBeGreaterThan(1 << 20);
      await store.append(linkEntry({ kind: "run", id: "big", scope: "s1", at: record.startedAt, record }));
      const row = (await store.get("big"))!;
      expect(row.record).toBe(text);
      expect(row.recordSha256).toBe(sha256(text));
      expect((await store.runsOfScope("s1", 1))[0]!.record).toBe(text);
      expect(verifyChain(await store.entries())).toMatchObject({ ok: true, entries: 1 });
    });

    it("signed entries verify with the public key and fail with another", async () => {
      const keys = generateKeyPairSync("ed25519");
      const other = generateKeyPairSync("ed25519");
      for (let i = 1; i <= 2; i++) await store.append(linkEntry(run(i), keys.privateKey));
      const rows = await store.entries();
      expect(verifyChain(rows, keys.publicKey)).toMatchObject({ ok: true, signed: 2 });
      expect(verifyChain(rows, other.publicKey).problem).toMatchObject({ id: "run-1", reason: expect.stringMatching(/signature/) });
    });

    it("appends from two writers at once never share a previous hash", async () => {
      const other = await h.open();
      try {
        await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).append(linkEntry(run(i + 1)))));
      } finally {
        await other.close();
      }
      expect(verifyChain(await store.entries())).toMatchObject({ ok: true, entries: 10 });
    });

    it("queues SIEM events per destination until they are taken off", async () => {
      await store.enqueue("syslog+tls://a:6514", ["e1", "e2"], "2026-12-01T00:00:00Z");
      await store.enqueue("https://b", ["e3"], "2026-12-01T00:00:00Z");
      const q = await store.queued("syslog+tls://a:6514");
      expect(q.map((e) => e.event)).toEqual(["e1", "e2"]);
      expect(await store.pendingCount()).toBe(3);
      await store.dequeue(q.map((e) => e.id));
      expect(await store.pendingCount()).toBe(1);
      expect(await store.queued("syslog+tls://a:6514")).toEqual([]);
    });

    it("stores a run's drift index with it, by seq; prune drops it with the record", async () => {
      const rec = runRecord("run-1");
      const idx = storedIndex(rec);
      await store.append(linkEntry({ kind: "run", id: rec.id, scope: rec.scope, at: rec.startedAt, record: rec }), idx);
      await store.append(linkEntry(run(4)));
      expect(await store.runIndex(1)).toBe(idx.data);
      expect(await store.runIndexEvidence(1)).toBe(idx.evidence);
      expect(await store.runIndex(2)).toBeUndefined();
      expect([...(await store.runIndexes()).entries()]).toEqual([[1, idx]]);
      expect((await store.runMetasOfScope("s1", 5)).map((r) => [r.id, "record" in r])).toEqual([["run-4", false], ["run-1", false]]);
      expect(await store.prune("2026-03-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z")).toBe(1);
      expect(await store.runIndex(1)).toBeUndefined();
      expect((await store.runMetasOfScope("s1", 5)).map((r) => r.id)).toEqual(["run-4"]);
    });

    it("a database from before schema version 2 is migrated and its runs are indexed", async () => {
      await store.close();
      await h.reset();
      const v1 = h.migrations.find((m) => m.version === 1)!;
      const recs = [runRecord("old-1"), runRecord("old-2")];
      let last: ReturnType<ReturnType<typeof linkEntry>> | undefined;
      const rows = recs.map((rec) => (last = linkEntry({ kind: "run", id: rec.id, scope: rec.scope, at: rec.startedAt, record: rec })(last && { ...last, prunedAt: null })));
      const review = linkEntry({ kind: "review", id: "review-1", scope: "old-1", at: "2026-03-02T00:00:00.000Z", record: { by: "x" } })({ ...last!, prunedAt: null });
      await h.sql(
        [
          "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
          v1.sql,
          `INSERT INTO schema_migrations VALUES (1, 'v1', '2026-01-01')`,
          ...[...rows, review].map((r) => `INSERT INTO chain (seq, kind, id, scope, at, record, record_sha256, prev_hash, hash, signature) VALUES (${r.seq}, ${lit(r.kind)}, ${lit(r.id)}, ${lit(r.scope)}, ${lit(r.at)}, ${lit(storedRecordText(null, r.recordGz))}, ${lit(r.recordSha256)}, ${lit(r.prevHash)}, ${lit(r.hash)}, NULL)`),
        ].join(";\n"),
      );
      store = await h.open();
      expect(await store.runIndex(1)).toBe(storedIndex(recs[0]!).data);
      expect(await store.runIndexEvidence(2)).toBe(storedIndex(recs[1]!).evidence);
      expect(await store.runIndex(3)).toBeUndefined();
      expect(verifyChain(await store.entries())).toMatchObject({ ok: true, entries: 3 });
    });

    it("opening again migrates nothing twice and keeps the data", async () => {
      await store.append(linkEntry(run(1)));
      const again = await h.open();
      try {
        expect((await again.list()).length).toBe(1);
      } finally {
        await again.close();
      }
    });
  });
}
