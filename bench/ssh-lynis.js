// The local probe against `lynis audit system --quick` on the same machine, as a wall-time ratio.
// Both run as the current user on this host (run as root for the full probe). Prints numbers only.
// Run: npm run build && node bench/ssh-lynis.js
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, requireBuild, stats, fmt } from "./lib.js";

requireBuild();
const RUNS = Number(process.env.RUNS ?? 3);
const { buildProbeScript } = await import(`${ROOT}dist/probes/script.js`);
const { localRunner } = await import(`${ROOT}dist/transports/local.js`);

const probeTimes = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = process.hrtime.bigint();
  await localRunner(buildProbeScript().script, { signal: AbortSignal.timeout(120_000), maxOutputBytes: 16 << 20 });
  probeTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const lynisTimes = [];
const work = mkdtempSync(join(tmpdir(), "hss-lynis-"));
try {
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync("lynis", ["audit", "system", "--quick", "--no-colors", "--logfile", join(work, "lynis.log"), "--report-file", join(work, "lynis.dat")], { stdio: "ignore" });
    if (r.error) throw r.error;
    lynisTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const p = stats(probeTimes.sort((a, b) => a - b));
const l = stats(lynisTimes.sort((a, b) => a - b));
console.log(`hipaa-scan probe (sh -s): median ${fmt(p.median)} over ${p.runs} runs`);
console.log(`lynis audit system --quick: median ${fmt(l.median)} over ${l.runs} runs`);
console.log(`ratio probe / lynis: ${(p.median / l.median).toFixed(3)} (lynis takes ${(l.median / p.median).toFixed(1)}× as long)`);
