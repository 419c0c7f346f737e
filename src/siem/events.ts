import type { Static } from "@sinclair/typebox";
import type { Finding, Report, Severity } from "../core/model.js";
import type { SiemEventSchema } from "./schema.js";
import { canonicalJson, sha256 } from "../history/canonical.js";

/**
 * SIEM events: one per finding, one per target, one per run, each an OCSF Compliance Finding
 * (class_uid 2003, OCSF 1.3.0). schemas/siem-event.schema.json publishes the shape; docs/siem.md
 * maps every field. `metadata.uid` is stable for (run, event), so a receiver can drop a replay.
 */
export const OCSF_VERSION = "1.3.0";
const CLASS_UID = 2003;
const CATEGORY_UID = 2;
const ACTIVITY_CREATE = 1;

export type EventKind = "finding" | "target" | "run";

/** One event; the type comes from its published schema (src/siem/schema.ts). */
export type SiemEvent = Static<typeof SiemEventSchema>;

const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<number, string> = { 1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical" };
/** OCSF compliance status_id: 1 Pass, 2 Warning, 3 Fail, 99 Other. */
const COMPLIANCE: Record<Finding["status"], [number, string]> = { pass: [1, "Pass"], fail: [3, "Fail"], error: [2, "Warning"], manual: [99, "Other"], not_applicable: [99, "Other"] };

export function buildEvents(report: Report, runId: string): SiemEvent[] {
  const time = Date.parse(report.finishedAt);
  const product = { name: report.tool.name, vendor_name: "hipaa-scan", version: report.tool.version };
  const firstSeen = new Map([...(report.drift?.findings.new ?? []), ...(report.drift?.findings.persisting ?? [])].map((d) => [`${d.target.id}|${d.ruleId}`, Date.parse(d.firstSeen)]));
  const newKeys = new Set((report.drift?.findings.new ?? []).map((d) => `${d.target.id}|${d.ruleId}`));
  const base = (kind: EventKind, key: string) => ({
    class_uid: CLASS_UID,
    class_name: "Compliance Finding",
    category_uid: CATEGORY_UID,
    category_name: "Findings",
    activity_id: ACTIVITY_CREATE,
    activity_name: "Create",
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    time,
    metadata: { version: OCSF_VERSION, uid: sha256(canonicalJson([runId, kind, key])).slice(0, 32), correlation_uid: runId, product, log_name: kind },
  }) as const;
  const events: SiemEvent[] = [];
  for (const f of report.findings) {
    const key = `${f.target.id}|${f.ruleId}`;
    const [sid, sname] = COMPLIANCE[f.status];
    const sev = f.status === "fail" ? SEVERITY_ID[f.severity] : 1;
    const seen = firstSeen.get(key);
    events.push({
      ...base("finding", key),
      severity_id: sev,
      severity: SEVERITY_NAME[sev]!,
      status_id: 1,
      status: "New",
      message: f.message,
      finding_info: { uid: sha256(key).slice(0, 32), title: f.title, types: ["hipaa-scan/finding"], ...(seen !== undefined ? { first_seen_time: seen } : {}) },
      compliance: { standards: ["HIPAA Security Rule (45 CFR 164 Subpart C)"], requirements: f.hipaa, control: f.ruleId, status_id: sid, status: sname },
      resources: [{ uid: f.target.id, type: f.target.kind }],
      unmapped: { hipaa_scan: { event: "finding", rule_id: f.ruleId, status: f.status, severity: f.severity, target: f.target, evidence: f.evidence, remediation: f.remediation, new: newKeys.has(key), ...(f.alternative ? { alternative: f.alternative } : {}) } },
    } as SiemEvent);
  }
  for (const t of report.targets) {
    const ok = t.status === "ok";
    events.push({
      ...base("target", t.id),
      severity_id: ok ? 1 : 3,
      severity: ok ? "Informational" : "Medium",
      status_id: 1,
      status: "New",
      message: `${t.kind} ${t.id}: ${t.status}${t.statusReason ? ` — ${t.statusReason}` : ""}`,
      finding_info: { uid: sha256(`target|${t.id}`).slice(0, 32), title: `Target ${t.id} checked`, types: ["hipaa-scan/target"] },
      compliance: { standards: ["HIPAA Security Rule (45 CFR 164 Subpart C)"], requirements: [], control: "target-status", status_id: ok ? 1 : 2, status: ok ? "Pass" : "Warning" },
      resources: [{ uid: t.id, type: t.kind }],
      unmapped: { hipaa_scan: { event: "target", status: t.status, ...(t.statusReason ? { status_reason: t.statusReason } : {}), collector: t.collector } },
    } as SiemEvent);
  }
  const gate = report.summary.gate;
  events.push({
    ...base("run", runId),
    severity_id: gate.exitCode === 0 ? 1 : gate.exitCode === 1 ? 4 : 3,
    severity: gate.exitCode === 0 ? "Informational" : gate.exitCode === 1 ? "High" : "Medium",
    status_id: 1,
    status: "New",
    message: `hipaa-scan run ${runId}: ${report.summary.byStatus.fail} failed, ${report.summary.byStatus.error} could not be checked, gate exit ${gate.exitCode}`,
    finding_info: { uid: sha256(`run|${runId}`).slice(0, 32), title: "hipaa-scan run", types: ["hipaa-scan/run"] },
    compliance: { standards: ["HIPAA Security Rule (45 CFR 164 Subpart C)"], requirements: [], control: "gate", status_id: gate.exitCode === 0 ? 1 : gate.exitCode === 1 ? 3 : 2, status: gate.exitCode === 0 ? "Pass" : gate.exitCode === 1 ? "Fail" : "Warning" },
    resources: report.targets.map((t) => ({ uid: t.id, type: t.kind })),
    unmapped: {
      hipaa_scan: {
        event: "run",
        run_id: runId,
        ...(report.run ? { hash: report.run.hash, previous_hash: report.run.previousHash } : {}),
        started_at: report.startedAt,
        finished_at: report.finishedAt,
        gate,
        by_status: report.summary.byStatus,
        ...(report.drift ? { drift: { new: report.drift.findings.new.length, resolved: report.drift.findings.resolved.length, persisting: report.drift.findings.persisting.length } } : {}),
      },
    },
  } as SiemEvent);
  return events;
}
