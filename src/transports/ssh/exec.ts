import { randomBytes } from "node:crypto";
import type { Client, ClientChannel } from "ssh2";
import type { ExecOptions, ExecResult, ProbeRunner } from "../types.js";

/**
 * Runs the probe in ONE exec request on an SSH session: the script goes to stdin, nothing is
 * written on the target. The remote command is fixed text plus a random nonce — never target or
 * user text. No pty is requested, so login rc files that check for a terminal stay quiet.
 *
 * With sudo, a small fixed wrapper falls back to the unprivileged shell when sudo refuses, so the
 * same single exec still yields every section a normal user can read:
 *
 *   sh -c 'sudo -n sh -c "echo ROOT >&2; sh -s; exit 0" || { echo USER >&2; exec sh -s; }'
 *
 * With a sudo password, `sudo -S -p PROMPT` is used instead: the password is written to stdin
 * only after sudo printed our nonce prompt on stderr (so it can never be read by the shell as a
 * command), and the script only after the ROOT or USER marker. A second prompt means the password
 * was refused; remaining prompts get empty lines until sudo gives up and the fallback runs.
 */
export type PrivilegeMode = "none" | "sudo" | "sudo-password";

export interface RunnerState {
  /** How the probe actually ran: as root via sudo, or as the login user. */
  ranAs: "root" | "user" | "unknown";
  /** sudo refused the password that was supplied. */
  sudoPasswordRefused: boolean;
  /** First line sudo printed when it refused (cleaned by the caller before use). */
  sudoMessage?: string;
  /** The connection dropped before the command finished. */
  connectionLost: boolean;
  /** Exec requests sent on this session (always 1 for a probe). */
  execs: number;
}

export interface SshRunner {
  run: ProbeRunner;
  state: RunnerState;
}

export function probeCommand(mode: PrivilegeMode | "powershell", nonce: string): string {
  const root = `hss-root-${nonce}`;
  const user = `hss-user-${nonce}`;
  switch (mode) {
    case "none":
      return "sh -s";
    case "powershell":
      return "powershell -NoProfile -NonInteractive -Command -";
    case "sudo":
      return `sh -c 'sudo -n sh -c "echo ${root} >&2; sh -s; exit 0" || { echo ${user} >&2; exec sh -s; }'`;
    case "sudo-password":
      return `sh -c 'sudo -S -p "hss-pw-${nonce}:" sh -c "echo ${root} >&2; sh -s; exit 0" || { echo ${user} >&2; exec sh -s; }'`;
  }
}

function count(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

export function makeSshRunner(
  client: Client,
  mode: PrivilegeMode | "powershell",
  sudoPassword?: string,
): SshRunner {
  const state: RunnerState = { ranAs: mode === "none" || mode === "powershell" ? "user" : "unknown", sudoPasswordRefused: false, connectionLost: false, execs: 0 };
  const nonce = randomBytes(8).toString("hex");
  const rootMark = `hss-root-${nonce}`;
  const userMark = `hss-user-${nonce}`;
  const promptMark = `hss-pw-${nonce}:`;

  const run: ProbeRunner = (stdin: string, opts: ExecOptions): Promise<ExecResult> =>
    new Promise((resolve) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outBytes = 0;
      let errBytes = 0;
      let truncated = false;
      let exitCode: number | null = null;
      let finished = false;
      let channel: ClientChannel | undefined;
      let errText = "";
      let promptsAnswered = 0;
      let scriptSent = false;

      const finish = () => {
        if (finished) return;
        finished = true;
        opts.signal.removeEventListener("abort", onAbort);
        client.removeListener("close", onClientClose);
        let stderr = Buffer.concat(err).toString("utf8");
        // The wrapper's markers and prompts are ours, not the host's.
        for (const m of [rootMark, userMark]) stderr = stderr.split(`${m}\n`).join("").split(m).join("");
        stderr = stderr.split(promptMark).join("");
        resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr, exitCode, truncated });
      };
      const onAbort = () => {
        channel?.close();
        finish();
      };
      const onClientClose = () => {
        if (exitCode === null) state.connectionLost = true;
        finish();
      };
      if (opts.signal.aborted) return finish();
      opts.signal.addEventListener("abort", onAbort, { once: true });
      client.once("close", onClientClose);

      const sendScript = () => {
        if (scriptSent || !channel) return;
        scriptSent = true;
        channel.end(stdin);
      };
      const onStderrText = (chunk: Buffer) => {
        if (mode !== "sudo" && mode !== "sudo-password") return;
        errText += chunk.toString("latin1");
        if (errText.length > 65_536) errText = errText.slice(-4096);
        if (state.ranAs === "unknown") {
          if (errText.includes(rootMark)) state.ranAs = "root";
          else if (errText.includes(userMark)) {
            state.ranAs = "user";
            // What sudo said before giving up, e.g. "sudo: a password is required" or "scan is not in the sudoers file."
            const before = errText.slice(0, errText.indexOf(userMark)).split(promptMark).join("");
            const line = before.split("\n").map((l) => l.trim()).find((l) => l !== "" && !/^Sorry, try again/.test(l));
            if (line) state.sudoMessage = line.slice(0, 300);
          }
        }
        if (mode === "sudo-password" && !scriptSent) {
          const prompts = count(errText, promptMark);
          while (promptsAnswered < prompts && state.ranAs === "unknown") {
            // First prompt: the password. Any further prompt: it was refused; empty answers make sudo give up.
            if (promptsAnswered === 0) channel?.write(`${sudoPassword ?? ""}\n`);
            else {
              state.sudoPasswordRefused = true;
              channel?.write("\n");
            }
            promptsAnswered++;
          }
          if (state.ranAs !== "unknown") sendScript();
        }
      };

      state.execs++;
      client.exec(probeCommand(mode, nonce), (e, ch) => {
        if (e) {
          state.connectionLost = true;
          err.push(Buffer.from(`exec failed: ${e.message}\n`));
          return finish();
        }
        channel = ch;
        const take = (list: Buffer[], chunk: Buffer, which: "out" | "err") => {
          const used = which === "out" ? outBytes : errBytes;
          const room = opts.maxOutputBytes - used;
          if (room <= 0 || chunk.length > room) {
            if (room > 0) list.push(chunk.subarray(0, room));
            if (which === "out") outBytes = opts.maxOutputBytes;
            else errBytes = opts.maxOutputBytes;
            if (!truncated) {
              truncated = true;
              ch.close();
            }
            return;
          }
          list.push(chunk);
          if (which === "out") outBytes += chunk.length;
          else errBytes += chunk.length;
        };
        ch.on("data", (chunk: Buffer) => take(out, chunk, "out"));
        ch.stderr.on("data", (chunk: Buffer) => {
          take(err, chunk, "err");
          onStderrText(chunk);
        });
        ch.on("exit", (code: number | null) => {
          exitCode = typeof code === "number" ? code : null;
        });
        ch.on("close", finish);
        ch.on("error", () => finish());
        // Without a password, sudo -n never reads stdin: the script can go at once.
        if (mode !== "sudo-password") sendScript();
      });
    });
  return { run, state };
}
