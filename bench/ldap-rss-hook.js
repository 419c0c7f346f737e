// Loaded with `node --import` by bench/ldap-scan.js: writes this process's peak RSS (KiB) and
// wall time to the file named in HSL_BENCH_STATS when the process exits.
import { writeFileSync } from "node:fs";

const started = performance.now();
process.on("exit", () => {
  const file = process.env.HSL_BENCH_STATS;
  if (file) writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, wallMs: performance.now() - started }));
});
