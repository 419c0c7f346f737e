import { DEFAULT_NETWORK_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, collectOptions } from "../collectors/options.js";
import type { CollectOptions } from "../collectors/types.js";
import { UsageError } from "../core/errors.js";
import type { FactsDocument, Report, ShardTag, TargetFacts, TargetSpec } from "../core/model.js";
import { FactsSpool } from "../facts/spool.js";
import { parseNetworkTarget, parseTarget } from "../core/targets.js";
import { collectExitCode } from "../core/exit-codes.js";
import { collectFacts, readFactsFile, scan, evaluateFacts, prepare, type CollectRequest, type RunOptions } from "../pipeline.js";
import { mergeFactsDocuments } from "../report/merge-facts.js";
import { FORMATS, type FormatName } from "../reporters/index.js";
import { CLI_OPTIONS, type CliOptions } from "./options.js";
import { checkGroupName, parseShard, selectShard, type ShardSpec } from "../shard.js";
import { writeOutput } from "./output.js";
import { preflight } from "./preflight.js";
import { makeProgress } from "./progress.js";
import { makeSecretProvider } from "./secrets.js";
import { makeStyle, useColor } from "./style.js";
import { ownAddresses, readScannerHost, routeGateways } from "./scanner-host.js";
import { buildProvenance } from "../report/provenance.js";
import { HistorySession } from "./history-run.js";
import { quietProblems } from "./quiet.js";
import { resolveActivityWindow } from "./activity-window.js";

/** Derived from the option table in src/cli/options.ts; re-exported for existing imports. */
export type { CliOptions };
import { packPaths } from "../engine/opt-in-packs.js";

export async function scanCommand(targetArgs: string[], opts: CliOptions): Promise<number> {
  const outputs = planOutputs(opts);
  const run = runOptions(opts);
  const history = HistorySession.prepare(opts);
  const shard = shardOption(opts); // exit 2 on a bad K/N before anything is scanned
  const resolved = applyShard(await resolveTargets(targetArgs, opts), shard);
  await preflight({ ...opts, outputs: [...outputs.map((o) => o.file), opts.saveFacts], targets: resolved.targets });
  await history.open(resolved.targets.map((t) => t.id));
  // Flat memory: each finished target's facts go to the spool, the run keeps a compact projection.
  const spool = new FactsSpool();
  try {
    let collected: FactsDocument | undefined;
    const saveFacts = opts.saveFacts;
    const hooks = {
      keep: (t: TargetFacts, i: number) => {
        const spooled = spool.add(i, t);
        history.joinLoginHistory([spooled.full]); // before this target's rules run
        return spooled;
      },
      collected: async (facts: FactsDocument) => {
        collected = facts;
        spool.rememberDigest(facts.targets);
        if (saveFacts) await writeOutput(saveFacts, { chunks: spool.factsFileChunks(facts) });
      },
    };
    // pipeline.scan compiles the rule packs before any target is touched.
    const evaluated = await withProgress(resolved, opts, (req) => scan({ ...run, siteFacts: history.siteFacts, riskHistory: history.riskHistory }, req, hooks));
    const facts = collected!;
    evaluated.provenance = buildProvenance(readScannerHost(process.argv.slice(1)), facts);
    const report = await history.finish(evaluated, facts, "scan");
    await writeReports(report, outputs, opts);
    return report.summary.gate.exitCode;
  } finally {
    spool.close();
    await history.close();
  }
}

export async function collectCommand(targetArgs: string[], opts: CliOptions): Promise<number> {
  const file = typeof opts.output === "string" ? opts.output : undefined;
  const resolved = applyShard(await resolveTargets(targetArgs, opts), shardOption(opts));
  await preflight({ ...opts, outputs: [file], targets: resolved.targets });
  const facts = await withProgress(resolved, opts, collectFacts);
  await writeOutput(file, `${JSON.stringify(facts, null, 2)}\n`);
  if (file && !opts.quiet) process.stderr.write(`facts for ${facts.targets.length} target(s) written to ${file}\n`);
  return collectExitCode(facts.targets.map((t) => t.status));
}

