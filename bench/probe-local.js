// Wall time of the local host probe alone (target ≤ 3 s on the 2-core machine): the shell run of the
// probe, and the whole local collector (probe + split + parse + clean). Prints numbers only.
import { existsSync } from "node:fs";
import { fmt, ROOT, stats } from "./lib.js";

if (!existsSync(`${ROOT}dist/collectors/host-local.js`)) {
  console.error("dist/ is missing: run npm run build first");
  process.exit(2);
}
const { localHostCollector } = await import(`${ROOT}dist/collectors/host-local.js`);
const { localRunner } = await import(`${ROOT}dist/transports/local.js`);
const { buildProbeScript } = await import(`${ROOT}dist/probes/script.js`);
const { collectOptions } = await import(`${ROOT}dist/collectors/options.js`);

const RUNS = Number(process.env.RUNS ?? 5);
const ctx = {
  options: collectOptions({ timeoutMs: 60_000, networkProfile: "quick" }),
  secrets: { password: async () => undefined },
  signal: new AbortController().signal,
  progress: () => undefined,
  log: { verbose: () => undefined, warn: () => undefined },
  now: () => new Date(),
};
const target = { kind: "host", scheme: "local", id: "local", tags: {} };

async function time(fn) {
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    last = await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { s: stats(times.sort((a, b) => a - b)), last };
}

const who = process.getuid?.() === 0 ? "root" : "non-root";
const shell = await time(() => localRunner(buildProbeScript().script, { signal: ctx.signal, maxOutputBytes: 16 * 1024 * 1024 }));
console.log(`probe sh -s (${who}): median ${fmt(shell.s.median)} (min ${fmt(shell.s.min)}, max ${fmt(shell.s.max)}, ${shell.s.runs} runs), ${shell.last.stdout.length} bytes`);
const coll = await time(() => localHostCollector.collect(target, ctx));
console.log(`local collector (${who}): median ${fmt(coll.s.median)} (min ${fmt(coll.s.min)}, max ${fmt(coll.s.max)}, ${coll.s.runs} runs), status ${coll.last.status}`);
