/**
 * Errors a user can act on. The CLI prints these as one line without a stack; anything else is a
 * bug and keeps its stack. Their exit code is decided in src/core/exit-codes.ts.
 */
export class HipaaScanError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags, bad target strings, bad inventory or params: nothing was scanned. */
export class UsageError extends HipaaScanError {}

/** A facts file that is corrupt, of another version, or not a facts file at all. */
export class FactsFileError extends HipaaScanError {}

/** A report file (JSON) that is corrupt, of an unknown version, or not a report at all. */
export class ReportFileError extends HipaaScanError {}

/** One problem in a rule pack, located as file:line:col. */
export interface RuleProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** A rule pack that failed to load, validate or compile; lists every problem found. */
export class RulePackError extends HipaaScanError {
  constructor(readonly problems: RuleProblem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** A configuration file (alternative measures, inventory) with problems at file:line:col. */
export class ConfigFileError extends RulePackError {}

export function formatProblem(p: RuleProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/**
 * A transport could not do its job for one target. `status` says how the target ends in the report;
 * the scan of other targets goes on.
 */
export class TransportError extends HipaaScanError {
  constructor(
    readonly status: "unreachable" | "auth_failed" | "host_key_mismatch" | "error",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Text a target sent (probe output, XML, a plist) that cannot be parsed: the target ends with `error`. */
export class RemoteOutputError extends TransportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("error", message, options);
  }
}

export function isKnownError(err: unknown): err is HipaaScanError {
  return err instanceof HipaaScanError;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
