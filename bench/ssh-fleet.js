// Fleet wall time, peak RSS and JSON report bytes per host for N SSH hosts at each concurrency
// given, each host behind a TCP proxy adding 25 ms each way (50 ms round trip; no netem here), and
// the same probe through parallel-ssh (Debian's pssh) at the same concurrency when it is installed.
// Needs root (network namespaces); run through hs-lab on shared machines.
// Run: npm run build && node bench/ssh-fleet.js [sizes, default 50,200,500] [concurrencies, default 32]
//   e.g. hs-lab node bench/ssh-fleet.js 500,2000 32,64,128,256
// COLLECTOR_ONLY=1 adds runs of the SSH collector alone (no rules, no report); PSSH_AT=32 limits
// the parallel-ssh runs to those concurrencies. Scanner CPU is the CLI process's user+system time.
//
// Layout: namespace hsz-bsrv (10.203.75.1) runs bench/ssh-fleet-server.js: an ssh2 server replaying
// a real probe output recorded on this machine, with one delay-proxy port per host (not OpenSSH:
// the target side stays cheap, so the numbers measure the scanner); namespace hsz-bcli
// (10.203.75.2, no route out) runs the scanner: `hipaa-scan scan ssh://scan@10.203.75.1:PORT …`.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, readReport, requireBuild } from "./lib.js";

requireBuild();
const SIZES = (process.argv[2] ?? "50,200,500").split(",").map(Number);
const CONCURRENCIES = (process.argv[3] ?? "32").split(",").map(Number);
const COLLECTOR_ONLY_RUNS = process.env.COLLECTOR_ONLY === "1";
const NS_SRV = "hsz-bsrv";
const NS_CLI = "hsz-bcli";
const SRV_IP = "10.203.75.1";
// NO_PSSH=1 skips the parallel-ssh runs.
const PSSH = process.env.NO_PSSH === "1" ? undefined : ["/usr/bin/parallel-ssh", "/usr/bin/pssh"].find((p) => existsSync(p));
// PSSH_AT=32,256: run parallel-ssh only at these concurrencies (default: each one given).
const PSSH_AT = process.env.PSSH_AT ? process.env.PSSH_AT.split(",").map(Number) : undefined;
const DELAY_MS = 25;
const FIRST_PORT = 20000;
const dir = mkdtempSync(join(tmpdir(), "hsz-bench-"));
const ip = (...a) => execFileSync("ip", a, { stdio: "pipe" });

