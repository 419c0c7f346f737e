import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SQLITE_MIGRATIONS, SqliteStore } from "../../../src/history/sqlite.js";
import { storeContract } from "./contract.js";
import { linkEntry } from "../../../src/history/chain.js";
import { canonicalJson } from "../../../src/history/canonical.js";

const dir = mkdtempSync(join(tmpdir(), "hsh-sqlite-"));
const file = join(dir, "state", "hipaa-scan", "history.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract("SQLite", {
  open: async () => new SqliteStore(file),
  sql: async (statement) => {
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.exec(statement);
    db.close();
  },
  reset: async () => rmSync(join(dir, "state"), { recursive: true, force: true }),
  migrations: SQLITE_MIGRATIONS,
});

describe("SQLite store files", () => {
  it("creates the database 0600 in a 0700 directory, with schema versions 1 to 3 recorded", async () => {
    rmSync(join(dir, "state"), { recursive: true, force: true });
    const store = new SqliteStore(file);
    await store.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "state", "hipaa-scan")).mode & 0o777).toBe(0o700);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT version FROM schema_migrations").all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    db.close();
  });

  it("refuses a database from a newer hipaa-scan", async () => {
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x')").run();
    db.close();
    expect(() => new SqliteStore(file)).toThrow(/schema version 99/);
  });
});

describe("SQLite record storage", () => {
  it("keeps a new record gzip-compressed in record_gz, not as text, at a fraction of its size", async () => {
    rmSync(join(dir, "state"), { recursive: true, force: true });
    const store = new SqliteStore(file);
    const record = { findings: Array.from({ length: 5_000 }, (_, i) => ({ ruleId: "linux-auditd-active", status: "fail", message: `System auditing is not working on host ${i}` })) };
    await store.append(linkEntry({ kind: "run", id: "r1", scope: "s", at: "2026-12-02T00:00:00.000Z", record }));
    expect((await store.get("r1"))!.record).toBe(canonicalJson(record));
    await store.close();
    const db = new Database(file, { readonly: true });
    const row = db.prepare("SELECT record, length(record_gz) AS gz FROM chain WHERE id = 'r1'").get() as { record: string | null; gz: number };
    db.close();
    expect(row.record).toBeNull();
    expect(row.gz).toBeLessThan(canonicalJson(record).length / 10);
  });
});
