// Catastrophic regex: `^(a+)+$` over n 'a' and a 'b', JavaScript's backtracking RegExp against RE2
// (re2-wasm, the engine pack and param patterns run on). Native doubles with each n, so it is
// measured only up to a small n; RE2 at n = 35 (the case) and n = 100 000.
import { performance } from "node:perf_hooks";
import { requireBuild } from "./lib.js";

requireBuild();
const { compilePattern } = await import("../dist/engine/pattern.js");
const PATTERN = "^(a+)+$";
const time = (f) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
const native = new RegExp(PATTERN, "i");
for (const n of [20, 22, 24, 26]) {
  const s = `${"a".repeat(n)}b`;
  console.log(`native RegExp  n=${n}: ${time(() => native.test(s)).toFixed(1)} ms`);
}
const re2 = compilePattern(PATTERN);
for (const n of [26, 35, 100_000]) {
  const s = `${"a".repeat(n)}b`;
  re2.test(s); // warm
  console.log(`RE2 (re2-wasm) n=${n}: ${time(() => re2.test(s)).toFixed(3)} ms`);
}
