import { randomBytes } from "node:crypto";
import type { AlternativeMeasure, Evidence, FactsDocument, Finding, FindingStatus, Report, Severity, ShardTag, TargetFacts, TargetKind } from "../core/model.js";
import { canonicalJson, sha256 } from "./canonical.js";
import { factsSha256, targetsSha256 } from "../facts/digest.js";
import { activityCounts, type ActivityCounts } from "../report/activity.js";

/**
 * The record of one run as the history keeps it: what a later diff, review or auditor needs, and
 * nothing secret (the report never holds secrets; facts are kept only as their hash and the asset
 * lists drift compares).
 */
export const RUN_FORMAT = "hipaa-scan-run";
export const RUN_RECORD_VERSION = 1;

export interface RecordedFinding {
  ruleId: string;
  target: { kind: TargetKind | "site"; id: string };
  status: FindingStatus;
  severity: Severity;
  title: string;
  hipaa: string[];
  message: string;
  evidence: Evidence[];
  /**
   * Covered by a documented alternative measure: `true` in an unsharded run's record; a shard's
   * record keeps the measure itself, so `merge --history` rebuilds the finding as the report had it.
   */
  alternative?: true | AlternativeMeasure;
  /** A shard's record only (src/history/merge-source.ts): the remediation the finding was reported with. */
  remediation?: string;
  /** Failing findings: when this failure was first seen (carried from run to run by drift). */
  firstSeen?: string;
}

/** What drift compares between runs, per target (sorted lists of names), and what later runs read back of a host's logins. */
export interface TargetAssets {
  /** Host or directory accounts, by name. */
  accounts?: string[];
  /** Host: users with admin rights. Directory: `GROUP: member` for each privileged group member. */
  privileged?: string[];
  /** Network: addresses of hosts that answered. */
  hosts?: string[];
  /** Network: `ADDRESS PORT/PROTO` for each open port. */
  ports?: string[];
  /** Host: `SOURCE USER` for each login in the activity window, so a later run can tell a new source (src/history/login-sources.ts). */
  loginSources?: string[];
  /** Host: this run's activity counts (null where unknown), for the Activity section's counts over time (src/history/login-sources.ts); not a drift list. */
  activity?: ActivityCounts;
}

export interface RecordedTarget {
  kind: TargetKind;
  id: string;
  status: string;
  statusReason?: string;
  factsSha256: string;
  assets: TargetAssets;
  /** A shard's record only: the collector and notes the report showed for the target. */
  collector?: string;
  notes?: string[];
}

/** One risk of the run's register (src/risk/register.ts), as the history keeps it. */
export interface RecordedRisk {
  id: string;
  title: string;
  level: number;
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  version: typeof RUN_RECORD_VERSION;
  id: string;
  command: "scan" | "evaluate";
  scope: string;
  startedAt: string;
  finishedAt: string;
  tool: { name: string; version: string };
  rulePacks: { id: string; version: string; sha256: string }[];
  params: Record<string, unknown>;
  failOn: string;
  factsSha256: string;
  targets: RecordedTarget[];
  findings: RecordedFinding[];
  gate: Report["summary"]["gate"];
  /** The ranked risk register's ids, titles and levels (src/history/risk-history.ts); absent in older records. */
  risks?: RecordedRisk[];
  /**
   * Set when the run was one shard of a run (`--shard K/N`, src/shard.ts); absent in older records
   * and in unsharded runs. A shard's record keeps every finding whole (passes and not-applicable
   * ones too, with remediation and alternative) and each target's collector and notes: what
   * `merge --history URL --group G` needs to give the report the unsharded run would have given.
   */
  shard?: ShardTag;
}

export interface ReviewRecord {
  format: "hipaa-scan-review";
  version: 1;
  id: string;
  runId: string;
  by: string;
  at: string;
  note?: string;
}

/** A sortable, readable run id: `20261201T221530Z-3fa9c2`. */
export function newRunId(at: Date, prefix = ""): string {
  return `${prefix}${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`;
}

/**
 * A shard's run id starts with its group and place, `GROUP+KofN-`, e.g. `site-a-20261201+2of4-20261201T221530Z-3fa9c2`.
 * `+` is not allowed in a group name, so `GROUP+` is a prefix no other group's runs have: `merge
 * --history` lists the chain (without records) and reads only those runs' records. The record's
 * `shard` tag, covered by the chain's hash, is what counts; the id only finds the candidates.
 */
export const shardRunIdPrefix = (group: string): string => `${group}+`;
export const shardRunId = (at: Date, tag: Pick<ShardTag, "group" | "index" | "count">): string => newRunId(at, `${shardRunIdPrefix(tag.group)}${tag.index}of${tag.count}-`);

/** Which targets a run covered: runs of the same scope are compared by `history diff` and locked together. */
export function scopeOf(targetIds: string[]): string {
  return sha256(canonicalJson([...new Set(targetIds)].sort())).slice(0, 16);
}

