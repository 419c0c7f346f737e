/**
 * What a shell-capable transport (local, SSH, WinRM) offers the host collector: run one fixed
 * command with a script on stdin, and return its output. The command is chosen by hipaa-scan,
 * never built from target text.
 */
export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the process was killed or the connection dropped before an exit status came. */
  exitCode: number | null;
  /** Output passed `maxOutputBytes` and the rest was dropped. */
  truncated: boolean;
}

export interface ExecOptions {
  signal: AbortSignal;
  /** Stop collecting output past this many bytes (stdout and stderr each). */
  maxOutputBytes: number;
}

/** Runs the probe: `stdin` is the whole script, fed to `sh -s` (or PowerShell reading stdin). */
export type ProbeRunner = (stdin: string, opts: ExecOptions) => Promise<ExecResult>;

/** Default output cap for a whole probe: 16 MiB. */
export const MAX_PROBE_OUTPUT = 16 * 1024 * 1024;
