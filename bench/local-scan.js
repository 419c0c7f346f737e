// Wall time of a local scan (target ≤ 3 s on the 2-core machine): probe, parse, evaluate, report.
import { fmt, readReport, requireBuild, runCli, stats, timeRuns } from "./lib.js";

requireBuild();
let last;
const s = stats(timeRuns(5, () => (last = runCli(["scan", "--format", "json", "--quiet"]))));
const report = await readReport(last.stdout, "stdout");
console.log(`local scan (${process.getuid?.() === 0 ? "root" : "non-root"}): median ${fmt(s.median)} (min ${fmt(s.min)}, max ${fmt(s.max)}, ${s.runs} runs)`);
console.log(`  ${report.findings.length} findings, exit code ${last.status}`);