export function findingKey(f: { ruleId: string; target: { kind: string; id: string } }): string {
  return `${f.target.kind}|${f.target.id}|${f.ruleId}`;
}

export function buildRunRecord(report: Report, facts: FactsDocument, command: RunRecord["command"], id: string): RunRecord {
  // A shard's record is a part of a run `merge --history` puts back together: it keeps what the report showed.
  const shard = report.shard;
  const shown = shard ? new Map(report.targets.map((t) => [t.id, t])) : undefined;
  return {
    format: RUN_FORMAT,
    version: RUN_RECORD_VERSION,
    id,
    command,
    scope: scopeOf(report.targets.map((t) => t.id)),
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    tool: report.tool,
    rulePacks: report.rulePacks,
    params: report.params,
    failOn: report.failOn,
    factsSha256: targetsSha256(facts.targets),
    targets: facts.targets.map((t) => ({
      kind: t.target.kind as TargetKind,
      id: t.target.id,
      status: t.status,
      ...(t.statusReason !== undefined ? { statusReason: t.statusReason } : {}),
      factsSha256: factsSha256(t),
      assets: assetsOf(t),
      ...(shown ? { collector: shown.get(t.target.id)?.collector ?? t.collector, notes: shown.get(t.target.id)?.notes ?? t.notes } : {}),
    })),
    // Unsharded: passes and not-applicable rows keep only what drift needs to see them (rule,
    // target, status); failures, errors and manual items keep their message and evidence. Keeps a
    // 2,000-host run small. A shard keeps every finding whole, as its report had it.
    findings: report.findings.map((f) =>
      shard
        ? { ...recordedFinding(f), remediation: f.remediation, ...(f.alternative ? { alternative: f.alternative } : {}) }
        : f.status === "pass" || f.status === "not_applicable"
          ? { ruleId: f.ruleId, target: f.target, status: f.status, severity: f.severity, title: "", hipaa: f.hipaa.slice(0, 1), message: "", evidence: [] }
          : { ...recordedFinding(f), ...(f.alternative ? { alternative: true as const } : {}) },
    ),
    gate: report.summary.gate,
    ...recordedRisks(report),
    ...(shard ? { shard } : {}),
  };
}

const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
const names = (v: unknown, key = "name"): string[] => [...new Set(arr(v).map((x) => x?.[key]).filter((x): x is string => typeof x === "string"))].sort();
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === "string"))].sort() : undefined);

/** `SOURCE USER` of one login (addresses and host names hold no space; Windows user names may). */
export const loginSourceKey = (l: Record<string, unknown>): string => `${String(l?.source)} ${String(l?.user)}`;

/** The asset lists drift compares; a list the facts do not hold (unknown, not collected) is left out, not empty. */
export function assetsOf(t: TargetFacts): TargetAssets {
  const f = t.facts as Record<string, unknown>;
  const out: TargetAssets = {};
  if (t.target.kind === "host") {
    const acc = f.accounts as Record<string, unknown> | undefined;
    if (acc && Array.isArray(acc.users)) out.accounts = names(acc.users);
    const priv = strings(acc?.privileged);
    if (priv) out.privileged = priv;
    const logins = (f.activity as { logins?: unknown } | undefined)?.logins;
    if (Array.isArray(logins)) out.loginSources = [...new Set(arr(logins).map(loginSourceKey))].sort();
    const counts = activityCounts(f.activity);
    if (counts) out.activity = counts;
  } else if (t.target.kind === "directory") {
    if (Array.isArray(f.accounts)) out.accounts = names(f.accounts);
    if (Array.isArray(f.privilegedGroups)) {
      out.privileged = arr(f.privilegedGroups).flatMap((g) => (strings(g.members) ?? []).map((m) => `${String(g.name)}: ${m}`)).sort();
    }
  } else if (t.target.kind === "network" && Array.isArray(f.hosts)) {
    out.hosts = names(f.hosts, "address");
    out.ports = arr(f.hosts).flatMap((h) => (strings(h.openPorts) ?? []).map((p) => `${String(h.address)} ${p}`)).sort();
  }
  return out;
}

/** A finding as a run record keeps it whole (without its firstSeen or alternative marks). */
export const recordedFinding = (f: Finding): RecordedFinding => ({
  ruleId: f.ruleId,
  target: f.target,
  status: f.status,
  severity: f.severity,
  title: f.title,
  hipaa: f.hipaa,
  message: f.message,
  evidence: f.evidence,
});

/** The register as a run record keeps it (for "register changes since the last run"); nothing without one. */
export const recordedRisks = (report: Report): Pick<RunRecord, "risks"> =>
  report.risks ? { risks: report.risks.map((r) => ({ id: r.id, title: r.title, level: r.level })) } : {};
