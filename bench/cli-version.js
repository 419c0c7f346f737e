// Wall time of `hipaa-scan --version` (target ≤ 150 ms on the 2-core machine): Node start-up,
// the CLI module and commander — nothing heavy may load before a command needs it.
import { spawnSync } from "node:child_process";
import { fmt, requireBuild, runCli, stats, timeRuns } from "./lib.js";

requireBuild();
runCli(["--version"]); // warm the file cache
const s = stats(timeRuns(20, () => runCli(["--version"])));
const bare = stats(timeRuns(20, () => spawnSync(process.execPath, ["-e", "0"])));
console.log(`hipaa-scan --version: median ${fmt(s.median)} (min ${fmt(s.min)}, max ${fmt(s.max)}, ${s.runs} runs)`);
console.log(`for scale, node -e 0 with the same spawn: median ${fmt(bare.median)}`);
