import { createHash } from "node:crypto";
import type * as Sarif from "sarif";
import type { Finding, Severity, TargetRef } from "../core/model.js";
import { formatValue } from "../core/format-value.js";
import type { Reporter } from "./types.js";
import { nistTags } from "./nist.js";

const LEVEL: Record<Severity, Sarif.Result.level> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };

/** GitHub code scanning ranks security results by this number (CVSS-like, 0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };

/** Fingerprint name and version: bump the version if the hashed fields ever change. */
const FINGERPRINT = "hipaaScanTarget/v1";

/**
 * SARIF 2.1.0 for code-scanning dashboards: one run, a reportingDescriptor per rule seen, a result
 * per `fail` (kind `fail`, level from severity) and per `error` finding (kind `open`: the rule was
 * evaluated but the data to decide was missing; the spec requires level `none` for any kind but
 * `fail`). Findings concern hosts, directories and networks, not source files, so results point at
 * the target with a logical location. Targets that could not be checked are tool execution
 * notifications, and make `executionSuccessful` false.
 */
export const sarifReporter: Reporter = (report) => {
  const scanned = report.findings.filter((f) => f.status !== "manual");
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const nist = new Map(report.catalog.map((c) => [c.citation, c.nist]));
  for (const f of scanned) {
    if (ruleIndex.has(f.ruleId)) continue;
    ruleIndex.set(f.ruleId, rules.length);
    rules.push(descriptor(f, nistTags(f.hipaa, nist)));
  }
  const results = scanned.filter((f) => f.status === "fail" || f.status === "error").map((f) => result(f, ruleIndex.get(f.ruleId) ?? 0));
  const unchecked = report.targets.filter((t) => t.status !== "ok");
  const invocation: Sarif.Invocation = {
    executionSuccessful: unchecked.length === 0,
    exitCode: report.summary.gate.exitCode,
    startTimeUtc: report.startedAt,
    endTimeUtc: report.finishedAt,
    toolExecutionNotifications: unchecked.map((t) => ({
      level: t.status === "partial" ? "warning" : "error",
      descriptor: { id: `target/${t.status}` },
      message: { text: `${t.kind} ${t.id}: ${t.status}${t.statusReason ? ` — ${t.statusReason}` : ""}` },
      locations: [location(t)],
      properties: { status: t.status, ...(t.statusReason ? { reason: t.statusReason } : {}), collector: t.collector },
    })),
  };
  const log: Sarif.Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, rules } },
        invocations: [invocation],
        results,
        properties: {
          rulePacks: report.rulePacks,
          failOn: report.failOn,
          gate: report.summary.gate,
          manual: report.findings.filter((f) => f.status === "manual").map((f) => ({ hipaa: f.hipaa, title: f.title })),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function descriptor(f: Finding, nist: string[]): Sarif.ReportingDescriptor {
  return {
    id: f.ruleId,
    shortDescription: { text: f.title },
    help: { text: f.remediation },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { tags: [...f.hipaa, ...nist], severity: f.severity, "security-severity": SECURITY_SEVERITY[f.severity] },
  };
}

function result(f: Finding, index: number): Sarif.Result {
  const failed = f.status === "fail";
  return {
    ruleId: f.ruleId,
    ruleIndex: index,
    kind: failed ? "fail" : "open",
    level: failed ? LEVEL[f.severity] : "none",
    message: { text: f.message },
    locations: [location(f.target)],
    partialFingerprints: { [FINGERPRINT]: fingerprint(f.ruleId, f.target) },
    ...(f.alternative
      ? {
          suppressions: [
            {
              kind: "external",
              status: "accepted",
              justification: `Documented alternative measure: ${f.alternative.justification} (owner ${f.alternative.owner}, review by ${f.alternative.reviewBy})`,
            },
          ],
        }
      : {}),
    properties: {
      severity: f.severity,
      status: f.status,
      hipaa: f.hipaa,
      remediation: f.remediation,
      evidence: f.evidence.map((e) => ({ fact: e.fact, observed: formatValue(e.observed), ...(e.expected ? { expected: e.expected } : {}), ...(e.source ? { source: e.source } : {}) })),
      ...(f.alternative ? { alternative: f.alternative } : {}),
    },
  };
}

function location(t: TargetRef): Sarif.Location {
  return { logicalLocations: [{ name: t.id, fullyQualifiedName: `${t.kind}:${t.id}`, kind: t.kind }] };
}

/** Stable across runs for the same rule on the same target, so dashboards track one issue. */
function fingerprint(ruleId: string, t: TargetRef): string {
  return createHash("sha256").update(`${ruleId}\u0000${t.kind}\u0000${t.id}`).digest("hex");
}
