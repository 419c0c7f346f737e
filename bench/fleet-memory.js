// Peak RSS, wall time, scanner CPU and JSON report bytes per host of the whole `scan` pipeline
// (probe-output parsing, rules, risk register, history record with its drift index, JSON report)
// for N hosts in one process, without the network: the SSH collector's transport is replaced by a
// replay of one probe output recorded on this machine, with a 20 ms wait per host so many are in
// flight at once, through the real shell collector (src/collectors/host-shell.ts). Each size runs
// in a fresh child process with a fresh SQLite history. No root, no lab; bench/ssh-fleet.js
// measures the same with real SSH sessions behind a 50 ms round trip.
// Run: npm run build && node bench/fleet-memory.js [sizes, default 500,2000,10000]
// EXTRA='--no-history' (space-separated) adds scan flags, e.g. to tell the history's share of the peak.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, readReport, requireBuild } from "./lib.js";

requireBuild();

if (process.argv[2] === "--child") {
  const [, , , n, dir] = process.argv;
  const { buildProbeScript } = await import(`${ROOT}dist/probes/script.js`);
  const { localRunner } = await import(`${ROOT}dist/transports/local.js`);
  const { collectors } = await import(`${ROOT}dist/collectors/index.js`);
  const { collectHostOverShell } = await import(`${ROOT}dist/collectors/host-shell.js`);
  const { script, mark } = buildProbeScript();
  const recorded = (await localRunner(script, { signal: AbortSignal.timeout(60_000), maxOutputBytes: 16 << 20 })).stdout;
  // Each probe carries a fresh nonce (HS_MARK); the replay answers with it, as a host would.
  const replay = async (s) => {
    await new Promise((r) => setTimeout(r, 20));
    return { stdout: recorded.split(mark).join(/^HS_MARK='([^']+)'/m.exec(s)[1]), stderr: "", exitCode: 0 };
  };
  collectors.ssh = async () => ({ collect: (target, ctx) => collectHostOverShell(target, replay, ctx, "host/ssh") });
  const { run } = await import(`${ROOT}dist/cli/main.js`);
  const targets = Array.from({ length: Number(n) }, (_, i) => `ssh://scan@10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
  process.env.HIPAA_SCAN_HISTORY = join(dir, "history.db");
  const t0 = process.hrtime.bigint();
  // The quiet problem lines of a failing gate go to stdout, which the parent discards.
  const code = await run(["scan", ...targets, "--format", "json", "--output", join(dir, "report.json"), "--quiet", ...(process.env.EXTRA ? process.env.EXTRA.split(" ") : [])]);
  const cpu = process.cpuUsage();
  process.stderr.write(`@@bench ${JSON.stringify({ code, wallMs: Number(process.hrtime.bigint() - t0) / 1e6, maxRssKiB: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  process.exit(0);
}

const SIZES = (process.argv[2] ?? "500,2000,10000").split(",").map(Number);
for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), "hipaa-fleet-memory-"));
  try {
    const child = spawn(process.execPath, [new URL(import.meta.url).pathname, "--child", String(n), dir], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    await new Promise((res) => child.on("close", res));
    const m = /@@bench (\{.*\})/.exec(err);
    if (!m) {
      console.log(`${n} hosts: the scan did not finish normally:\n${err.slice(-2000)}`);
      process.exitCode = 1;
      continue;
    }
    const r = JSON.parse(m[1]);
    const report = join(dir, "report.json");
    const bytes = statSync(report).size;
    const rep = await readReport(readFileSync(report, "utf8"), report);
    const db = join(dir, "history.db");
    const history = existsSync(db) ? `history ${(statSync(db).size / n / 1024).toFixed(1)} KB/host` : "no history";
    console.log(
      `${n} hosts: wall ${(r.wallMs / 1000).toFixed(1)} s, CPU ${(r.cpuMs / 1000).toFixed(1)} s = ${(r.cpuMs / n).toFixed(1)} ms/host, ` +
        `peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MB, JSON ${(bytes / n / 1024).toFixed(1)} KB/host, ${history}, ` +
        `${rep.targets.length} targets, ${rep.findings.length} findings, exit ${r.code}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
