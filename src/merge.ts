import { readFile } from "node:fs/promises";
import { ReportFileError, UsageError, errorMessage } from "./core/errors.js";
import { FACTS_FORMAT, type FactsDocument, type Finding, type Report, type ShardTag, type TargetFacts, type TargetSpec } from "./core/model.js";
import { ofRuntimeKind } from "./core/target-facts.js";
import { evaluateRules } from "./engine/evaluate.js";
import { failedTargetFacts } from "./collectors/target-result.js";
import { readFactsFile, withRiskAnalysis, type Prepared, type RunOptions } from "./pipeline.js";
import { applyAlternatives } from "./policy/alternatives.js";
import { buildReport } from "./report/build.js";
import { reportFromJson } from "./report/read.js";
import { shardOf } from "./shard.js";
import { TOOL } from "./version.js";

/**
 * `merge`: the shards of one run (`--shard K/N`) back into one report whose findings equal the
 * unsharded run's. Facts are evaluated again with the loaded rules; reports contribute their
 * findings, and the summary, catalog, manual items and gate are computed afresh by
 * src/report/build.ts. A shard that is missing fails closed: each target it should have scanned
 * (every shard records the whole target list) appears as an `error` target, never as a pass.
 *
 * Where the parts come from is a `MergeSource`: facts files and JSON reports (`fileSource`), or the
 * history store's runs of one group (`historySource`, src/history/merge-source.ts, for
 * `merge --history URL --group G`).
 */

/** What merge reads of a shard's report: a JSON report has it, and so has a shard's run record in the history. */
export type ShardReport = Pick<Report, "shard" | "rulePacks" | "params" | "startedAt" | "targets" | "findings" | "network">;

/** One shard's result, as a source delivers it. */
export type ShardPart =
  | { kind: "facts"; origin: string; facts: FactsDocument }
  | { kind: "report"; origin: string; report: ShardReport };

/** Where merge reads the parts of a run from. A part it cannot read is an error, not a gap. */
export interface MergeSource {
  parts(): Promise<ShardPart[]>;
}

/** What the merge saw, for the CLI to tell the user. */
export interface MergeOutcome {
  report: Report;
  group: string;
  count: number;
  present: number[];
  missing: { index: number; targets: number }[];
}

/** Facts files and JSON reports, each told apart by its content. */
export function fileSource(files: string[]): MergeSource {
  return {
    async parts() {
      const out: ShardPart[] = [];
      for (const file of files) {
        let data: unknown;
        try {
          data = JSON.parse(await readFile(file, "utf8"));
        } catch (err) {
          throw new ReportFileError(`cannot read ${file} as a hipaa-scan facts file or JSON report: ${errorMessage(err)}`);
        }
        if ((data as { format?: unknown } | null)?.format === FACTS_FORMAT) out.push({ kind: "facts", origin: file, facts: await readFactsFile(file) });
        else out.push({ kind: "report", origin: file, report: reportFromJson(data, file) });
      }
      return out;
    },
  };
}

const tagOf = (p: ShardPart) => (p.kind === "facts" ? p.facts.shard : p.report.shard);

/** Checks the parts belong to one run, then builds the merged report. */
export async function mergeShards(source: MergeSource, run: RunOptions, prepared: Prepared): Promise<MergeOutcome> {
  const parts = await source.parts();
  if (parts.length === 0) throw new UsageError("merge needs at least one shard's facts file or report");
  const first = checkRun(parts);
  const loaded = prepared.ruleSet.packs.map((p) => `${p.manifest.id}@${p.sha256}`).join(",");
  for (const p of parts) {
    if (p.kind === "report" && p.report.rulePacks.map((r) => `${r.id}@${r.sha256}`).join(",") !== loaded) {
      throw new UsageError(`${p.origin} was made with other rule packs than this merge loaded: give merge the same --rules as the shards`);
    }
  }
  const byIndex = new Map(parts.map((p) => [tagOf(p)!.index, p]));
  const expected = first.targets;
  const expectedIds = new Set(expected.map((t) => t.id));

  // Every delivered target, by id; each must belong to the run and to the shard that delivered it.
  const delivered = new Map<string, { part: ShardPart; facts: TargetFacts }>();
  for (const part of parts) {
    const k = tagOf(part)!.index;
    for (const facts of partTargets(part)) {
      if (!expectedIds.has(facts.target.id)) throw new UsageError(`${part.origin}: target ${facts.target.id} is not in the run's target list`);
      if (shardOf(facts.target.id, first.count) !== k) throw new UsageError(`${part.origin}: target ${facts.target.id} belongs to another shard than ${k}/${first.count}`);
      if (delivered.has(facts.target.id)) throw new UsageError(`${part.origin}: target ${facts.target.id} is delivered twice`);
      delivered.set(facts.target.id, { part, facts });
    }
  }

  const now = new Date();
  const missing = new Map<number, number>();
  const targets: TargetFacts[] = [];
  const toEvaluate: TargetFacts[] = [];
  const findings: Finding[] = [];
  const reportFindings = new Map<string, Finding[]>();
  for (const part of parts) {
    if (part.kind !== "report") continue;
    for (const f of part.report.findings) {
      if (f.status === "manual" && f.target.kind === "site") continue; // recomputed from the catalog
      const list = reportFindings.get(f.target.id) ?? [];
      list.push(f);
      reportFindings.set(f.target.id, list);
    }
  }
  for (const ref of expected) {
    const got = delivered.get(ref.id);
    if (!got) {
      const k = shardOf(ref.id, first.count);
      const reason = byIndex.has(k)
        ? `shard ${k}/${first.count} of run group ${first.group} did not deliver this target`
        : `shard ${k}/${first.count} of run group ${first.group} delivered no result`;
      if (!byIndex.has(k)) missing.set(k, (missing.get(k) ?? 0) + 1);
      const failed = failedTargetFacts({ kind: ref.kind, id: ref.id, scheme: "network", tags: {} } as TargetSpec, { collector: "merge", at: now, status: "error", reason });
      targets.push(failed);
      toEvaluate.push(failed);
    } else {
      targets.push(got.facts);
      if (got.part.kind === "facts") toEvaluate.push(got.facts);
      else findings.push(...(reportFindings.get(ref.id) ?? []));
    }
  }
  const params = mergedParams(parts, prepared);
  const evaluated = evaluateRules(prepared.ruleSet.rules, toEvaluate, params);
  findings.push(...applyAlternatives(evaluated, prepared.alternatives, now.toISOString().slice(0, 10)));

  const facts: FactsDocument = {
    format: FACTS_FORMAT,
    schemaVersion: 1,
    tool: TOOL,
    startedAt: parts.map(startedAt).sort()[0]!,
    finishedAt: now.toISOString(),
    targets,
  };
  const built = buildReport({ facts, findings, ruleSet: prepared.ruleSet, params, failOn: run.failOn, tool: TOOL, finishedAt: now.toISOString() });
  // The same risk register, assets and plan state an unsharded run gets.
  const report = withRiskAnalysis(built, facts, prepared, () => now);
  const maps = parts.flatMap((p) => (p.kind === "report" && p.report.network ? [p.report.network] : []));
  if (maps.length > 1) throw new UsageError("several shard reports carry a network map: merge their facts files (--save-facts) so the map is rebuilt as one");
  if (maps.length === 1) report.network = maps[0];
  return {
    report,
    group: first.group,
    count: first.count,
    present: [...byIndex.keys()].sort((a, b) => a - b),
    missing: [...missing].map(([index, n]) => ({ index, targets: n })).sort((a, b) => a.index - b.index),
  };
}

