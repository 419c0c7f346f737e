import type { TargetFacts, TargetSpec, TargetStatus } from "../core/model.js";
import { TransportError } from "../core/errors.js";
import { safeText } from "../core/untrusted-text.js";
import { isUnknown, unknown } from "../facts/unknown.js";
import { ProbeOutputError, parseWindowsProbe } from "../probes/windows/parse.js";
import { windowsProbeScript, windowsProbeStdin } from "../probes/windows/script.js";
import { MAX_PROBE_OUTPUT, type ProbeRunner } from "../transports/types.js";
import { joinActivityRoster } from "./host-activity.js";
import { failedTargetFacts, failureReason, targetFacts } from "./target-result.js";
import type { CollectContext } from "./types.js";

/**
 * Runs the Windows probe through any transport that can run PowerShell with a script on stdin
 * (WinRM here, OpenSSH in host-ssh.ts) and turns its output into host facts. The runner must feed
 * `stdin` to PowerShell reading commands from stdin: `powershell -NoProfile -NonInteractive
 * -Command -` over SSH, or the -EncodedCommand bootstrap over WinRM. Transport errors propagate as
 * TransportError for the caller to map to a target status.
 */
export async function collectWindowsHost(target: TargetSpec, run: ProbeRunner, ctx: CollectContext, collectorName: string): Promise<TargetFacts> {
  const now = ctx.now();
  const result = await run(windowsProbeStdin(windowsProbeScript({ activityDays: ctx.options.activityWindowDays })), { signal: ctx.signal, maxOutputBytes: MAX_PROBE_OUTPUT });
  const stderr = result.stderr.trim();
  let parsed;
  try {
    parsed = parseWindowsProbe(result.stdout, now);
  } catch (err) {
    if (!(err instanceof ProbeOutputError)) throw err;
    const why = `${err.message}${stderr ? `; stderr: ${safeText(stderr, 500)}` : ""}${result.exitCode !== null ? ` (exit ${result.exitCode})` : ""}`;
    const os = unknown(`Windows probe failed: ${safeText(why, 500)}`);
    return targetFacts(target, { collector: collectorName, at: now, status: "error", statusReason: safeText(why, 1000), facts: { os } });
  }
  const { facts, sources } = parsed;
  await joinActivityRoster(facts, ctx.options.rosterFile, now, "windows");
  if (isUnknown(facts.os)) {
    // The probe ran, so this is Windows even when its OS section failed.
    const reason = facts.os.reason;
    facts.os = { family: "windows", name: "Windows", version: "", id: "windows", kernel: "", hostname: "", arch: "", endOfLife: unknown(reason) };
  }
  const notes = ["screen-saver policy is read from the scanning account's own registry hive (HKCU); machine-wide lock relies on InactivityTimeoutSecs"];
  let status: TargetStatus = "ok";
  let statusReason: string | undefined;
  if (parsed.failed.length > 0) {
    status = "partial";
    statusReason = `probe sections not readable: ${parsed.failed.join(", ")}`;
  }
  if (result.truncated) {
    status = "partial";
    notes.push(`probe output passed ${MAX_PROBE_OUTPUT} bytes and was cut`);
  }
  if (stderr) notes.push(`probe stderr: ${safeText(stderr, 500)}`);
  return targetFacts(target, { collector: collectorName, at: now, status, statusReason, facts, sources, notes });
}

/** Maps an error thrown while collecting to a failed TargetFacts for `collectorName`. */
export function windowsFailure(target: TargetSpec, ctx: CollectContext, collectorName: string, err: unknown, notes: string[] = []): TargetFacts {
  const status = err instanceof TransportError ? err.status : "error";
  return failedTargetFacts(target, { collector: collectorName, at: ctx.now(), status, reason: failureReason(target, err, ctx.log), unknownOs: true, notes });
}