export async function evaluateCommand(file: string | string[], opts: CliOptions): Promise<number> {
  const outputs = planOutputs(opts);
  const files = Array.isArray(file) ? file : [file];
  await preflight({ outputs: outputs.map((o) => o.file), inputs: files });
  const history = HistorySession.prepare(opts);
  const run = runOptions(opts);
  const prepared = await prepare(run);
  // Several files (e.g. --from runs made from different vantage points) are judged as one collection.
  const docs = await Promise.all(files.map((f) => readFactsFile(f)));
  const facts = docs.length === 1 ? docs[0]! : mergeFactsDocuments(docs);
  await history.open(facts.targets.map((t) => t.target.id));
  try {
    history.joinLoginHistory(facts.targets);
    const report = await history.finish(evaluateFacts(facts, { ...run, siteFacts: history.siteFacts, riskHistory: history.riskHistory }, prepared), facts, "evaluate");
    await writeReports(report, outputs, opts);
    return report.summary.gate.exitCode;
  } finally {
    await history.close();
  }
}

export function runOptions(opts: CliOptions): RunOptions {
  const params: Record<string, string> = {};
  for (const p of opts.param ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param takes name=value, got "${p}"`);
    params[p.slice(0, eq).trim()] = p.slice(eq + 1);
  }
  return { rulePaths: [...packPaths(opts.pack ?? []), ...(opts.rules ?? [])], params: resolveActivityWindow(opts.activityWindow, params).params, failOn: opts.failOn ?? "high", alternatives: opts.alternatives, plan: opts.plan };
}

/** Pairs each --format with the --output at the same position; formats left over go to stdout. */
export function planOutputs(opts: CliOptions): { format: FormatName; file?: string }[] {
  const formats = opts.format && opts.format.length > 0 ? opts.format : ["text"];
  const files = Array.isArray(opts.output) ? opts.output : opts.output ? [opts.output] : [];
  for (const f of formats) {
    if (!FORMATS.includes(f as FormatName)) throw new UsageError(`unknown format "${f}" (one of: ${FORMATS.join(", ")})`);
  }
  if (files.length > formats.length) throw new UsageError("more --output files than --format names: give a --format for each --output");
  const plan = formats.map((format, i) => ({ format: format as FormatName, file: files[i] }));
  if (plan.filter((p) => !p.file).length > 1) throw new UsageError("only one format can go to stdout: give the others an --output file");
  return plan;
}

async function resolveTargets(args: string[], opts: CliOptions): Promise<{ targets: TargetSpec[]; inventory: TargetSpec[] }> {
  const targets = args.map((a) => parseTarget(a));
  for (const n of opts.network ?? []) targets.push(parseNetworkTarget(n, { allowLarge: opts.yesLargeNetwork === true }));
  let inventory: TargetSpec[] = [];
  if (opts.inventory) {
    const { loadInventory } = await import("../inventory/load.js");
    inventory = await loadInventory(opts.inventory, { allowLarge: opts.yesLargeNetwork === true });
    // An empty inventory is a mistake, never a reason to scan this machine instead.
    if (inventory.length === 0) throw new UsageError(`inventory ${opts.inventory} names no targets (targets, groups or networks)`);
    targets.push(...inventory);
  }
  if (targets.length === 0) targets.push(parseTarget("local"));
  return { targets, inventory };
}

function optionsFromFlags(opts: CliOptions, inventory: TargetSpec[]): CollectOptions {
  const timeout = opts.timeout !== undefined ? opts.timeout * 1000 : undefined;
  return collectOptions({
    timeoutMs: timeout ?? DEFAULT_TIMEOUT_MS,
    networkTimeoutMs: timeout ?? DEFAULT_NETWORK_TIMEOUT_MS,
    identityFiles: opts.identity ?? [],
    knownHostsFile: opts.knownHosts,
    acceptNewHostKeys: opts.acceptNewHostKeys === true,
    jump: opts.jump,
    sudo: opts.sudo === true,
    bindDN: opts.bindDn,
    starttls: opts.starttls === true,
    caFile: opts.caFile,
    insecureTls: opts.insecureTls === true,
    allowCleartextBind: opts.allowCleartextBind === true,
    vantage: opts.from,
    networkProfile: opts.networkProfile ?? "standard",
    sshConfigFile: opts.sshConfig,
    winrmAuth: opts.winrmAuth,
    rosterFile: opts.roster,
    activityWindowDays: resolveActivityWindow(opts.activityWindow, runOptions(opts).params).days,
    allowLargeNetwork: opts.yesLargeNetwork === true,
    // The scanner's own addresses and gateways are the network, not devices on the scanned segments.
    scannerAddresses: ownAddresses(),
    scannerGateways: routeGateways(),
    // The inventory's hosts, so a network scan can tell listed assets (and their ePHI tags) from strangers.
    ...(opts.inventory
      ? { networkInventory: inventory.filter((t) => t.kind === "host" && t.host).map((t) => ({ address: t.host!, name: t.id, tags: t.tags })) }
      : {}),
  });
}

function shardOption(opts: CliOptions): { spec: ShardSpec; group?: string } | undefined {
  if (opts.group !== undefined) checkGroupName(opts.group);
  if (opts.shard === undefined) {
    if (opts.group !== undefined) throw new UsageError("--group names the shards of one run: give --shard K/N with it");
    return undefined;
  }
  return { spec: parseShard(opts.shard), group: opts.group };
}

/** `--shard K/N`: keeps this shard's targets; the tag goes on the facts (and so the report). */
function applyShard(resolved: { targets: TargetSpec[]; inventory: TargetSpec[] }, shard: ReturnType<typeof shardOption>): { targets: TargetSpec[]; inventory: TargetSpec[]; shard?: ShardTag } {
  if (!shard) return resolved;
  const { targets, tag } = selectShard(resolved.targets, shard.spec, shard.group);
  return { ...resolved, targets, shard: tag };
}

/** Runs `work` (collect, or the whole scan) with the progress display and Ctrl-C handling around it. */
async function withProgress<T>(
  { targets, inventory, shard }: { targets: TargetSpec[]; inventory: TargetSpec[]; shard?: ShardTag },
  opts: CliOptions,
  work: (req: CollectRequest) => Promise<T>,
): Promise<T> {
  const progress = makeProgress({ total: targets.length, quiet: opts.quiet === true, verbose: opts.verbose === true, color: useColor(opts) });
  const controller = new AbortController();
  const onSigint = () => {
    progress.note("interrupted: stopping collectors and keeping what they have (Ctrl-C again to quit at once)");
    process.off("SIGINT", onSigint);
    controller.abort(new Error("interrupted by the user"));
  };
  process.on("SIGINT", onSigint);
  try {
    return await work({
      shard,
      targets,
      options: optionsFromFlags(opts, inventory),
      concurrency: opts.concurrency ?? CLI_OPTIONS.concurrency.default,
      secrets: makeSecretProvider(opts.passwordEnv),
      progress: progress.event,
      log: progress.log,
      signal: controller.signal,
    });
  } finally {
    process.off("SIGINT", onSigint);
    progress.stop();
  }
}

export async function writeReports(report: Report, outputs: { format: FormatName; file?: string }[], opts: CliOptions) {
  const { reporters } = await import("../reporters/index.js");
  const { chunkedReporters } = await import("../reporters/streaming.js");
  for (const { format, file } of outputs) {
    const color = !file && useColor(opts);
    const options = { verbose: opts.verbose === true, style: await makeStyle(color) };
    const chunked = chunkedReporters[format];
    await writeOutput(file, chunked ? { chunks: chunked(report, options) } : reporters[format](report, options));
    if (file && !opts.quiet) process.stderr.write(`${format} report written to ${file}\n`);
  }
  // Cron: with --quiet and every report in a file, silence when the gate passes, one line per problem otherwise.
  if (opts.quiet && outputs.every((o) => o.file)) for (const line of quietProblems(report)) process.stdout.write(`${line}\n`);
}
