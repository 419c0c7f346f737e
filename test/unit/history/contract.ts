import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { linkEntry, verifyChain } from "../../../src/history/chain.js";
import type { HistoryStore } from "../../../src/history/types.js";

/**
 * The history store contract, run against every store: SQLite in the unit suite
 * (test/unit/history/sqlite.test.ts), PostgreSQL against a real server in the lab
 * (test/lab/history/postgres.test.ts). `sql` runs raw SQL on the same database, as an attacker with
 * file or database access would.
 */
export interface StoreHarness {
  open(): Promise<HistoryStore>;
  sql(statement: string): Promise<void>;
  /** Drops everything so each test starts from an empty store. */
  reset(): Promise<void>;
}

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
      await h.sql(`UPDATE chain SET record = replace(record, '"fail"', '"pass"') WHERE id = 'run-2'`);
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
