import type { TargetFacts, TargetSpec } from "../core/model.js";
import { TransportError } from "../core/errors.js";
import { safeText } from "../core/untrusted-text.js";
import { isUnknown, unknown } from "../facts/unknown.js";
import { ProbeOutputError, parseWindowsProbe } from "../probes/windows/parse.js";
import { windowsProbeScript, windowsProbeStdin } from "../probes/windows/script.js";
import { MAX_PROBE_OUTPUT, type ProbeRunner } from "../transports/types.js";
import { joinActivityRoster } from "./host-activity.js";
import { failedTargetFacts, failureReason } from "./target-result.js";
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
  const base: TargetFacts = {
    target: { kind: "host", id: target.id },
    status: "ok",
    collector: collectorName,
    collectedAt: now.toISOString(),
    tags: target.tags,
    facts: {},
    sources: {},
    notes: [],
  };
  const result = await run(windowsProbeStdin(windowsProbeScript({ activityDays: ctx.options.activityWindowDays })), { signal: ctx.signal, maxOutputBytes: MAX_PROBE_OUTPUT });
  const stderr = result.stderr.trim();
  let parsed;
  try {
    parsed = parseWindowsProbe(result.stdout, now);
  } catch (err) {
    if (!(err instanceof ProbeOutputError)) throw err;
    const why = `${err.message}${stderr ? `; stderr: ${safeText(stderr, 500)}` : ""}${result.exitCode !== null ? ` (exit ${result.exitCode})` : ""}`;
    return { ...base, status: "error", statusReason: safeText(why, 1000), facts: { os: unknown(`Windows probe failed: ${safeText(why, 500)}`) } };
  }
  base.facts = parsed.facts;
  base.sources = parsed.sources;
  await joinActivityRoster(base.facts, ctx.options.rosterFile, now, "windows");
  const os = base.facts.os;
  if (isUnknown(os)) {
    // The probe ran, so this is Windows even when its OS section failed.
    const reason = os.reason;
    base.facts.os = { family: "windows", name: "Windows", version: "", id: "windows", kernel: "", hostname: "", arch: "", endOfLife: unknown(reason) };
  }
  base.notes.push("screen-saver policy is read from the scanning account's own registry hive (HKCU); machine-wide lock relies on InactivityTimeoutSecs");
  if (parsed.failed.length > 0) {
    base.status = "partial";
    base.statusReason = `probe sections not readable: ${parsed.failed.join(", ")}`;
  }
  if (result.truncated) {
    base.status = "partial";
    base.notes.push(`probe output passed ${MAX_PROBE_OUTPUT} bytes and was cut`);
  }
  if (stderr) base.notes.push(`probe stderr: ${safeText(stderr, 500)}`);
  return base;
}

/** Maps an error thrown while collecting to a failed TargetFacts for `collectorName`. */
export function windowsFailure(target: TargetSpec, ctx: CollectContext, collectorName: string, err: unknown, notes: string[] = []): TargetFacts {
  const status = err instanceof TransportError ? err.status : "error";
  return failedTargetFacts(target, { collector: collectorName, at: ctx.now(), status, reason: failureReason(target, err, ctx.log), unknownOs: true, notes });
}
