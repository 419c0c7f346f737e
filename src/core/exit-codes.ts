import { isKnownError } from "./errors.js";
import { stripControl } from "./untrusted-text.js";

/**
 * Every exit code hipaa-scan returns, and what decides each: the gate of a report, the outcome of
 * `collect`, and the error that ends a command. The CLI returns these; only bin/ sets
 * `process.exitCode`.
 */
export const EXIT = {
  /** The gate passed (or `collect` reached every target). */
  ok: 0,
  /** A finding at or above `--fail-on` failed. */
  failed: 1,
  /** Usage, configuration, rule-pack or facts-file error, or a bug: nothing was scanned or the run cannot be trusted. */
  usage: 2,
  /** Nothing failed over the bar, but a target or check could not be completed. */
  incomplete: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
/** The codes a report's gate can give (a report exists, so it is never a usage error). */
export type GateExitCode = typeof EXIT.ok | typeof EXIT.failed | typeof EXIT.incomplete;

/** The gate: 1 when something failed over the bar, else 3 when something is incomplete, else 0. */
export function gateExitCode(failed: number, incomplete: number): GateExitCode {
  return failed > 0 ? EXIT.failed : incomplete > 0 ? EXIT.incomplete : EXIT.ok;
}

/** `collect` judges nothing: 0 when every target was fully collected, else 3. */
export function collectExitCode(statuses: readonly string[]): ExitCode {
  return statuses.every((s) => s === "ok") ? EXIT.ok : EXIT.incomplete;
}

/**
 * How an error that ends a command is told to the user: a typed error (src/core/errors.ts) as its
 * message, one line per problem, without a stack; anything else is a bug and keeps its stack.
 * Both end with 2: nothing was scanned, or the run cannot be trusted.
 */
export function errorOutcome(err: unknown): { code: ExitCode; text: string } {
  if (isKnownError(err)) return { code: EXIT.usage, text: `hipaa-scan: ${stripControl(err.message).replace(/\n/g, "\nhipaa-scan: ")}\n` };
  return { code: EXIT.usage, text: `hipaa-scan: internal error (please report it):\n${(err as Error)?.stack ?? String(err)}\n` };
}
