import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { storedRecordText } from "./chain.js";
import { HistoryError } from "./errors.js";
import { indexFromRecordText, INDEX_TABLE_SQL, INDEX_VERSION, type StoredIndex } from "./run-index.js";
import type { ChainMeta, ChainRow, HistoryStore, Migration, NewChainRow, QueuedEvent } from "./types.js";

/** SQLite migrations. A new version is appended, never edited: stores migrate forward on open. */
export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: "chain of runs and reviews, SIEM queue",
    sql: `
CREATE TABLE chain (
  seq INTEGER PRIMARY KEY,
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
  id INTEGER PRIMARY KEY,
  destination TEXT NOT NULL,
  event TEXT NOT NULL,
  queued_at TEXT NOT NULL
);
CREATE INDEX siem_queue_destination ON siem_queue (destination, id);`,
  },
  {
    version: 2,
    description: "drift index per run (derived from its record; runs recorded before are indexed by this migration)",
    // Covering indexes let listings skip the record, which SQLite stores before the columns after it.
    sql: `${INDEX_TABLE_SQL};\nCREATE INDEX chain_meta ON chain (seq, kind, id, scope, at, record_sha256, prev_hash, hash, signature, pruned_at);\nCREATE INDEX chain_scope_meta ON chain (kind, scope, seq, id, at, record_sha256, prev_hash, hash, signature, pruned_at);`,
    indexExistingRuns: true,
  },
  {
    version: 3,
    description: "records stored gzip-compressed (record_gz); rows recorded before keep their text in record",
    sql: "ALTER TABLE chain ADD COLUMN record_gz BLOB",
  },
];

const META = "seq, kind, id, scope, at, record_sha256 AS recordSha256, prev_hash AS prevHash, hash, signature, pruned_at AS prunedAt";
/** The meta columns and both record columns; {@link toRow} makes them a ChainRow. */
const ROW = `${META}, record, record_gz AS recordGz`;
/** A run whose record is still kept (not pruned). */
const KEPT = "(record IS NOT NULL OR record_gz IS NOT NULL)";
const toRow = ({ recordGz, ...r }: ChainRow & { recordGz: Buffer | null }): ChainRow => ({ ...r, record: storedRecordText(r.record, recordGz) });

/** The embedded default store: one SQLite file, mode 0600, in a 0700 directory. */
export class SqliteStore implements HistoryStore {
  readonly location: string;
  private db: Database.Database;

