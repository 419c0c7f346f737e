import type { TargetFacts, TargetSpec, TargetStatus } from "../core/model.js";
import { TransportError, errorMessage } from "../core/errors.js";
import { safeText } from "../core/untrusted-text.js";
import { parseLinux, probeUid } from "../probes/linux/index.js";
import { parseMacos } from "../probes/macos/index.js";
import { buildProbeScript } from "../probes/script.js";
import { splitSections, type SplitOutput } from "../probes/sections.js";
import { MAX_PROBE_OUTPUT, type ExecResult, type ProbeRunner } from "../transports/types.js";
import { joinActivityRoster } from "./host-activity.js";
import { failedTargetFacts, targetFacts } from "./target-result.js";
import type { CollectContext } from "./types.js";

/** Longest string kept from the target in any fact (a config line, a GECOS field…). */
const MAX_FACT_STRING = 4096;
/** Most items kept in any one list of facts (accounts, mounts, rules…). */
const MAX_LIST = 20_000;

/** Cleans every string coming from the target (control characters, length) and caps list sizes. */
export function cleanFacts(value: unknown, notes: string[], path = ""): unknown {
  if (typeof value === "string") return safeText(value, MAX_FACT_STRING);
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST) notes.push(`${path || "list"}: kept the first ${MAX_LIST} of ${value.length} items`);
    return value.slice(0, MAX_LIST).map((v) => cleanFacts(v, notes, path));
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[safeText(k, 256)] = cleanFacts(v, notes, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}

function firstLine(text: string): string {
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
}

/**
 * Runs the POSIX probe once through `run` (local `sh -s`, SSH exec, …), splits its output by this
 * run's nonce and turns it into host facts. Never throws for target trouble: the status says it.
 */
export async function collectHostOverShell(
  target: TargetSpec,
  run: ProbeRunner,
  ctx: CollectContext,
  collectorName: string,
): Promise<TargetFacts> {
  const now = ctx.now();
  const fail = (status: TargetStatus, reason: string, notes: string[] = []): TargetFacts => {
    return failedTargetFacts(target, { collector: collectorName, at: now, status, reason, maxReason: 2000, unknownOs: true, notes });
  };

  const { script, mark } = buildProbeScript(undefined, { activityDays: ctx.options.activityWindowDays });
  ctx.progress({ type: "target-step", target: target.id, step: "running probe" });
  let result: ExecResult;
  try {
    result = await run(script, { signal: ctx.signal, maxOutputBytes: MAX_PROBE_OUTPUT });
  } catch (err) {
    if (err instanceof TransportError) return fail(err.status, err.message);
    return fail("error", `probe could not run: ${errorMessage(err)}`);
  }

  ctx.progress({ type: "target-step", target: target.id, step: "parsing" });
  const split: SplitOutput = splitSections(result.stdout, mark);
  const ident = split.sections.get("ident");
  const osLine = ident?.complete ? /^os=(.*)$/m.exec(ident.stdout)?.[1]?.trim() : undefined;
  const exit = result.exitCode === null ? "no exit status (killed or connection lost)" : `exit ${result.exitCode}`;
  if (!osLine) {
    const why = firstLine(result.stderr) || (ctx.signal.aborted ? "timed out or cancelled" : "no probe output");
    return fail("error", `probe returned nothing usable (${exit}): ${why}`);
  }

  const notes: string[] = [];
  let parsed: { facts: Record<string, unknown>; sources: Record<string, string> };
  if (osLine === "Linux") parsed = parseLinux(split, now);
  else if (osLine === "Darwin") parsed = parseMacos(split, now);
  else return fail("error", `unsupported operating system: ${osLine}`);
  await joinActivityRoster(parsed.facts, ctx.options.rosterFile, now);

  const uid = probeUid(split);
  if (uid !== null && uid !== 0) notes.push(`probe ran as uid ${uid}, not root: facts that need root are unknown`);

  const abnormal = result.truncated || result.exitCode === null || !split.done;
  let status: TargetStatus = "ok";
  let statusReason: string | undefined;
  if (abnormal) {
    status = "partial";
    const why = result.truncated
      ? `probe output passed ${MAX_PROBE_OUTPUT} bytes and was cut`
      : ctx.signal.aborted
        ? "probe timed out or was cancelled"
        : `probe ended early (${exit})${firstLine(result.stderr) ? `: ${firstLine(result.stderr)}` : ""}`;
    statusReason = safeText(`${why}; facts from the sections that completed were kept`, 2000);
  }
  const facts = cleanFacts(parsed.facts, notes) as Record<string, unknown>;
  const sources = cleanFacts(parsed.sources, notes) as Record<string, string>;
  return targetFacts(target, { collector: collectorName, at: now, status, statusReason, facts, sources, notes: notes.map((n) => safeText(n, 1000)) });
}
