import { isKnownError } from "../core/errors.js";
import { stripControl } from "../core/untrusted-text.js";
import { EXIT } from "./main.js";

/** Known errors print one line (or one per rule problem) without a stack; bugs keep theirs. */
export function reportError(err: unknown): number {
  if (isKnownError(err)) {
    process.stderr.write(`hipaa-scan: ${stripControl(err.message).replace(/\n/g, "\nhipaa-scan: ")}\n`);
    return err.exitCode;
  }
  process.stderr.write(`hipaa-scan: internal error (please report it):\n${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.usage;
}
