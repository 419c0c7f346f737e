/**
 * The history store's contract. SQLite (src/history/sqlite.ts) and PostgreSQL (src/history/postgres.ts)
 * implement the same interface; test/unit/history/contract.ts runs one suite against both.
 */
import type { StoredIndex } from "./run-index.js";

/** One link of the chain: a run, a review, as stored. `record` is null once the entry was pruned. */
export interface ChainRow {
  seq: number;
  kind: "run" | "review";
  id: string;
  /** Runs: the scope hash (which targets). Reviews: the reviewed run's id. */
  scope: string;
  at: string;
  /** Canonical JSON of the record (src/history/canonical.ts); null after `history prune`. */
  record: string | null;
  recordSha256: string;
  prevHash: string;
  hash: string;
  /** Ed25519 signature (base64) over `hash`, when the run was written with --sign-key. */
  signature: string | null;
  prunedAt: string | null;
}

/** What a store hands back for listings: everything but the (large) record text. */
export type ChainMeta = Omit<ChainRow, "record">;

/** A new entry as `append` writes it: the record as gzip-compressed canonical JSON (src/history/chain.ts). */
export type NewChainRow = Omit<ChainRow, "prunedAt" | "record"> & { recordGz: Buffer };

export interface QueuedEvent {
  id: number;
  destination: string;
  event: string;
}

export interface HistoryStore {
  /** Where the store is, with any password removed: safe to print. */
  readonly location: string;
  /**
   * Appends one entry atomically: `build` receives the newest entry (or undefined) inside the
   * store's write lock and returns the complete row to insert, so two writers never share a prev hash.
   * `index` (a run's drift index, src/history/run-index.ts) is stored with it in the same transaction.
   */
  append(build: (last: ChainMeta | undefined) => NewChainRow, index?: StoredIndex): Promise<ChainMeta>;
  /** Every entry in chain order (by seq), records included. */
  entries(): Promise<ChainRow[]>;
  /** Entries without record text, in chain order. */
  list(): Promise<ChainMeta[]>;
  get(id: string): Promise<ChainRow | undefined>;
  /** The newest `limit` runs of one scope, newest first, records included (pruned ones left out). */
  runsOfScope(scope: string, limit: number): Promise<ChainRow[]>;
  /** The newest `limit` runs of one scope, newest first, without records (pruned ones left out). */
  runMetasOfScope(scope: string, limit: number): Promise<ChainMeta[]>;
  /** A run's drift index (its `data`, canonical JSON), by seq; undefined for a run without one. */
  runIndex(seq: number): Promise<string | undefined>;
  /** The evidence pool of a run's drift index, read only when a changed finding needs it. */
  runIndexEvidence(seq: number): Promise<string | undefined>;
  /** Every stored drift index, by seq (for `history verify`). */
  runIndexes(): Promise<Map<number, StoredIndex>>;
  /** Clears the record text (and drops the drift index) of runs at or before `before` (ISO time); hashes stay. Returns how many. */
  prune(before: string, prunedAt: string): Promise<number>;
  enqueue(destination: string, events: string[], at: string): Promise<void>;
  queued(destination: string): Promise<QueuedEvent[]>;
  dequeue(ids: number[]): Promise<void>;
  pendingCount(): Promise<number>;
  close(): Promise<void>;
}

/** Schema migrations, in order; each store keeps its own SQL dialect but the same versions. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** After the SQL, in the same transaction: build the drift index of every run already recorded. */
  indexExistingRuns?: boolean;
}
