import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SQLITE_MIGRATIONS, SqliteStore } from "../../../src/history/sqlite.js";
import { storeContract } from "./contract.js";

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
  it("creates the database 0600 in a 0700 directory, with schema versions 1 and 2 recorded", async () => {
    rmSync(join(dir, "state"), { recursive: true, force: true });
    const store = new SqliteStore(file);
    await store.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "state", "hipaa-scan")).mode & 0o777).toBe(0o700);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT version FROM schema_migrations").all()).toEqual([{ version: 1 }, { version: 2 }]);
    db.close();
  });

  it("refuses a database from a newer hipaa-scan", async () => {
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x')").run();
    db.close();
    expect(() => new SqliteStore(file)).toThrow(/schema version 99/);
  });
});
