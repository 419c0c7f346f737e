// Runs the CLI in this process (as bin/hipaa-scan.js does) and reports its exit code and peak RSS
// on stderr. Started by bench/ssh-fleet.js inside the hss-bcli namespace.
// With --collector-only, runs just the SSH collector over the targets with a bounded loop of
// CONCURRENCY (default 32, the CLI's default), to separate the transport's cost from the pipeline's.
const argv = process.argv.slice(2);
const t0 = process.hrtime.bigint();
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
const cpu = process.cpuUsage();
process.stderr.write(`\n@@bench ${JSON.stringify({ code, wallMs, maxRssKiB: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
process.exit(0);
