// Runs the CLI in this process (as bin/hipaa-scan.js does) and reports its exit code and peak RSS
// on stderr. Started by bench/ssh-fleet.js inside the hss-bcli namespace.
// With --collector-only, runs just the SSH collector over the targets with a bounded loop of
// CONCURRENCY (default 32, the CLI's default), to separate the transport's cost from the pipeline's.
const argv = process.argv.slice(2);
const t0 = process.hrtime.bigint();
// MEM_TRACE=MS: every MS milliseconds, a full GC and the live heap, to tell kept memory from garbage.
if (process.env.MEM_TRACE) {
  const v8 = await import("node:v8");
  const vm = await import("node:vm");
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc");
  const every = Number(process.env.MEM_TRACE);
  const timer = setInterval(() => {
    const before = process.memoryUsage();
    gc();
    const m = process.memoryUsage();
    process.stderr.write(`@@mem ${JSON.stringify({ s: Number(process.hrtime.bigint() - t0) / 1e9, rssMB: before.rss / 1e6, heapBeforeGcMB: before.heapUsed / 1e6, liveHeapMB: m.heapUsed / 1e6, externalMB: m.external / 1e6, arrayBuffersMB: m.arrayBuffers / 1e6 })}\n`);
  }, every);
  timer.unref();
}
// CPU_PROF=FILE: a V8 CPU profile of the scan, for Chrome DevTools (--cpu-prof is not allowed in NODE_OPTIONS).
let profiler;
if (process.env.CPU_PROF) {
  const { Session } = await import("node:inspector");
  profiler = new Session();
  profiler.connect();
  await new Promise((res) => profiler.post("Profiler.enable", () => profiler.post("Profiler.start", res)));
}
let code;
if (argv[0] === "--collector-only") {
  const { sshHostCollector } = await import("../dist/collectors/host-ssh.js");
  const { parseTarget } = await import("../dist/core/targets.js");
  const [, identity, knownHostsFile, ...uris] = argv;
  const options = { timeoutMs: 120_000, identityFiles: [identity], knownHostsFile, acceptNewHostKeys: true, sudo: false, starttls: false, insecureTls: false, networkProfile: "standard" };
  const statuses = {};
  let next = 0;
  const worker = async () => {
    while (next < uris.length) {
      const uri = uris[next++];
      const ctx = { options, secrets: { password: async () => undefined }, signal: AbortSignal.timeout(120_000), progress() {}, log: { verbose() {}, warn() {} }, now: () => new Date() };
      const f = await sshHostCollector.collect(parseTarget(uri), ctx);
      statuses[f.status] = (statuses[f.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.CONCURRENCY ?? 32) }, worker));
  code = 0;
  process.stderr.write(`\n@@statuses ${JSON.stringify(statuses)}\n`);
} else {
  const { run } = await import("../dist/cli/main.js");
  code = await run(argv);
}
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
if (profiler) {
  const { writeFileSync } = await import("node:fs");
  await new Promise((res) => profiler.post("Profiler.stop", (err, r) => res(err ? undefined : writeFileSync(process.env.CPU_PROF, JSON.stringify(r.profile)))));
}
const cpu = process.cpuUsage();
process.stderr.write(`\n@@bench ${JSON.stringify({ code, wallMs, maxRssKiB: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
process.exit(0);
