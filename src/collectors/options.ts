import type { CollectOptions } from "./types.js";

/** Deadline per host or directory target when `--timeout` is not given. */
export const DEFAULT_TIMEOUT_MS = 120_000;
/** Deadline per `--network` target when `--timeout` is not given: nmap on a busy /24 takes minutes. */
export const DEFAULT_NETWORK_TIMEOUT_MS = 1_800_000;

/** Collect options with every default filled in; the CLI and the tests start from the same values. */
export function collectOptions(overrides: Partial<CollectOptions> = {}): CollectOptions {
  return {
    timeoutMs: DEFAULT_TIMEOUT_MS,
    networkTimeoutMs: DEFAULT_NETWORK_TIMEOUT_MS,
    identityFiles: [],
    acceptNewHostKeys: false,
    sudo: false,
    starttls: false,
    insecureTls: false,
    allowCleartextBind: false,
    networkProfile: "standard",
    ...overrides,
  };
}
