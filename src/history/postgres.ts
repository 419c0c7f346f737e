import { createRequire } from "node:module";
import pg from "pg";
import { storedRecordText } from "./chain.js";
import { HistoryError } from "./errors.js";
import { checkPostgresUrl } from "./postgres-url.js";
import { indexFromRecordText, INDEX_TABLE_SQL, INDEX_VERSION, type StoredIndex } from "./run-index.js";
import type { ChainMeta, ChainRow, HistoryStore, Migration, NewChainRow, QueuedEvent } from "./types.js";

/** PostgreSQL migrations: the same versions as SQLITE_MIGRATIONS, in PostgreSQL's dialect. */
export const POSTGRES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: "chain of runs and reviews, SIEM queue",
    sql: `
CREATE TABLE chain (
  seq BIGINT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('run', 'review')),
  id TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL,
  at TEXT NOT NULL,
  record TEXT,
  record_sha256 TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  signature TEXT,
  pruned_at TEXT
);
CREATE INDEX chain_scope ON chain (kind, scope, seq);
CREATE TABLE siem_queue (
  id BIGSERIAL PRIMARY KEY,
  destination TEXT NOT NULL,
  event TEXT NOT NULL,
  queued_at TEXT NOT NULL
);
CREATE INDEX siem_queue_destination ON siem_queue (destination, id);`,
  },
  {
    version: 2,
    description: "drift index per run (derived from its record; runs recorded before are indexed by this migration)",
    sql: INDEX_TABLE_SQL,
    indexExistingRuns: true,
  },
  {
    version: 3,
    description: "records stored gzip-compressed (record_gz); rows recorded before keep their text in record",
    sql: "ALTER TABLE chain ADD COLUMN record_gz BYTEA",
  },
];

const META = "seq, kind, id, scope, at, record_sha256 AS \"recordSha256\", prev_hash AS \"prevHash\", hash, signature, pruned_at AS \"prunedAt\"";
/** Serialises schema migration and chain appends across every jump box writing to one database. */
const LOCK_KEY = 0x68697061; // "hipa"

export { checkPostgresUrl };

/**
 * node-postgres options from the URL: host (or `?host=/socket/dir`), port, user, database, and
 * `?sslmode=require|verify-full` for TLS verified against the system CAs.
 */
export function connectionConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  const q = u.searchParams;
  const sslmode = q.get("sslmode");
  return {
    host: q.get("host") ?? (decodeURIComponent(u.hostname.replace(/^\[|\]$/g, "")) || undefined),
    port: Number(q.get("port") ?? (u.port || 5432)),
    user: decodeURIComponent(u.username) || undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || undefined,
    ...(sslmode && sslmode !== "disable" ? { ssl: { rejectUnauthorized: true } } : {}),
  };
}

/**
 * The password: PGPASSWORD, else the matching ~/.pgpass (or PGPASSFILE) line, else none — read
 * only when the server asks for one. Never from the URL (refused above) or argv.
 */
function passwordFromEnvironment(params: { host?: string; port?: number; database?: string; user?: string }): Promise<string | undefined> {
  if (process.env.PGPASSWORD) return Promise.resolve(process.env.PGPASSWORD);
  const pgpass = createRequire(import.meta.url)("pgpass") as (conn: object, cb: (pass: string | undefined) => void) => void;
  return new Promise((resolve) => pgpass(params, resolve));
}

/** The meta columns and both record columns; {@link toRow} makes them a ChainRow. */
const ROW = `${META}, record, record_gz AS "recordGz"`;
/** A run whose record is still kept (not pruned). */
const KEPT = "(record IS NOT NULL OR record_gz IS NOT NULL)";
const toRow = ({ recordGz, ...r }: Record<string, unknown>): ChainRow => {
  const row = { ...(r as unknown as ChainRow), seq: Number(r.seq) };
  return "record" in r ? { ...row, record: storedRecordText(r.record as string | null, (recordGz as Buffer | null | undefined) ?? null) } : row;
};

/** A shared store for several jump boxes: the same contract as SqliteStore. */
export class PostgresStore implements HistoryStore {
  readonly location: string;
  private constructor(
    private pool: pg.Pool,
    location: string,
  ) {
    this.location = location;
  }

