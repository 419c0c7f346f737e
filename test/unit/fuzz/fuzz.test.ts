import { beforeAll, describe, expect, it } from "vitest";
import { fuzz } from "../../fuzz/run.js";
import { TARGETS, prepareTargets } from "../../fuzz/targets.js";

/**
 * Property-based fuzzing of every loader and parser (issue 10, "keep them fixed"): a fixed seed and
 * a bounded number of cases here; `node bench/fuzz.js SECONDS` runs the same targets longer with
 * fresh seeds (FUZZ_SECONDS) and prints cases per second.
 */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 0);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

beforeAll(async () => {
  await prepareTargets();
});

describe("fuzz: returns a value or throws a typed error, within the time bound", () => {
  for (const target of TARGETS) {
    it(target.name, async () => {
      const run = SECONDS > 0
        ? await fuzz(target, { seed: Date.now() ^ (Math.random() * 2 ** 31), numRuns: Number.MAX_SAFE_INTEGER, timeLimitMs: (SECONDS * 1000) / TARGETS.length })
        : await fuzz(target, { seed: SEED, numRuns: target.slow ? 40 : 300 });
      if (SECONDS > 0) console.log(`fuzz ${target.name}: ${run.cases} cases in ${(run.ms / 1000).toFixed(1)} s = ${Math.round(run.cases / (run.ms / 1000))}/s, seed ${run.seed}${run.failure ? `\nFAILED: ${run.failure}` : ""}`);
      expect(run.failure).toBeUndefined();
      expect(run.cases).toBeGreaterThan(0);
    }, SECONDS > 0 ? SECONDS * 1000 + 60_000 : 20_000);
  }
});
