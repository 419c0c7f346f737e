// Fleet wall time, peak RSS and JSON report bytes per host for N SSH hosts at each concurrency
// given, each host behind a TCP proxy adding 25 ms each way (50 ms round trip; no netem here), and
// the same probe through parallel-ssh (Debian's pssh) at the same concurrency when it is installed.
// Needs root (network namespaces); run through hs-lab on shared machines.
// Run: npm run build && node bench/ssh-fleet.js [sizes, default 50,200,500] [concurrencies, default 32]
//   e.g. hs-lab node bench/ssh-fleet.js 500,2000 32,64,128,256
// SHARDS=1,2 runs each size also as 2 shard processes at once, merged (the jump box's other core).
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
const SHARDS = (process.env.SHARDS ?? "1").split(",").map(Number);
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

/** CPU seconds (user + system) the process `pid` has used so far, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** One child running `hipaa-scan ARGS` inside the client namespace; its @@bench line. */
async function child(args, env) {
  const p = spawn("ip", ["netns", "exec", NS_CLI, process.execPath, join(ROOT, "bench/ssh-fleet-child.js"), ...args], { stdio: ["ignore", "ignore", "pipe"], env });
  let err = "";
  p.stderr.on("data", (d) => (err += d));
  await new Promise((res) => p.on("close", res));
  const m = /@@bench (\{.*\})/.exec(err);
  if (!m) throw new Error(`the scan did not finish normally:\n${err.slice(-2000)}`);
  if (process.env.MEM_TRACE) for (const line of err.match(/@@mem .*/g) ?? []) console.log(line);
  return { ...JSON.parse(m[1]), stderr: err };
}

/**
 * N hosts at concurrency C, as one process, or as SHARDS processes at once on this machine
 * (`--shard K/SHARDS`, concurrency C each) merged with `hipaa-scan merge`: the wall time includes the merge.
 */
async function scanRun(n, c, shards) {
  const targets = Array.from({ length: n }, (_, i) => `ssh://scan@${SRV_IP}:${FIRST_PORT + i}`);
  const tag = `${n}-${c}-${shards}`;
  const reports = Array.from({ length: shards }, (_, k) => join(dir, `report-${tag}-${k + 1}.json`));
  const serverCpu0 = cpuSeconds(server.pid);
  const t0 = Date.now();
  let runs;
  try {
    runs = await Promise.all(reports.map((report, k) => {
      const args = ["scan", ...targets, "--identity", join(dir, "client"), "--known-hosts", join(dir, `known_hosts-${tag}-${k + 1}`), "--accept-new-host-keys",
        "--concurrency", String(c), "--format", "json", "--output", report, "--quiet", ...(shards > 1 ? ["--shard", `${k + 1}/${shards}`] : [])];
      // A fresh history store per run: each run is a first run of its scope (no baseline or trend
      // of an earlier bench run loaded), whoever ran the bench before on this machine.
      return child(args, { ...process.env, HIPAA_SCAN_HISTORY: join(dir, `history-${tag}-${k + 1}.db`) });
    }));
  } catch (err) {
    console.log(`${n} hosts, concurrency ${c}, ${shards} process(es): ${err.message}`);
    return;
  }
  let report = reports[0];
  if (shards > 1) {
    report = join(dir, `report-${tag}-merged.json`);
    const m = spawnSync(process.execPath, [join(ROOT, "bin/hipaa-scan.js"), "merge", ...reports, "--format", "json", "--output", report, "--quiet"], { encoding: "utf8" });
    if (!existsSync(report)) return console.log(`${n} hosts: merge failed (exit ${m.status}): ${m.stderr.slice(-500)}`);
  }
  const wall = Date.now() - t0;
  const serverCpu = cpuSeconds(server.pid) - serverCpu0;
  const bytes = statSync(report).size;
  const rep = await readReport(readFileSync(report, "utf8"), report);
  const byStatus = {};
  for (const t of rep.targets) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  const cpuMs = runs.reduce((a, r) => a + r.cpuMs, 0);
  const how = shards > 1 ? `${shards} shard processes, concurrency ${c} each, merged` : `concurrency ${c}`;
  console.log(
    `${n} hosts, ${how} (+${DELAY_MS} ms each way): wall ${(wall / 1000).toFixed(1)} s (scan ${(Math.max(...runs.map((r) => r.wallMs)) / 1000).toFixed(1)} s), ` +
      `scanner CPU ${(cpuMs / 1000).toFixed(1)} s = ${(cpuMs / n).toFixed(1)} ms/host, fleet server CPU ${serverCpu.toFixed(1)} s, peak RSS ${(Math.max(...runs.map((r) => r.maxRssKiB)) / 1024).toFixed(0)} MB, ` +
      `JSON ${(bytes / 1e6).toFixed(1)} MB = ${(bytes / n / 1024).toFixed(1)} KB/host, targets ${JSON.stringify(byStatus)}, findings ${rep.findings.length}, exit ${runs.map((r) => r.code).join("/")}`,
  );
  for (const f of [...reports, report]) rmSync(f, { force: true });
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
      for (const shards of SHARDS) await scanRun(n, c, shards);
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
    let r;
    try {
      r = await child(["--collector-only", join(dir, "client"), join(dir, `known_hosts-c${n}`), ...targets], process.env);
    } catch (err) {
      console.log(`${n} hosts, collector only: ${err.message}`);
      continue;
    }
    const st = /@@statuses (\{.*\})/.exec(r.stderr);
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
