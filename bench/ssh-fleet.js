// Fleet wall time and peak RSS for 50, 200 and 500 SSH hosts (target for 500: ≤ 20 s, ≤ 300 MB on
// the 2-core machine), at the CLI's default concurrency, each host behind a TCP proxy adding 25 ms
// each way (no netem here). Needs root (network namespaces). Run: npm run build && node bench/ssh-fleet.js [50,200,500]
//
// Layout: namespace hss-bsrv (10.77.9.1) runs bench/ssh-fleet-server.js: an ssh2 server replaying a
// real probe output recorded on this machine, with one delay-proxy port per host; namespace hss-bcli
// (10.77.9.2, no route out) runs the scanner: `hipaa-scan scan ssh://scan@10.77.9.1:PORT …`.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, requireBuild } from "./lib.js";

requireBuild();
const SIZES = (process.argv[2] ?? "50,200,500").split(",").map(Number);
const COLLECTOR_ONLY_RUNS = process.env.COLLECTOR_ONLY === "1";
const DELAY_MS = 25;
const FIRST_PORT = 20000;
const dir = mkdtempSync(join(tmpdir(), "hss-bench-"));
const ip = (...a) => execFileSync("ip", a, { stdio: "pipe" });

function teardown() {
  for (const ns of ["hss-bsrv", "hss-bcli"]) {
    try {
      ip("netns", "del", ns);
    } catch {
      /* not there */
    }
  }
}

let server;
try {
  teardown();
  ip("netns", "add", "hss-bsrv");
  ip("netns", "add", "hss-bcli");
  ip("link", "add", "hss-b0", "type", "veth", "peer", "name", "hss-b1");
  ip("link", "set", "hss-b0", "netns", "hss-bsrv");
  ip("link", "set", "hss-b1", "netns", "hss-bcli");
  ip("-n", "hss-bsrv", "addr", "add", "10.77.9.1/24", "dev", "hss-b0");
  ip("-n", "hss-bcli", "addr", "add", "10.77.9.2/24", "dev", "hss-b1");
  for (const [ns, dev] of [["hss-bsrv", "hss-b0"], ["hss-bcli", "hss-b1"]]) {
    ip("-n", ns, "link", "set", dev, "up");
    ip("-n", ns, "link", "set", "lo", "up");
  }
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "client")]);

  // A real probe output from this machine, to be replayed by every fake host.
  const { buildProbeScript } = await import(`${ROOT}dist/probes/script.js`);
  const { localRunner } = await import(`${ROOT}dist/transports/local.js`);
  const { script, mark } = buildProbeScript();
  const rec = await localRunner(script, { signal: AbortSignal.timeout(60_000), maxOutputBytes: 16 << 20 });
  writeFileSync(join(dir, "probe.out"), rec.stdout);
  console.log(`recorded probe output: ${rec.stdout.length} bytes`);

  const maxN = Math.max(...SIZES);
  server = spawn("ip", ["netns", "exec", "hss-bsrv", process.execPath, join(ROOT, "bench/ssh-fleet-server.js"),
    join(dir, "host"), join(dir, "client.pub"), join(dir, "probe.out"), mark, "10.77.9.1", String(FIRST_PORT), String(maxN), String(DELAY_MS)], { stdio: ["ignore", "pipe", "inherit"] });
  let serverOut = "";
  await new Promise((res, rej) => {
    server.stdout.on("data", (d) => {
      serverOut += d;
      if (serverOut.includes("ready")) res();
    });
    server.on("exit", (c) => rej(new Error(`server exited ${c}`)));
  });

  for (const n of COLLECTOR_ONLY_RUNS ? [] : SIZES) {
    const kh = join(dir, `known_hosts-${n}`);
    const report = join(dir, `report-${n}.json`);
    const targets = Array.from({ length: n }, (_, i) => `ssh://scan@10.77.9.1:${FIRST_PORT + i}`);
    const args = ["scan", ...targets, "--identity", join(dir, "client"), "--known-hosts", kh, "--accept-new-host-keys", "--format", "json", "--output", report, "--quiet"];
    const t0 = Date.now();
    const child = spawn("ip", ["netns", "exec", "hss-bcli", process.execPath, join(ROOT, "bench/ssh-fleet-child.js"), ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    await new Promise((res) => child.on("close", res));
    const wall = Date.now() - t0;
    const m = /@@bench (\{.*\})/.exec(err);
    if (!m) {
      console.log(`${n} hosts: the scan did not finish normally:\n${err.slice(-2000)}`);
      continue;
    }
    const r = JSON.parse(m[1]);
    const rep = JSON.parse(readFileSync(report, "utf8"));
    const byStatus = {};
    for (const t of rep.targets) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
    console.log(
      `${n} hosts (+${DELAY_MS} ms each way, default concurrency): wall ${(wall / 1000).toFixed(1)} s (scan ${(r.wallMs / 1000).toFixed(1)} s), ` +
        `peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MB, targets ${JSON.stringify(byStatus)}, findings ${rep.findings.length}, exit ${r.code}`,
    );
  }
  // The same fleet through the SSH collector alone (bounded loop, no rule evaluation or report).
  for (const n of SIZES) {
    const targets = Array.from({ length: n }, (_, i) => `ssh://scan@10.77.9.1:${FIRST_PORT + i}`);
    const child = spawn("ip", ["netns", "exec", "hss-bcli", process.execPath, join(ROOT, "bench/ssh-fleet-child.js"), "--collector-only", join(dir, "client"), join(dir, `known_hosts-c${n}`), ...targets], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    await new Promise((res) => child.on("close", res));
    const m = /@@bench (\{.*\})/.exec(err);
    const st = /@@statuses (\{.*\})/.exec(err);
    if (!m) {
      console.log(`${n} hosts, collector only: did not finish normally:\n${err.slice(-2000)}`);
      continue;
    }
    const r = JSON.parse(m[1]);
    console.log(`${n} hosts, SSH collector only (concurrency ${process.env.CONCURRENCY ?? 32}): ${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MB, targets ${st?.[1]}`);
  }
  server.kill("SIGTERM");
  await new Promise((res) => server.on("close", res));
  const counts = /\{"execs".*\}/.exec(serverOut);
  if (counts) console.log(`server side: ${counts[0]} (exec requests and sessions over all runs; one per host per run)`);
} finally {
  server?.kill("SIGKILL");
  teardown();
  rmSync(dir, { recursive: true, force: true });
}