/** All parts: tagged, one group, one N, one target list, no shard twice, one rule set. */
function checkRun(parts: ShardPart[]): ShardTag {
  const first = tagOf(parts[0]!);
  const seen = new Map<number, string>();
  for (const part of parts) {
    const tag = tagOf(part);
    if (!tag) throw new UsageError(`${part.origin} is not a shard of a run (no shard tag): was it written with --shard K/N?`);
    if (tag.group !== first!.group) throw new UsageError(`${part.origin} is from run group ${tag.group}, ${parts[0]!.origin} from ${first!.group}`);
    if (tag.count !== first!.count) throw new UsageError(`${part.origin} is shard ${tag.index}/${tag.count}, ${parts[0]!.origin} is of ${first!.count} shards`);
    if (tag.targetsSha256 !== first!.targetsSha256) throw new UsageError(`${part.origin} was given another target list than ${parts[0]!.origin} (group ${tag.group})`);
    const twice = seen.get(tag.index);
    if (twice) throw new UsageError(`${part.origin} and ${twice} are both shard ${tag.index}/${tag.count}`);
    seen.set(tag.index, part.origin);
  }
  const reports = parts.filter((p): p is Extract<ShardPart, { kind: "report" }> => p.kind === "report");
  const packs = (r: ShardReport) => r.rulePacks.map((p) => `${p.id}@${p.sha256}`).join(",");
  for (const r of reports) {
    if (packs(r.report) !== packs(reports[0]!.report)) throw new UsageError(`${r.origin} was made with other rule packs than ${reports[0]!.origin}`);
  }
  return first!;
}

function partTargets(part: ShardPart): TargetFacts[] {
  if (part.kind === "facts") return part.facts.targets;
  // A report keeps its targets' status, not their facts; its findings stand for them.
  return part.report.targets.map((t) => ofRuntimeKind({
    target: { kind: t.kind, id: t.id },
    status: t.status,
    ...(t.statusReason !== undefined ? { statusReason: t.statusReason } : {}),
    collector: t.collector,
    collectedAt: part.report.startedAt,
    tags: {},
    facts: {},
    sources: {},
    notes: t.notes,
  }));
}

/** Reports carry the params they were judged with; they must agree, and agree with --param if given. */
function mergedParams(parts: ShardPart[], prepared: Prepared): Record<string, unknown> {
  const reports = parts.filter((p) => p.kind === "report");
  if (reports.length === 0) return prepared.params;
  const text = (p: Record<string, unknown>) => JSON.stringify(Object.entries(p).sort(([a], [b]) => a.localeCompare(b)));
  const first = reports[0]!.report.params;
  for (const r of reports) {
    if (text(r.report.params) !== text(first)) throw new UsageError(`${r.origin} was judged with other --param values than ${reports[0]!.origin}`);
  }
  if (Object.keys(prepared.params).length > 0 && text(prepared.params) !== text(first)) {
    throw new UsageError(`--param differs from the params the shard reports were judged with (${text(first)})`);
  }
  return first;
}

function startedAt(p: ShardPart): string {
  return p.kind === "facts" ? p.facts.startedAt : p.report.startedAt;
}