function teardown() {
  for (const ns of [NS_SRV, NS_CLI]) {
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
  ip("netns", "add", NS_SRV);
  ip("netns", "add", NS_CLI);
  ip("link", "add", "hsz-b0", "type", "veth", "peer", "name", "hsz-b1");
  ip("link", "set", "hsz-b0", "netns", NS_SRV);
  ip("link", "set", "hsz-b1", "netns", NS_CLI);
  ip("-n", NS_SRV, "addr", "add", `${SRV_IP}/24`, "dev", "hsz-b0");
  ip("-n", NS_CLI, "addr", "add", "10.203.75.2/24", "dev", "hsz-b1");
  for (const [ns, dev] of [[NS_SRV, "hsz-b0"], [NS_CLI, "hsz-b1"]]) {
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
  writeFileSync(join(dir, "probe.sh"), script);
  server = spawn("ip", ["netns", "exec", NS_SRV, process.execPath, join(ROOT, "bench/ssh-fleet-server.js"),
    join(dir, "host"), join(dir, "client.pub"), join(dir, "probe.out"), mark, SRV_IP, String(FIRST_PORT), String(maxN), String(DELAY_MS)], { stdio: ["ignore", "pipe", "inherit"] });
  let serverOut = "";
  await new Promise((res, rej) => {
    server.stdout.on("data", (d) => {
      serverOut += d;
      if (serverOut.includes("ready")) res();
    });
    server.on("exit", (c) => rej(new Error(`server exited ${c}`)));
  });

  for (const n of SIZES) {
    for (const c of CONCURRENCIES) {
      const kh = join(dir, `known_hosts-${n}-${c}`);
      const report = join(dir, `report-${n}-${c}.json`);
      const targets = Array.from({ length: n }, (_, i) => `ssh://scan@${SRV_IP}:${FIRST_PORT + i}`);
      const args = ["scan", ...targets, "--identity", join(dir, "client"), "--known-hosts", kh, "--accept-new-host-keys", "--concurrency", String(c), "--format", "json", "--output", report, "--quiet"];
      const t0 = Date.now();
      // A fresh history store per run: each run is a first run of its scope (no baseline or trend
      // of an earlier bench run loaded), whoever ran the bench before on this machine.
      const env = { ...process.env, HIPAA_SCAN_HISTORY: join(dir, `history-${n}-${c}.db`) };
      const child = spawn("ip", ["netns", "exec", NS_CLI, process.execPath, join(ROOT, "bench/ssh-fleet-child.js"), ...args], { stdio: ["ignore", "ignore", "pipe"], env });
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      await new Promise((res) => child.on("close", res));
      const wall = Date.now() - t0;
      const m = /@@bench (\{.*\})/.exec(err);
      if (!m) {
        console.log(`${n} hosts, concurrency ${c}: the scan did not finish normally:\n${err.slice(-2000)}`);
        continue;
      }
      const r = JSON.parse(m[1]);
      if (process.env.MEM_TRACE) for (const line of err.match(/@@mem .*/g) ?? []) console.log(line);
      const bytes = statSync(report).size;
      const rep = await readReport(readFileSync(report, "utf8"), report);
      const byStatus = {};
      for (const t of rep.targets) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
      console.log(
        `${n} hosts, concurrency ${c} (+${DELAY_MS} ms each way): wall ${(wall / 1000).toFixed(1)} s (scan ${(r.wallMs / 1000).toFixed(1)} s), ` +
          `scanner CPU ${(r.cpuMs / 1000).toFixed(1)} s = ${(r.cpuMs / n).toFixed(1)} ms/host, peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MB, JSON ${(bytes / 1e6).toFixed(1)} MB = ${(bytes / n / 1024).toFixed(1)} KB/host, ` +
          `targets ${JSON.stringify(byStatus)}, findings ${rep.findings.length}, exit ${r.code}`,
      );
      rmSync(report, { force: true });
    }
    if (PSSH) {
      // The same probe script through parallel-ssh at each concurrency: transport only, no parsing or judging.
      const hosts = join(dir, `pssh-hosts-${n}`);
      writeFileSync(hosts, Array.from({ length: n }, (_, i) => `scan@${SRV_IP}:${FIRST_PORT + i}`).join("\n") + "\n");
      for (const c of PSSH_AT ?? CONCURRENCIES) {
        const out = join(dir, `pssh-out-${n}-${c}`);
        const t0 = Date.now();
        const r = spawnSync("ip", ["netns", "exec", NS_CLI, PSSH, "-h", hosts, "-p", String(c), "-t", "300", "-I", "-o", out,
          "-x", `-i ${join(dir, "client")} -o UserKnownHostsFile=${join(dir, `pssh-kh-${n}-${c}`)} -o StrictHostKeyChecking=accept-new -o BatchMode=yes`, "sh -s"],
          { input: readFileSync(join(dir, "probe.sh")), encoding: "utf8", maxBuffer: 64 << 20 });
        const wall = Date.now() - t0;
        const ok = (r.stdout.match(/\[SUCCESS\]/g) ?? []).length;
        console.log(`${n} hosts, parallel-ssh -p ${c} (same probe, same fleet): wall ${(wall / 1000).toFixed(1)} s, ${ok}/${n} succeeded`);
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
  // The same fleet through the SSH collector alone (bounded loop, no rule evaluation or report).
  for (const n of COLLECTOR_ONLY_RUNS ? SIZES : []) {
    const targets = Array.from({ length: n }, (_, i) => `ssh://scan@${SRV_IP}:${FIRST_PORT + i}`);
    const child = spawn("ip", ["netns", "exec", NS_CLI, process.execPath, join(ROOT, "bench/ssh-fleet-child.js"), "--collector-only", join(dir, "client"), join(dir, `known_hosts-c${n}`), ...targets], { stdio: ["ignore", "ignore", "pipe"] });
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
