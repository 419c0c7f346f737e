import type { TargetFacts, TargetSpec, TargetStatus } from "../core/model.js";
import { TransportError } from "../core/errors.js";
import { safeText } from "../core/untrusted-text.js";
import { failedTargetFacts, failureReason } from "./target-result.js";
import type { CollectContext, Collector } from "./types.js";
import { collectHostOverShell } from "./host-shell.js";
import { connectSsh, type SshSession } from "../transports/ssh/connect.js";
import { makeSshRunner, type PrivilegeMode, type RunnerState } from "../transports/ssh/exec.js";
import { resolveSsh, type ResolvedSsh } from "../transports/ssh/options.js";

const NAME = "host/ssh";

/** Facts for a target that was not probed: status, reason, and `os` unknown for the same reason. */
export function failedFacts(target: TargetSpec, ctx: CollectContext, status: TargetStatus, reason: string, notes: string[] = []): TargetFacts {
  return failedTargetFacts(target, { collector: NAME, at: ctx.now(), status, reason, maxReason: 2000, unknownOs: true, notes });
}

/** The Windows collector is loaded only when a server turns out to be Windows. */
async function loadWindowsCollector() {
  return (await import("./host-windows.js")).collectWindowsHost;
}

/** OpenSSH's Windows port identifies itself as `OpenSSH_for_Windows_…`. */
export function isWindowsServer(remoteSoftware: string): boolean {
  return /for_Windows/i.test(remoteSoftware);
}

function sudoNotes(r: ResolvedSsh, mode: PrivilegeMode, st: RunnerState): { notes: string[]; degrade?: string } {
  const notes: string[] = [];
  if (mode === "none") return { notes };
  if (st.sudoPasswordRefused) {
    const why = "sudo refused the password (wrong sudo password); the probe ran without root";
    return { notes: [why], degrade: why };
  }
  if (st.ranAs === "user") {
    const msg = st.sudoMessage ? `: ${safeText(st.sudoMessage, 300)}` : "";
    notes.push(`--sudo was requested but sudo did not grant root${msg}; sections that need root are unknown`);
  } else if (st.ranAs === "root") {
    notes.push(`probe ran as root via sudo${mode === "sudo-password" ? " -S (password on stdin)" : " -n"} as ${r.target.user}`);
  }
  return { notes };
}

async function collect(target: TargetSpec, ctx: CollectContext): Promise<TargetFacts> {
  let r: ResolvedSsh;
  try {
    r = await resolveSsh(target, ctx.options);
  } catch (err) {
    return failedFacts(target, ctx, "error", failureReason(target, err, ctx.log));
  }
  // The pipeline's signal carries the run deadline; a per-host timeout from the inventory is added here.
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(Math.max(1, r.timeoutMs))]);
  const sctx: CollectContext = { ...ctx, signal };
  let session: SshSession | undefined;
  try {
    ctx.progress({ type: "target-step", target: target.id, step: "connecting" });
    session = await connectSsh({
      target: r.target,
      jumps: r.jumps,
      identityFiles: r.identityFiles,
      knownHostsFiles: r.knownHostsFiles,
      knownHostsWriteFile: r.knownHostsWriteFile,
      acceptNewHostKeys: r.acceptNewHostKeys,
      ...(process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
      secrets: ctx.secrets,
      signal,
      readyTimeoutMs: r.timeoutMs,
      log: (m) => ctx.log.verbose(safeText(m, 500)),
    });
    const notes: string[] = [];
    if (session.acceptedNewKey) notes.push(`host key ${session.acceptedNewKey} was not known and was added (--accept-new-host-keys)`);
    if (r.jumps.length > 0) notes.push(`reached through jump host ${r.jumps.map((j) => `${j.user}@${j.host}:${j.port}`).join(" → ")}`);

    if (isWindowsServer(session.remoteSoftware)) {
      const collectWindows = await loadWindowsCollector();
      ctx.progress({ type: "target-step", target: target.id, step: "probing (PowerShell)" });
      const runner = makeSshRunner(session.client, "powershell");
      const facts = await collectWindows(target, runner.run, sctx, NAME);
      return finish(facts, runner.state, notes);
    }

    let mode: PrivilegeMode = "none";
    let sudoPassword: string | undefined;
    if (r.sudo) {
      sudoPassword = await ctx.secrets.password(`sudo password for ${r.target.user}@${r.target.host}`);
      mode = sudoPassword === undefined ? "sudo" : "sudo-password";
    }
    ctx.progress({ type: "target-step", target: target.id, step: "probing" });
    const runner = makeSshRunner(session.client, mode, sudoPassword);
    const facts = await collectHostOverShell(target, runner.run, sctx, NAME);
    const s = sudoNotes(r, mode, runner.state);
    notes.push(...s.notes);
    const out = finish(facts, runner.state, notes);
    if (s.degrade && out.status === "ok") {
      out.status = "partial";
      out.statusReason = s.degrade;
    }
    return out;
  } catch (err) {
    if (err instanceof TransportError) return failedFacts(target, ctx, err.status, err.message);
    return failedFacts(target, ctx, "error", failureReason(target, err, ctx.log));
  } finally {
    session?.close();
  }
}

function finish(facts: TargetFacts, st: RunnerState, notes: string[]): TargetFacts {
  facts.notes = [...facts.notes, ...notes];
  if (st.connectionLost) {
    // Whatever arrived before the drop was parsed and is kept; the target ends in error.
    facts.status = "error";
    facts.statusReason = "the SSH connection was lost while the probe ran; facts read before that are kept";
    if (!facts.notes.some((n) => n.includes("connection was lost"))) facts.notes.push("the SSH connection was lost while the probe ran");
  }
  return facts;
}

/** Linux and macOS hosts (and Windows running OpenSSH) over SSH, in one remote exec each. */
export const sshHostCollector: Collector = { name: NAME, collect };
