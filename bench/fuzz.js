// Longer fuzzing of every loader and parser (test/fuzz/targets.ts): `node bench/fuzz.js [SECONDS]`
// (default 120) splits the time over the targets, each with a fresh seed, and prints cases per
// second per target and any failure with its seed (replay: FUZZ_SEED=<seed> npx vitest run
// --project unit test/unit/fuzz). Runs through vitest, which compiles the TypeScript targets.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const seconds = Number(process.argv[2] ?? 120);
if (!(seconds > 0)) {
  console.error("usage: node bench/fuzz.js [SECONDS]");
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
const r = spawnSync("npx", ["vitest", "run", "--project", "unit", "test/unit/fuzz/fuzz.test.ts", "--reporter", "dot", "--silent", "false"], {
  cwd: root,
  env: { ...process.env, FUZZ_SECONDS: String(seconds) },
  encoding: "utf8",
});
const ESC = String.fromCharCode(27);
const plain = (l) => l.split(ESC).map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, ""))).join("").trim();
const out = `${r.stdout}\n${r.stderr}`;
const lines = out.split("\n").map(plain).filter((l) => /^(fuzz |FAILED:)/.test(l));
for (const l of lines) console.log(l);
if (lines.length === 0) console.log(out);
process.exitCode = r.status ?? 1;
