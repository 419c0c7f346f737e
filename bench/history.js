// History numbers: record a 2,000-host run, `history diff` of two 2,000-host runs (target ≤ 1 s),
// database size per 2,000-host run, `history verify` over 1,000 runs. Hosts are the golden facts'
// Linux host (test/data/golden-facts.json) cloned with their own ids and accounts; the second run
// adds an account on every 10th host. Writes only to a temp dir. Usage: node bench/history.js [HOSTS]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { BIN, ROOT, requireBuild } from "./lib.js";

requireBuild();
const { prepare, evaluateFacts } = await import("../dist/pipeline.js");
const { SqliteStore } = await import("../dist/history/sqlite.js");
const { recordRun, resolveBaseline } = await import("../dist/history/session.js");
const { scopeOf } = await import("../dist/history/record.js");
const { linkEntry, verifyChain } = await import("../dist/history/chain.js");
const { storedIndex, verifyIndexes } = await import("../dist/history/run-index.js");

const HOSTS = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), "hsh-bench-"));
const golden = JSON.parse(readFileSync(join(ROOT, "test/data/golden-facts.json"), "utf8"));
const base = golden.targets.find((t) => t.target.id === "ssh://admin@ehr-db");

function facts(extraEvery) {
  const targets = Array.from({ length: HOSTS }, (_, i) => {
    const t = structuredClone(base);
    t.target.id = `ssh://admin@10.1.${i >> 8}.${i & 255}`;
    t.facts.accounts.users = [...t.facts.accounts.users, ...Array.from({ length: 8 }, (_, u) => ({ ...t.facts.accounts.users[0], name: `user${u}`, uid: 1000 + u, password: "set" }))];
    if (extraEvery && i % extraEvery === 0) t.facts.accounts.users.push({ ...t.facts.accounts.users[0], name: "eve", uid: 1099, password: "empty" });
    return t;
  });
  return { ...golden, targets };
}

const run = { rulePaths: [], params: {}, failOn: "high" };
const prepared = await prepare(run);
const file = join(dir, "history.db");
const store = new SqliteStore(file);
const ms = (t0) => (performance.now() - t0).toFixed(0);

const f1 = facts(0);
const r1 = evaluateFacts(f1, run, prepared);
let t0 = performance.now();
const scope = scopeOf(r1.targets.map((t) => t.id));
await recordRun(store, r1, f1, { command: "scan", baseline: await resolveBaseline(store, "last", scope), failOnNew: false });
console.log(`history write, ${HOSTS}-host run (${r1.findings.length} findings): ${ms(t0)} ms`);
const f2 = facts(10);
const r2 = evaluateFacts(f2, run, prepared);
t0 = performance.now();
await recordRun(store, r2, f2, { command: "scan", baseline: await resolveBaseline(store, "last", scope), failOnNew: false });
console.log(`history write with drift against the previous ${HOSTS}-host run: ${ms(t0)} ms`);
const indexes = await store.runIndexes();
const indexBytes = [...indexes.values()].reduce((n, i) => n + i.data.length + i.evidence.length, 0);
await store.close();
const size = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
console.log(`database size: ${(size / 2 / 1e6).toFixed(1)} MB per ${HOSTS}-host run (${(size / 1e6).toFixed(1)} MB for 2 runs; drift index ${(indexBytes / indexes.size / 1e6).toFixed(1)} MB per run)`);

const diffTimes = [];
for (let i = 0; i < 3; i++) {
  t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, "history", "diff", "--history", file, "--format", "json"], { encoding: "utf8", maxBuffer: 1 << 28 });
  diffTimes.push(performance.now() - t0);
  if (r.status !== 0) throw new Error(r.stderr);
  if (i === 0) console.log(`  (diff found ${JSON.parse(r.stdout).findings.new.length} new findings)`);
}
diffTimes.sort((a, b) => a - b);
console.log(`hipaa-scan history diff, two ${HOSTS}-host runs (whole CLI, median of 3): ${diffTimes[1].toFixed(0)} ms`);

const vfile = join(dir, "verify.db");
const vstore = new SqliteStore(vfile);
const small = evaluateFacts(golden, run, prepared);
const { buildRunRecord } = await import("../dist/history/record.js");
for (let i = 0; i < 1000; i++) {
  const rec = buildRunRecord(small, golden, "scan", `run-${i}`);
  await vstore.append(linkEntry({ kind: "run", id: rec.id, scope: rec.scope, at: rec.startedAt, record: rec }), storedIndex(rec));
}
t0 = performance.now();
const rows = await vstore.entries();
const result = verifyChain(rows);
const chainMs = ms(t0);
const indexResult = verifyIndexes(rows, await vstore.runIndexes());
console.log(`history verify over 1,000 runs (3 targets, ${small.findings.length} findings each): ${ms(t0)} ms in-process (${chainMs} ms the chain, the rest rebuilding ${indexResult.indexed} drift indexes), ok=${result.ok && indexResult.ok}`);
await vstore.close();
t0 = performance.now();
const v = spawnSync(process.execPath, [BIN, "history", "verify", "--history", vfile], { encoding: "utf8" });
console.log(`hipaa-scan history verify over 1,000 runs (whole CLI): ${ms(t0)} ms, exit ${v.status}`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
else console.log(dir);
