// WinRM: HTTP requests and wall time per host for the whole Windows probe, against the WinRM test
// server on 127.0.0.1 (no root, no Windows needed). Run `npm run build` first.
//   node bench/winrm-probe.js [hosts=50] [concurrency=10]
// Prints: requests per host (target <= 8), wall time per host (min/median/p95/max) for NTLM with
// message encryption over HTTP, with N hosts probed at the given concurrency (each host is its own
// client and TCP connection to the server), and one full `hipaa-scan scan winrm://…` CLI run.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, fmt, readReport, requireBuild, runCli } from "./lib.js";
import { buildTestServer, startTestServer } from "./winrm-lib.js";

requireBuild();
const hosts = Number(process.argv[2] ?? 50);
const concurrency = Number(process.argv[3] ?? 10);
const { WinRmClient } = await import(`${ROOT}dist/transports/winrm/client.js`);
const { windowsProbeCommand, windowsProbeStdin } = await import(`${ROOT}dist/probes/windows/script.js`);

buildTestServer();
const user = "bench";
const password = randomBytes(12).toString("base64url");
const server = await startTestServer({ user, password });
const cmd = windowsProbeCommand();
const stdin = Buffer.from(windowsProbeStdin());

async function probeOnce(target = { port: server.port, https: false }) {
  const client = new WinRmClient({ host: "127.0.0.1", user, password, signal: AbortSignal.timeout(60_000), ...target });
  const t0 = process.hrtime.bigint();
  const r = await client.run(cmd.command, cmd.args, stdin, 16 * 1024 * 1024);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  client.close();
  if (r.exitCode !== 0) throw new Error(`probe failed: ${r.stderr}`);
  return { ms, requests: client.requests, bytes: Buffer.byteLength(r.stdout) };
}

try {
  await probeOnce(); // warm-up (JIT, first TCP connection)
  const results = [];
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, hosts) }, async () => {
      while (next < hosts) {
        next++;
        results.push(await probeOnce());
      }
    }),
  );
  const totalMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const reqs = [...new Set(results.map((r) => r.requests))];
  const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`winrm probe (NTLM + message encryption over HTTP, test server on loopback)`);
  console.log(`  HTTP requests per host: ${reqs.join(", ")} (target <= 8)`);
  console.log(`  probe output per host: ${results[0].bytes} bytes`);
  console.log(`  hosts: ${hosts}, concurrency: ${concurrency}, total ${fmt(totalMs)} (${(hosts / (totalMs / 1000)).toFixed(1)} hosts/s)`);
  console.log(`  wall time per host: min ${fmt(times[0])}, median ${fmt(pick(0.5))}, p95 ${fmt(pick(0.95))}, max ${fmt(times[times.length - 1])}`);

  process.env.HSW_BENCH_PW = password; // runCli passes the environment on; never argv
  const t1 = process.hrtime.bigint();
  const r = runCli(["scan", `winrm://${user}@127.0.0.1:${server.port}`, "--password-env", "HSW_BENCH_PW", "--format", "json"]);
  const cliMs = Number(process.hrtime.bigint() - t1) / 1e6;
  let findings = "?";
  try {
    findings = (await readReport(r.stdout, "stdout")).findings.length;
  } catch {
    findings = `unparsed output (${(r.stderr || "").slice(0, 200)})`;
  }
  console.log(`  full CLI scan of one host (process start, rules, probe, report): ${fmt(cliMs)}, exit ${r.status}, ${findings} findings`);
} finally {
  await server.stop();
}

// HTTPS with Basic (certificate verified against a throw-away CA file).
const dir = mkdtempSync(join(tmpdir(), "hsw-bench-tls-"));
try {
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  const tlsServer = await startTestServer({ user, password, tlsKey: join(dir, "key.pem"), tlsCert: join(dir, "cert.pem") });
  try {
    const target = { port: tlsServer.port, https: true, auth: "basic", ca: readFileSync(join(dir, "cert.pem")) };
    await probeOnce(target);
    const runs = [];
    for (let i = 0; i < 20; i++) runs.push(await probeOnce(target));
    const t = runs.map((r) => r.ms).sort((a, b) => a - b);
    console.log(`winrms probe (Basic over HTTPS, certificate verified), 20 hosts one at a time`);
    console.log(`  HTTP requests per host: ${[...new Set(runs.map((r) => r.requests))].join(", ")}`);
    console.log(`  wall time per host: min ${fmt(t[0])}, median ${fmt(t[10])}, max ${fmt(t[19])}`);
  } finally {
    await tlsServer.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
