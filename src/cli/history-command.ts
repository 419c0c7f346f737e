import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { UsageError } from "../core/errors.js";
import { linkEntry, loadPrivateKey, loadPublicKey, verifyChain } from "../history/chain.js";
import { computeDrift, trendOf } from "../history/drift.js";
import { HistoryError } from "../history/errors.js";
import { historyLocation, openStore } from "../history/location.js";
import { newRunId, type ReviewRecord } from "../history/record.js";
import { loadChangedEvidence, loadPair, verifyIndexes } from "../history/run-index.js";
import type { ChainMeta, HistoryStore } from "../history/types.js";
import { renderDriftText } from "../reporters/drift.js";
import { plainStyle } from "../reporters/types.js";
import { stripControl } from "../core/untrusted-text.js";

interface StoreOpts {
  history?: string;
}
const out = (s: string) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);

async function withStore<T>(opts: StoreOpts, fn: (store: HistoryStore) => Promise<T>): Promise<T> {
  const store = await openStore(historyLocation(opts.history, process.env, homedir()));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function historyList(opts: StoreOpts & { unreviewed?: boolean; format?: string }): Promise<number> {
  return withStore(opts, async (store) => {
    const rows = await store.list();
    const reviewed = new Map<string, string>();
    for (const r of rows) if (r.kind === "review") reviewed.set(r.scope, r.at);
    const runs = rows.filter((r) => r.kind === "run").map((r) => ({ id: r.id, at: r.at, scope: r.scope, hash: r.hash, pruned: r.prunedAt !== null, reviewedAt: reviewed.get(r.id) ?? null }));
    const shown = opts.unreviewed ? runs.filter((r) => !r.reviewedAt) : runs;
    if (opts.format === "json") {
      out(JSON.stringify(shown, null, 2));
      return 0;
    }
    for (const r of shown) out(`${r.id}  ${r.at}  scope ${r.scope}  ${r.reviewedAt ? `reviewed ${r.reviewedAt}` : "NOT REVIEWED"}${r.pruned ? "  (pruned)" : ""}`);
    const unreviewed = runs.filter((r) => !r.reviewedAt).length;
    out(`${runs.length} run(s), ${unreviewed} not reviewed`);
    return 0;
  });
}

export async function historyShow(id: string, opts: StoreOpts): Promise<number> {
  return withStore(opts, async (store) => {
    const row = await store.get(id);
    if (!row) throw new UsageError(`no run or review ${id} in the history`);
    out(JSON.stringify({ ...row, record: row.record ? JSON.parse(row.record) : null }, null, 2));
    return 0;
  });
}

export async function historyDiff(a: string | undefined, b: string | undefined, opts: StoreOpts & { format?: string; failOnNew?: boolean }): Promise<number> {
  return withStore(opts, async (store) => {
    // Only the chain's metadata and the two runs' drift indexes are read (src/history/run-index.ts),
    // an index's evidence pool only when a finding's evidence changed; a record only for a run without an index.
    const entries = await store.list();
    const byId = (id: string) => entries.find((e) => e.id === id);
    let newerMeta: ChainMeta | undefined;
    let olderMeta: ChainMeta | undefined;
    if (a && b) {
      olderMeta = byId(a);
      newerMeta = byId(b);
    } else if (a) {
      olderMeta = byId(a);
      newerMeta = olderMeta ? (await store.runMetasOfScope(olderMeta.scope, 1))[0] : undefined;
    } else {
      const newest = entries.filter((r) => r.kind === "run" && r.prunedAt === null).at(-1);
      [newerMeta, olderMeta] = newest ? await store.runMetasOfScope(newest.scope, 2) : [];
    }
    const pair = newerMeta && olderMeta ? await loadPair(store, newerMeta, olderMeta) : undefined;
    if (!pair) throw new UsageError(a ? `run ${a}${b ? ` or ${b}` : ""} is not in the history (or was pruned)` : "the history holds fewer than two runs of the same targets");
    const [newer, older] = pair;
    await loadChangedEvidence(newer, older);
    const drift = computeDrift(newer.record, { record: older.record, source: "history" });
    if (opts.format === "json") out(JSON.stringify({ from: older.record.id, to: newer.record.id, ...drift, trend: trendOf([older.record, newer.record]) }, null, 2));
    else out(renderDriftText(drift, plainStyle).join("\n"));
    return opts.failOnNew && drift.findings.new.length > 0 ? 1 : 0;
  });
}

export async function historyVerify(opts: StoreOpts & { publicKey?: string }): Promise<number> {
  let key: ReturnType<typeof loadPublicKey> | undefined;
  if (opts.publicKey) {
    try {
      key = loadPublicKey(readFileSync(opts.publicKey, "utf8"));
    } catch (err) {
      throw new UsageError(`--public-key ${opts.publicKey}: ${(err as Error).message}`);
    }
  }
  return withStore(opts, async (store) => {
    const rows = await store.entries();
    const result = verifyChain(rows, key);
    if (!result.ok) {
      const p = result.problem!;
      out(`history verify: BROKEN at ${p.kind} ${stripControl(p.id)} (entry ${p.seq}): ${p.reason}`);
      return 1;
    }
    // The drift indexes are derived data: each must be what its (now verified) record gives.
    const indexes = verifyIndexes(rows, await store.runIndexes());
    if (!indexes.ok) {
      const p = indexes.problem!;
      out(`history verify: BROKEN at run ${stripControl(p.id)} (entry ${p.seq}): ${p.reason}`);
      return 1;
    }
    out(`history verify: intact — ${result.entries} entr${result.entries === 1 ? "y" : "ies"}, ${result.pruned} pruned, ${result.signed} signed${key ? " and verified with the public key" : ""}, ${indexes.indexed} drift index${indexes.indexed === 1 ? "" : "es"} match their records (${store.location})`);
    return 0;
  });
}

export async function historyReview(runId: string, opts: StoreOpts & { by: string; note?: string; signKey?: string }): Promise<number> {
  const signer = opts.signKey ? loadPrivateKey(readFileSync(opts.signKey, "utf8")) : undefined;
  if (!opts.by.trim()) throw new UsageError("--by needs a name");
  return withStore(opts, async (store) => {
    const run = await store.get(runId);
    if (!run || run.kind !== "run") throw new UsageError(`no run ${runId} in the history`);
    const at = new Date();
    const review: ReviewRecord = { format: "hipaa-scan-review", version: 1, id: newRunId(at, "review-"), runId, by: opts.by, at: at.toISOString(), ...(opts.note ? { note: opts.note } : {}) };
    const row = await store.append(linkEntry({ kind: "review", id: review.id, scope: runId, at: review.at, record: review }, signer));
    out(`review ${review.id} of run ${runId} by ${stripControl(opts.by)} recorded (hash ${row.hash})`);
    return 0;
  });
}

/** `6y`, `18m`, `90d` → the ISO time that far back. */
export function cutoff(keep: string, now = new Date()): string {
  const m = /^(\d+)([ymd])$/.exec(keep.trim());
  if (!m) throw new UsageError(`--keep ${keep}: give an age such as 6y, 18m or 90d`);
  const n = Number(m[1]);
  const d = new Date(now);
  if (m[2] === "y") d.setUTCFullYear(d.getUTCFullYear() - n);
  else if (m[2] === "m") d.setUTCMonth(d.getUTCMonth() - n);
  else d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString();
}

export async function historyPrune(opts: StoreOpts & { keep?: string }): Promise<number> {
  const keep = opts.keep ?? "6y";
  const before = cutoff(keep);
  if (before > cutoff("6y")) {
    throw new UsageError(`--keep ${keep} is shorter than six years: HIPAA documentation must be kept six years (45 CFR 164.316(b)(2)(i)); refusing`);
  }
  return withStore(opts, async (store) => {
    const n = await store.prune(before, new Date().toISOString());
    const check = verifyChain(await store.entries());
    if (!check.ok) throw new HistoryError(`pruned ${n} run(s) but the chain does not verify: ${check.problem?.reason}`);
    out(`pruned the records of ${n} run(s) older than ${before}; their hashes stay and the chain verifies`);
    return 0;
  });
}
