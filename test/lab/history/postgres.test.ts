import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireLab } from "../prereqs.js";
import { POSTGRES_MIGRATIONS, PostgresStore, connectionConfig } from "../../../src/history/postgres.js";
import { storeContract } from "../../unit/history/contract.js";
import { cli } from "../../helpers/cli.js";
import { ehrDbFacts } from "../../helpers/ehr-db-facts.js";
import { reportFromJson } from "../../../src/report/read.js";
import { startPostgres, type Postgres } from "./servers.js";

/**
 * The history contract against a real PostgreSQL 15 (Debian postgresql) this file starts on
 * 127.0.0.1 and a free port, scram-sha-256 password auth; the password reaches hipaa-scan only
 * through PGPASSWORD. Then the CLI flow (drift, --fail-on-new, verify after an edit with psql-style
 * SQL) with --history postgres://….
 */
const dir = mkdtempSync(join(tmpdir(), "hsh-pg-"));
const password = randomBytes(12).toString("hex");
let server: Postgres;

beforeAll(async () => {
  requireLab("history");
  server = await startPostgres(dir, password);
  process.env.PGPASSWORD = password;
});

afterAll(() => {
  server?.stop();
});

async function sql(statement: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ ...connectionConfig(server.tcpUrl), password });
  await c.connect();
  try {
    return (await c.query(statement)).rows;
  } finally {
    await c.end();
  }
}

storeContract("PostgreSQL", {
  open: () => PostgresStore.open(server.tcpUrl),
  sql,
  reset: async () => void (await sql("DROP TABLE IF EXISTS chain, siem_queue, schema_migrations, run_index")),
  migrations: POSTGRES_MIGRATIONS,
});

describe("CLI with --history postgres://", { timeout: 180_000 }, () => {
  const golden = ehrDbFacts();
  const before = join(dir, "before.json");
  const after = join(dir, "after.json");
  writeFileSync(before, JSON.stringify(golden));
  golden.targets[0].facts.accounts.users.push({ ...golden.targets[0].facts.accounts.users[0], name: "mallory", uid: 1070, password: "empty" });
  writeFileSync(after, JSON.stringify(golden));

  it("records, drifts, gates on new findings and detects an edited run", async () => {
    await sql("DROP TABLE IF EXISTS chain, siem_queue, schema_migrations, run_index");
    const env = { PGPASSWORD: password, HIPAA_SCAN_HISTORY: "", XDG_STATE_HOME: dir };
    const h = ["--history", server.tcpUrl, "--fail-on", "critical", "--format", "json"];
    expect(cli(["evaluate", before, ...h, "--output", join(dir, "1.json")], { env }).code).toBe(0);
    expect(cli(["evaluate", after, ...h, "--fail-on-new", "--output", join(dir, "2.json")], { env }).code).toBe(1);
    const r2 = reportFromJson(JSON.parse(readFileSync(join(dir, "2.json"), "utf8")), "2.json");
    expect(r2.drift!.findings.new.map((d) => d.message)).toContain("Accounts with an empty password: mallory.");
    expect(cli(["evaluate", after, ...h, "--fail-on-new", "--output", join(dir, "3.json")], { env }).code).toBe(0);
    expect(cli(["history", "verify", "--history", server.tcpUrl], { env }).stdout).toMatch(/intact — 3 entries, .* 3 drift indexes match their records/);
    // The diff of the first two runs, read from their drift indexes in PostgreSQL, names the account.
    const r1 = JSON.parse(readFileSync(join(dir, "1.json"), "utf8"));
    const diff = cli(["history", "diff", r1.run.id, r2.run!.id, "--history", server.tcpUrl, "--fail-on-new"], { env });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/NEW\s+critical ssh:\/\/admin@ehr-db linux-empty-passwords — Accounts with an empty password: mallory\./);
    await sql(`UPDATE run_index SET data = replace(data, 'mallory', 'nobody') WHERE seq = 2`);
    expect(cli(["history", "verify", "--history", server.tcpUrl], { env }).stdout).toMatch(/BROKEN at run .*drift index does not match its record/);
    await sql(`UPDATE run_index SET data = replace(data, 'nobody', 'mallory') WHERE seq = 2`);
    expect(cli(["history", "verify", "--history", server.tcpUrl], { env }).code).toBe(0);
    // The stored record is gzip-compressed: read it, rename the account, write it back as text.
    const [stored] = await sql(`SELECT record_gz FROM chain WHERE id = '${r2.run!.id}'`);
    const edited = gunzipSync(stored!.record_gz as Buffer).toString("utf8").replaceAll("mallory", "nobody");
    await sql(`UPDATE chain SET record = '${edited.replaceAll("'", "''")}' WHERE id = '${r2.run!.id}'`);
    const v = cli(["history", "verify", "--history", server.tcpUrl], { env });
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`BROKEN at run ${r2.run!.id}`);
    // Without PGPASSWORD (and no ~/.pgpass) the server refuses, and the password never shows.
    const denied = cli(["history", "list", "--history", server.tcpUrl], { env: { PGPASSWORD: "", HOME: dir, PGPASSFILE: join(dir, "none") } });
    expect(denied.code).toBe(2);
    expect(denied.stderr + denied.stdout).not.toContain(password);
  });
});
