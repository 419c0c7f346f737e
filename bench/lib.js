// Small timing helpers shared by the benchmarks. They print numbers; they assert nothing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BIN = `${ROOT}bin/hipaa-scan.js`;

export function requireBuild() {
  if (!existsSync(`${ROOT}dist/cli/main.js`)) {
    console.error("dist/ is missing: run npm run build first");
    process.exit(2);
  }
}

/** Runs `fn` `runs` times and returns the sorted wall times in milliseconds. */
export function timeRuns(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

export function stats(times) {
  const median = times[Math.floor(times.length / 2)];
  return { runs: times.length, min: times[0], median, max: times[times.length - 1] };
}

export function runCli(args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 256 * 1024 * 1024 });
  return r;
}

export const fmt = (ms) => `${ms.toFixed(1)} ms`;

/** A JSON report the CLI wrote (either schema version), read as hipaa-scan reads it (dist/report/read.js). */
export async function readReport(text, where = "report") {
  const { reportFromJson } = await import(`${ROOT}dist/report/read.js`);
  return reportFromJson(JSON.parse(text), where);
}
