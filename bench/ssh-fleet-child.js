// Runs the CLI in this process (as bin/hipaa-scan.js does) and reports its exit code and peak RSS
// on stderr. Started by bench/ssh-fleet.js inside the hss-bcli namespace.
const { run } = await import("../dist/cli/main.js");
const t0 = process.hrtime.bigint();
const code = await run(process.argv.slice(2));
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
process.stderr.write(`\n@@bench ${JSON.stringify({ code, wallMs, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exit(0);
