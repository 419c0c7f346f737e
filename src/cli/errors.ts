import { errorOutcome } from "../core/exit-codes.js";

/** Prints the error that ended a command and returns its exit code (src/core/exit-codes.ts decides both). */
export function reportError(err: unknown): number {
  const { code, text } = errorOutcome(err);
  process.stderr.write(text);
  return code;
}
