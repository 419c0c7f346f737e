import { spawn } from "node:child_process";
import { childEnv } from "./child-env.js";
import type { ExecOptions, ExecResult, ProbeRunner } from "./types.js";

/** Collects a stream up to `max` bytes; the rest is dropped and flagged. */
class CappedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    if (this.size >= this.max) {
      this.truncated = true;
      return;
    }
    const room = this.max - this.size;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.size = this.max;
      this.truncated = true;
    } else {
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/**
 * Runs the probe on this machine: `sh -s` from an argument array (no shell parses anything of
 * ours), the script on stdin. The child gets its own process group so an abort (deadline, Ctrl-C)
 * or an output overflow kills the shell and everything it started. It gets a scrubbed environment
 * ({@link childEnv}): no secret of ours reaches the programs the probe runs.
 */
export const localRunner: ProbeRunner = (stdin: string, opts: ExecOptions): Promise<ExecResult> =>
  new Promise((resolve, reject) => {
    if (opts.signal.aborted) {
      resolve({ stdout: "", stderr: "", exitCode: null, truncated: false });
      return;
    }
    const child = spawn("sh", ["-s"], { stdio: ["pipe", "pipe", "pipe"], detached: true, env: childEnv() });
    const out = new CappedBuffer(opts.maxOutputBytes);
    const err = new CappedBuffer(opts.maxOutputBytes);
    let settled = false;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const onAbort = () => killGroup();
    opts.signal.addEventListener("abort", onAbort, { once: true });

    child.stdout.on("data", (c: Buffer) => {
      out.push(c);
      if (out.truncated) killGroup();
    });
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.stdin.on("error", () => {
      // The shell may exit before reading all of stdin (killed, or a syntax error): its exit says why.
    });
    child.on("error", (e) => {
      if (settled) return;
      settled = true;
      opts.signal.removeEventListener("abort", onAbort);
      reject(e);
    });
    child.on("close", (code) => {
      if (settled) return;
      settled = true;
      opts.signal.removeEventListener("abort", onAbort);
      resolve({ stdout: out.text(), stderr: err.text(), exitCode: code, truncated: out.truncated || err.truncated });
    });
    child.stdin.end(stdin);
  });
