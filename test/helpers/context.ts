import { collectOptions } from "../../src/collectors/options.js";
import type { CollectContext, CollectOptions, ProgressEvent } from "../../src/collectors/types.js";

/** A collect context for tests: defaults from src/collectors/options.ts, no secrets, quiet logs. */
export function testContext(
  o: {
    options?: Partial<CollectOptions>;
    password?: string;
    signal?: AbortSignal;
    progress?: (e: ProgressEvent) => void;
    log?: CollectContext["log"];
    now?: Date;
  } = {},
): CollectContext {
  const now = o.now ?? new Date();
  return {
    options: collectOptions(o.options),
    secrets: { password: async () => o.password },
    signal: o.signal ?? new AbortController().signal,
    progress: o.progress ?? (() => undefined),
    log: o.log ?? { verbose: () => undefined, warn: () => undefined },
    now: () => now,
  };
}
