import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { batches } from "../core/batches.js";
import { canonicalJson, canonicalPieces, sha256 } from "./canonical.js";
import type { ChainMeta, ChainRow, NewChainRow } from "./types.js";

/**
 * The tamper-evident chain. Each entry (a run or a review) stores
 *   recordSha256 = SHA-256(canonical JSON of its record)
 *   hash         = SHA-256(canonical JSON of {seq, kind, id, scope, at, recordSha256, prevHash})
 * with prevHash the hash of the entry before it (64 zeros for the first). Editing a record breaks
 * its recordSha256; editing, removing or reordering entries breaks a prevHash or a seq. Pruning
 * clears a record but keeps its recordSha256 and hash, so the chain still verifies.
 * An optional Ed25519 signature over `hash` lets an auditor check a chain they did not produce.
 *
 * Stores keep a record gzip-compressed (`record_gz`, schema version 3): a 2,000-host record is
 * ~35 MB of canonical JSON and ~1 MB compressed. The text is hashed and compressed piece by piece,
 * so the whole text is never in memory while a run is recorded. Rows written before version 3 keep
 * their text in `record`; a row's record is its `record` text when that is set, else its
 * decompressed `record_gz` ({@link storedRecordText}), so text written over a row is what is verified.
 */

export const GENESIS = "0".repeat(64);

export function entryHash(e: Pick<ChainRow, "seq" | "kind" | "id" | "scope" | "at" | "recordSha256" | "prevHash">): string {
  return sha256(canonicalJson({ seq: e.seq, kind: e.kind, id: e.id, scope: e.scope, at: e.at, recordSha256: e.recordSha256, prevHash: e.prevHash }));
}

/** A builder for HistoryStore.append: links `record` after the store's newest entry. */
export function linkEntry(
  entry: { kind: ChainRow["kind"]; id: string; scope: string; at: string; record: unknown },
  signer?: KeyObject,
): (last: ChainMeta | undefined) => NewChainRow {
  const { recordGz, recordSha256 } = compressRecord(entry.record);
  return (last) => {
    const base = { seq: (last?.seq ?? 0) + 1, kind: entry.kind, id: entry.id, scope: entry.scope, at: entry.at, recordSha256, prevHash: last?.hash ?? GENESIS };
    const hash = entryHash(base);
    return { ...base, recordGz, hash, signature: signer ? sign(null, Buffer.from(hash), signer).toString("base64") : null };
  };
}

/** About 1 MB of text per gzip member: a stored record is a run of members, which gunzip reads as one. */
const MEMBER_CHARS = 1 << 20;

/** The record's canonical JSON, hashed (UTF-8) and gzip-compressed a piece at a time. */
export function compressRecord(record: unknown): { recordGz: Buffer; recordSha256: string } {
  const hash = createHash("sha256");
  const members: Buffer[] = [];
  for (const text of batches(canonicalPieces(record), MEMBER_CHARS)) {
    hash.update(text, "utf8");
    members.push(gzipSync(text));
  }
  return { recordGz: Buffer.concat(members), recordSha256: hash.digest("hex") };
}

/** A stored row's record text: its plain `record` column when set, else its decompressed `record_gz`; null once pruned. */
export function storedRecordText(record: string | null, recordGz: Uint8Array | null): string | null {
  if (record !== null) return record;
  return recordGz === null ? null : gunzipSync(recordGz).toString("utf8");
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  pruned: number;
  signed: number;
  /** The first entry that does not check, and why. */
  problem?: { seq: number; id: string; kind: string; reason: string };
}

/** Walks the chain in seq order. With `publicKey`, every entry must carry a valid signature. */
export function verifyChain(rows: ChainRow[], publicKey?: KeyObject): VerifyResult {
  let prev = GENESIS;
  let pruned = 0;
  let signed = 0;
  const fail = (r: ChainRow, reason: string): VerifyResult => ({ ok: false, entries: rows.length, pruned, signed, problem: { seq: r.seq, id: r.id, kind: r.kind, reason } });
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.seq !== i + 1) return fail(r, i + 1 < r.seq ? `entry ${i + 1} before it is missing (removed)` : `out of order: seq ${r.seq} at position ${i + 1}`);
    if (r.prevHash !== prev) return fail(r, "its previous-hash does not match the entry before it (an entry was removed, inserted or reordered)");
    if (r.record === null) pruned++;
    else if (sha256(r.record) !== r.recordSha256) return fail(r, "its record was edited (SHA-256 of the record does not match)");
    if (entryHash(r) !== r.hash) return fail(r, "its stored hash does not match its contents (edited)");
    if (publicKey) {
      if (!r.signature) return fail(r, "not signed");
      if (!verify(null, Buffer.from(r.hash), publicKey, Buffer.from(r.signature, "base64"))) return fail(r, "its Ed25519 signature does not verify");
      signed++;
    } else if (r.signature) signed++;
    prev = r.hash;
  }
  return { ok: true, entries: rows.length, pruned, signed };
}

export const loadPrivateKey = (pem: string): KeyObject => createPrivateKey(pem);
export const loadPublicKey = (pem: string): KeyObject => createPublicKey(pem);