  static async open(url: string): Promise<PostgresStore> {
    const location = checkPostgresUrl(url);
    const pool = new pg.Pool({ ...connectionConfig(url), max: 2, password: passwordFromEnvironment as unknown as string });
    const store = new PostgresStore(pool, location);
    try {
      await store.migrate();
    } catch (err) {
      await pool.end().catch(() => {});
      if (err instanceof HistoryError) throw err;
      throw new HistoryError(`cannot open history ${location}: ${(err as Error).message}`);
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
      await c.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
      const done = new Set((await c.query("SELECT version FROM schema_migrations")).rows.map((r: { version: number }) => r.version));
      const newest = Math.max(0, ...done);
      const known = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
      if (newest > known) throw new HistoryError(`history ${this.location} has schema version ${newest}; this hipaa-scan knows up to ${known}. Use a newer hipaa-scan.`);
      for (const m of POSTGRES_MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.sql);
        if (m.indexExistingRuns) {
          // Runs recorded before this migration, one record at a time (a 2,000-host record is ~30 MB).
          const seqs = (await c.query("SELECT seq FROM chain WHERE kind = 'run' AND record IS NOT NULL ORDER BY seq")).rows.map((r: { seq: string }) => r.seq);
          for (const seq of seqs) {
            const index = indexFromRecordText((await c.query("SELECT record FROM chain WHERE seq = $1", [seq])).rows[0].record as string);
            if (index !== undefined) await c.query("INSERT INTO run_index (seq, version, data, evidence) VALUES ($1, $2, $3, $4)", [seq, INDEX_VERSION, index.data, index.evidence]);
          }
        }
        await c.query("INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)", [m.version, m.description, new Date().toISOString()]);
      }
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  async append(build: (last: ChainMeta | undefined) => NewChainRow, index?: StoredIndex): Promise<ChainMeta> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
      const lastRow = (await c.query(`SELECT ${META} FROM chain ORDER BY seq DESC LIMIT 1`)).rows[0] as Record<string, unknown> | undefined;
      const { recordGz, ...row } = build(lastRow ? toRow(lastRow) : undefined);
      await c.query(
        "INSERT INTO chain (seq, kind, id, scope, at, record_gz, record_sha256, prev_hash, hash, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [row.seq, row.kind, row.id, row.scope, row.at, recordGz, row.recordSha256, row.prevHash, row.hash, row.signature],
      );
      if (index !== undefined) await c.query("INSERT INTO run_index (seq, version, data, evidence) VALUES ($1, $2, $3, $4)", [row.seq, INDEX_VERSION, index.data, index.evidence]);
      await c.query("COMMIT");
      return { ...row, prunedAt: null };
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw new HistoryError(`cannot write history ${this.location}: ${(err as Error).message}`);
    } finally {
      c.release();
    }
  }

  async entries(): Promise<ChainRow[]> {
    return (await this.pool.query(`SELECT ${ROW} FROM chain ORDER BY seq`)).rows.map(toRow);
  }

  async list(): Promise<ChainMeta[]> {
    return (await this.pool.query(`SELECT ${META} FROM chain ORDER BY seq`)).rows.map(toRow);
  }

  async get(id: string): Promise<ChainRow | undefined> {
    const r = (await this.pool.query(`SELECT ${ROW} FROM chain WHERE id = $1`, [id])).rows[0];
    return r ? toRow(r) : undefined;
  }

  async runsOfScope(scope: string, limit: number): Promise<ChainRow[]> {
    const q = `SELECT ${ROW} FROM chain WHERE kind = 'run' AND scope = $1 AND ${KEPT} ORDER BY seq DESC LIMIT $2`;
    return (await this.pool.query(q, [scope, limit])).rows.map(toRow);
  }

  async runMetasOfScope(scope: string, limit: number): Promise<ChainMeta[]> {
    const q = `SELECT ${META} FROM chain WHERE kind = 'run' AND scope = $1 AND pruned_at IS NULL ORDER BY seq DESC LIMIT $2`;
    return (await this.pool.query(q, [scope, limit])).rows.map(toRow);
  }

  async runIndex(seq: number): Promise<string | undefined> {
    return (await this.pool.query("SELECT data FROM run_index WHERE seq = $1", [seq])).rows[0]?.data as string | undefined;
  }

  async runIndexEvidence(seq: number): Promise<string | undefined> {
    return (await this.pool.query("SELECT evidence FROM run_index WHERE seq = $1", [seq])).rows[0]?.evidence as string | undefined;
  }

  async runIndexes(): Promise<Map<number, StoredIndex>> {
    const rows = (await this.pool.query("SELECT seq, data, evidence FROM run_index")).rows as { seq: string; data: string; evidence: string }[];
    return new Map(rows.map((r) => [Number(r.seq), { data: r.data, evidence: r.evidence }]));
  }

  async prune(before: string, prunedAt: string): Promise<number> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      await c.query(`DELETE FROM run_index WHERE seq IN (SELECT seq FROM chain WHERE kind = 'run' AND at <= $1 AND ${KEPT})`, [before]);
      const r = await c.query(`UPDATE chain SET record = NULL, record_gz = NULL, pruned_at = $1 WHERE kind = 'run' AND at <= $2 AND ${KEPT}`, [prunedAt, before]);
      await c.query("COMMIT");
      return r.rowCount ?? 0;
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw new HistoryError(`cannot prune history ${this.location}: ${(err as Error).message}`);
    } finally {
      c.release();
    }
  }

  async enqueue(destination: string, events: string[], at: string): Promise<void> {
    if (events.length === 0) return;
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      for (let i = 0; i < events.length; i += 500) {
        const chunk = events.slice(i, i + 500);
        const values = chunk.map((_, j) => `($1, $${j + 3}, $2)`).join(", ");
        await c.query(`INSERT INTO siem_queue (destination, event, queued_at) VALUES ${values}`, [destination, at, ...chunk]);
      }
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw new HistoryError(`cannot queue SIEM events in ${this.location}: ${(err as Error).message}`);
    } finally {
      c.release();
    }
  }

  async queued(destination: string): Promise<QueuedEvent[]> {
    const rows = (await this.pool.query("SELECT id, destination, event FROM siem_queue WHERE destination = $1 ORDER BY id", [destination])).rows;
    return rows.map((r: { id: string; destination: string; event: string }) => ({ ...r, id: Number(r.id) }));
  }

  async dequeue(ids: number[]): Promise<void> {
    if (ids.length > 0) await this.pool.query("DELETE FROM siem_queue WHERE id = ANY($1::bigint[])", [ids]);
  }

  async pendingCount(): Promise<number> {
    return Number((await this.pool.query("SELECT count(*) AS n FROM siem_queue")).rows[0].n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
