import type { Drift, DriftFinding, Report } from "../core/model.js";
import { findingKey, recordedFinding, recordedRisks, type RecordedFinding, type RecordedTarget, type RunRecord, type TargetAssets } from "./record.js";
import type { StoredRun } from "./run-index.js";

/**
 * Drift between a run and its baseline: pure over two run records. A finding is "failing" when its
 * status is `fail`; new = failing now and not in the baseline, resolved = failing in the baseline and
 * no longer failing on a target this run still checked, persisting = failing in both. First-seen
 * dates travel in the records (`firstSeen` on each failing finding), so only the baseline is read.
 */
const DAY_MS = 86_400_000;
const failing = (f: RecordedFinding) => f.status === "fail";

export interface Baseline {
  record: RunRecord;
  source: "history" | "file";
  /**
   * A stored baseline as read (src/history/run-index.ts): from its drift index, `record` holds only its
   * failing findings until recordRun materialises it against the current run.
   */
  stored?: StoredRun;
}

export function computeDrift(current: RunRecord, baseline: Baseline): Drift {
  const before = new Map(baseline.record.findings.map((f) => [findingKey(f), f]));
  const after = new Map(current.findings.map((f) => [findingKey(f), f]));
  const now = Date.parse(current.startedAt);
  const currentTargets = new Set(current.targets.map((t) => t.id));
  const out: Drift["findings"] = { new: [], resolved: [], persisting: [] };
  for (const [key, f] of after) {
    if (!failing(f)) continue;
    const b = before.get(key);
    if (b && failing(b)) out.persisting.push(driftFinding(f, b.firstSeen ?? baseline.record.startedAt, now, b));
    else out.new.push(driftFinding(f, current.startedAt, now, b));
  }
  for (const [key, b] of before) {
    if (!failing(b) || !currentTargets.has(b.target.id) && b.target.kind !== "site") continue;
    const f = after.get(key);
    if (!f || !failing(f)) out.resolved.push(driftFinding(b, b.firstSeen ?? baseline.record.startedAt, now, undefined, f));
  }
  const beforeTargets = new Map(baseline.record.targets.map((t) => [t.id, t]));
  const assets: Drift["assets"] = [];
  for (const t of current.targets) {
    const b = beforeTargets.get(t.id);
    if (!b) continue;
    for (const kind of ["accounts", "privileged", "hosts", "ports"] as const) {
      const change = listChange(b.assets[kind], t.assets[kind]);
      if (change) assets.push({ target: t.id, kind, ...change });
    }
  }
  return {
    baseline: { runId: baseline.record.id, startedAt: baseline.record.startedAt, source: baseline.source },
    findings: out,
    targets: {
      appeared: current.targets.filter((t) => !beforeTargets.has(t.id)).map((t) => t.id),
      disappeared: baseline.record.targets.filter((t) => !currentTargets.has(t.id)).map((t) => t.id),
    },
    assets,
  };
}

/** Sets `firstSeen` on the current record's failing findings from the drift, for the next run to carry on. */
export function carryFirstSeen(current: RunRecord, drift: Drift | undefined): void {
  const seen = new Map([...(drift?.findings.persisting ?? []), ...(drift?.findings.new ?? [])].map((d) => [findingKey(d), d.firstSeen]));
  for (const f of current.findings) if (failing(f)) f.firstSeen = seen.get(findingKey(f)) ?? current.startedAt;
}

function driftFinding(f: RecordedFinding, firstSeen: string, now: number, before?: RecordedFinding, after?: RecordedFinding): DriftFinding {
  const other = before ?? after;
  const changes = other ? evidenceChanges(before ?? f, after ?? f) : [];
  return {
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    target: f.target,
    hipaa: f.hipaa,
    message: after?.message ?? f.message,
    firstSeen,
    daysOpen: Math.max(0, Math.floor((now - Date.parse(firstSeen)) / DAY_MS)),
    ...(changes.length > 0 ? { changes } : {}),
  };
}

function evidenceChanges(before: RecordedFinding, after: RecordedFinding): NonNullable<DriftFinding["changes"]> {
  const b = new Map(before.evidence.map((e) => [e.fact, e.observed]));
  const a = new Map(after.evidence.map((e) => [e.fact, e.observed]));
  const facts = [...new Set([...b.keys(), ...a.keys()])];
  return facts
    .filter((k) => JSON.stringify(b.get(k)) !== JSON.stringify(a.get(k)))
    .map((fact) => ({ fact, before: b.get(fact) ?? null, after: a.get(fact) ?? null }));
}

function listChange(before: string[] | undefined, after: string[] | undefined): { added: string[]; removed: string[] } | undefined {
  if (!before || !after) return undefined; // not known on one side: no claim either way
  const b = new Set(before);
  const a = new Set(after);
  const added = after.filter((x) => !b.has(x));
  const removed = before.filter((x) => !a.has(x));
  return added.length + removed.length > 0 ? { added, removed } : undefined;
}

/** `164.312(a)(2)(iv)` → `164.312(a)`: the standard a finding's first citation belongs to. */
export function safeguardOf(citation: string | undefined): string {
  return /^\d+\.\d+(\([a-z]\))?/.exec(citation ?? "")?.[0] ?? "other";
}

/** Failing findings per safeguard over `records` (oldest first). */
export function trendOf(records: Pick<RunRecord, "id" | "startedAt" | "findings">[]): NonNullable<Drift["trend"]> {
  const safeguards = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const f of r.findings) {
      if (!failing(f)) continue;
      const key = safeguardOf(f.hipaa[0]);
      const counts = safeguards.get(key) ?? records.map(() => 0);
      counts[i]!++;
      safeguards.set(key, counts);
    }
  });
  return {
    runs: records.map((r) => ({ id: r.id, startedAt: r.startedAt })),
    safeguards: [...safeguards.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([safeguard, failing]) => ({ safeguard, failing })),
  };
}

/**
 * A saved report (`--baseline REPORT.json`) as a baseline record. It has no facts, so asset lists
 * are absent and no asset change is claimed against it.
 */
export function recordFromReport(report: Report): RunRecord {
  const firstSeen = new Map([...(report.drift?.findings.persisting ?? []), ...(report.drift?.findings.new ?? [])].map((d) => [findingKey(d), d.firstSeen]));
  return {
    format: "hipaa-scan-run",
    version: 1,
    id: report.run?.id ?? `report@${report.startedAt}`,
    command: "scan",
    scope: "",
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    tool: report.tool,
    rulePacks: report.rulePacks,
    params: report.params,
    failOn: report.failOn,
    factsSha256: "",
    targets: report.targets.map((t) => ({ kind: t.kind as RecordedTarget["kind"], id: t.id, status: t.status, factsSha256: "", assets: {} as TargetAssets })),
    findings: report.findings.map((f) => ({
      ...recordedFinding(f),
      ...(f.status === "fail" ? { firstSeen: firstSeen.get(findingKey(f)) ?? report.startedAt } : {}),
    })),
    gate: report.summary.gate,
    ...recordedRisks(report),
  };
}
