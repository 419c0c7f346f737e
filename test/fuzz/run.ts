import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { errorMessage, isKnownError } from "../../src/core/errors.js";
import type { FuzzTarget } from "./targets.js";

/** Longest one case may take: parsers see at most a few hundred KiB here. */
export const CASE_TIME_BOUND_MS = 2000;

/** The invariant: a value, or one of our typed errors, within the time bound. */
export async function checkCase(target: FuzzTarget, input: string): Promise<void> {
  const t0 = performance.now();
  try {
    await target.run(input);
  } catch (err) {
    if (!isKnownError(err)) {
      const name = (err as Error)?.constructor?.name ?? typeof err;
      throw new Error(`${target.name}: untyped ${name}: ${errorMessage(err).slice(0, 300)}`, { cause: err });
    }
  }
  const ms = performance.now() - t0;
  if (ms > CASE_TIME_BOUND_MS) throw new Error(`${target.name}: one case took ${Math.round(ms)} ms (bound ${CASE_TIME_BOUND_MS} ms)`);
}

export interface FuzzRun {
  target: string;
  cases: number;
  ms: number;
  seed: number;
  failure?: string;
}

/** Runs one target for `numRuns` cases or `timeLimitMs`, whichever ends first. */
export async function fuzz(target: FuzzTarget, o: { seed: number; numRuns: number; timeLimitMs?: number }): Promise<FuzzRun> {
  let cases = 0;
  const t0 = performance.now();
  const details = await fc.check(
    fc.asyncProperty(target.input, async (input) => {
      cases++;
      await checkCase(target, input);
    }),
    { seed: o.seed, numRuns: o.numRuns, ...(o.timeLimitMs ? { interruptAfterTimeLimit: o.timeLimitMs } : {}), endOnFailure: true },
  );
  const ms = performance.now() - t0;
  const run: FuzzRun = { target: target.name, cases, ms, seed: o.seed };
  if (details.failed) {
    const input = details.counterexample?.[0];
    run.failure = `${errorMessage(details.errorInstance)} — seed ${details.seed}, path ${details.counterexamplePath}, input ${JSON.stringify(input)?.slice(0, 300)}`;
  }
  return run;
}