  constructor(file: string) {
    this.location = file;
    try {
      const dir = dirname(file);
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Created 0600 before SQLite opens it, so the file is never readable by others, not even briefly.
      if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
      chmodSync(file, 0o600);
      this.db = new Database(file);
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("busy_timeout = 10000");
      this.migrate();
    } catch (err) {
      throw new HistoryError(`cannot open history ${file}: ${(err as Error).message}`);
    }
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
    const done = new Set((this.db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
    const newest = Math.max(0, ...done);
    const known = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));
    if (newest > known) throw new HistoryError(`history ${this.location} has schema version ${newest}; this hipaa-scan knows up to ${known}. Use a newer hipaa-scan.`);
    for (const m of SQLITE_MIGRATIONS) {
      if (done.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        if (m.indexExistingRuns) this.indexExistingRuns();
        this.db.prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)").run(m.version, m.description, new Date().toISOString());
      })();
    }
  }

  /** Migration 2: builds the drift index of every run recorded before it (inside its transaction). */
  private indexExistingRuns(): void {
    const insert = this.db.prepare("INSERT INTO run_index (seq, version, data, evidence) VALUES (?, ?, ?, ?)");
    const read = this.db.prepare("SELECT record FROM chain WHERE seq = ?").pluck();
    // One record at a time (a 2,000-host record is ~30 MB).
    for (const seq of this.db.prepare("SELECT seq FROM chain WHERE kind = 'run' AND record IS NOT NULL ORDER BY seq").pluck().all() as number[]) {
      const index = indexFromRecordText(read.get(seq) as string);
      if (index !== undefined) insert.run(seq, INDEX_VERSION, index.data, index.evidence);
    }
  }

  async append(build: (last: ChainMeta | undefined) => NewChainRow, index?: StoredIndex): Promise<ChainMeta> {
    const tx = this.db.transaction(() => {
      const last = this.db.prepare(`SELECT ${META} FROM chain ORDER BY seq DESC LIMIT 1`).get() as ChainMeta | undefined;
      const { recordGz, ...row } = build(last);
      this.db
        .prepare("INSERT INTO chain (seq, kind, id, scope, at, record_gz, record_sha256, prev_hash, hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .run(row.seq, row.kind, row.id, row.scope, row.at, recordGz, row.recordSha256, row.prevHash, row.hash, row.signature);
      if (index !== undefined) this.db.prepare("INSERT INTO run_index (seq, version, data, evidence) VALUES (?, ?, ?, ?)").run(row.seq, INDEX_VERSION, index.data, index.evidence);
      return { ...row, prunedAt: null };
    });
    return tx.immediate();
  }

  async entries(): Promise<ChainRow[]> {
    return (this.db.prepare(`SELECT ${ROW} FROM chain ORDER BY seq`).all() as Parameters<typeof toRow>[0][]).map(toRow);
  }

  async list(): Promise<ChainMeta[]> {
    return this.db.prepare(`SELECT ${META} FROM chain ORDER BY seq`).all() as ChainMeta[];
  }

  async get(id: string): Promise<ChainRow | undefined> {
    const r = this.db.prepare(`SELECT ${ROW} FROM chain WHERE id = ?`).get(id) as Parameters<typeof toRow>[0] | undefined;
    return r && toRow(r);
  }

  async runsOfScope(scope: string, limit: number): Promise<ChainRow[]> {
    const rows = this.db.prepare(`SELECT ${ROW} FROM chain WHERE kind = 'run' AND scope = ? AND ${KEPT} ORDER BY seq DESC LIMIT ?`).all(scope, limit);
    return (rows as Parameters<typeof toRow>[0][]).map(toRow);
  }

  async runMetasOfScope(scope: string, limit: number): Promise<ChainMeta[]> {
    return this.db.prepare(`SELECT ${META} FROM chain WHERE kind = 'run' AND scope = ? AND pruned_at IS NULL ORDER BY seq DESC LIMIT ?`).all(scope, limit) as ChainMeta[];
  }

  async runIndex(seq: number): Promise<string | undefined> {
    return (this.db.prepare("SELECT data FROM run_index WHERE seq = ?").get(seq) as { data: string } | undefined)?.data;
  }

  async runIndexEvidence(seq: number): Promise<string | undefined> {
    return (this.db.prepare("SELECT evidence FROM run_index WHERE seq = ?").get(seq) as { evidence: string } | undefined)?.evidence;
  }

  async runIndexes(): Promise<Map<number, StoredIndex>> {
    return new Map((this.db.prepare("SELECT seq, data, evidence FROM run_index").all() as ({ seq: number } & StoredIndex)[]).map((r) => [r.seq, { data: r.data, evidence: r.evidence }]));
  }

  async prune(before: string, prunedAt: string): Promise<number> {
    return this.db.transaction(() => {
      this.db.prepare(`DELETE FROM run_index WHERE seq IN (SELECT seq FROM chain WHERE kind = 'run' AND at <= ? AND ${KEPT})`).run(before);
      return this.db.prepare(`UPDATE chain SET record = NULL, record_gz = NULL, pruned_at = ? WHERE kind = 'run' AND at <= ? AND ${KEPT}`).run(prunedAt, before).changes;
    })();
  }

  async enqueue(destination: string, events: string[], at: string): Promise<void> {
    const insert = this.db.prepare("INSERT INTO siem_queue (destination, event, queued_at) VALUES (?, ?, ?)");
    this.db.transaction(() => {
      for (const e of events) insert.run(destination, e, at);
    })();
  }

  async queued(destination: string): Promise<QueuedEvent[]> {
    return this.db.prepare("SELECT id, destination, event FROM siem_queue WHERE destination = ? ORDER BY id").all(destination) as QueuedEvent[];
  }

  async dequeue(ids: number[]): Promise<void> {
    const del = this.db.prepare("DELETE FROM siem_queue WHERE id = ?");
    this.db.transaction(() => {
      for (const id of ids) del.run(id);
    })();
  }

  async pendingCount(): Promise<number> {
    return (this.db.prepare("SELECT count(*) AS n FROM siem_queue").get() as { n: number }).n;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
