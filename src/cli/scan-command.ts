import { DEFAULT_NETWORK_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, collectOptions } from "../collectors/options.js";
import type { CollectOptions } from "../collectors/types.js";
import { UsageError } from "../core/errors.js";
import type { Report, TargetSpec } from "../core/model.js";
import { parseNetworkTarget, parseTarget } from "../core/targets.js";
import { collectFacts, evaluateFacts, evaluateFile, prepare, type RunOptions } from "../pipeline.js";
import type { FailOn } from "../report/build.js";
import { FORMATS, type FormatName } from "../reporters/index.js";
import { writeOutput } from "./output.js";
import { makeProgress } from "./progress.js";
import { makeSecretProvider } from "./secrets.js";
import { makeStyle, useColor } from "./style.js";
import { packPaths } from "../engine/opt-in-packs.js";

/** Options commander hands the scan, collect and evaluate actions. */
export interface CliOptions {
  network?: string[];
  networkProfile?: "quick" | "standard" | "thorough";
  yesLargeNetwork?: boolean;
  from?: string;
  inventory?: string;
  concurrency?: number;
  timeout?: number;
  identity?: string[];
  knownHosts?: string;
  acceptNewHostKeys?: boolean;
  jump?: string;
  sudo?: boolean;
  passwordEnv?: string;
  bindDn?: string;
  starttls?: boolean;
  caFile?: string;
  insecureTls?: boolean;
  roster?: string;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  format?: string[];
  output?: string[] | string;
  failOn?: FailOn;
  rules?: string[];
  param?: string[];
  saveFacts?: string;
  alternatives?: string;
  plan?: string;
  pack?: string[];
}

export async function scanCommand(targetArgs: string[], opts: CliOptions): Promise<number> {
  const outputs = planOutputs(opts);
  const run = runOptions(opts);
  const prepared = await prepare(run); // rule packs compiled before any target is touched
  const facts = await collectWithProgress(await resolveTargets(targetArgs, opts), opts);
  if (opts.saveFacts) await writeOutput(opts.saveFacts, `${JSON.stringify(facts, null, 2)}\n`);
  const report = evaluateFacts(facts, run, prepared);
  await writeReports(report, outputs, opts);
  return report.summary.gate.exitCode;
}

export async function collectCommand(targetArgs: string[], opts: CliOptions): Promise<number> {
  const file = typeof opts.output === "string" ? opts.output : undefined;
  const facts = await collectWithProgress(await resolveTargets(targetArgs, opts), opts);
  await writeOutput(file, `${JSON.stringify(facts, null, 2)}\n`);
  if (file && !opts.quiet) process.stderr.write(`facts for ${facts.targets.length} target(s) written to ${file}\n`);
  return facts.targets.every((t) => t.status === "ok") ? 0 : 3;
}

export async function evaluateCommand(file: string, opts: CliOptions): Promise<number> {
  const outputs = planOutputs(opts);
  const report = await evaluateFile(file, runOptions(opts));
  await writeReports(report, outputs, opts);
  return report.summary.gate.exitCode;
}

function runOptions(opts: CliOptions): RunOptions {
  const params: Record<string, string> = {};
  for (const p of opts.param ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param takes name=value, got "${p}"`);
    params[p.slice(0, eq).trim()] = p.slice(eq + 1);
  }
  return { rulePaths: [...packPaths(opts.pack ?? []), ...(opts.rules ?? [])], params, failOn: opts.failOn ?? "high", alternatives: opts.alternatives, plan: opts.plan };
}

/** Pairs each --format with the --output at the same position; formats left over go to stdout. */
function planOutputs(opts: CliOptions): { format: FormatName; file?: string }[] {
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
    vantage: opts.from,
    networkProfile: opts.networkProfile ?? "standard",
    extra: {
      rosterFile: opts.roster,
      allowLargeNetwork: opts.yesLargeNetwork === true,
      // The inventory's hosts, so a network scan can tell listed assets (and their ePHI tags) from strangers.
      ...(opts.inventory
        ? { networkInventory: inventory.filter((t) => t.kind === "host" && t.host).map((t) => ({ address: t.host, name: t.id, tags: t.tags })) }
        : {}),
    },
  });
}

async function collectWithProgress({ targets, inventory }: { targets: TargetSpec[]; inventory: TargetSpec[] }, opts: CliOptions) {
  const progress = makeProgress({ total: targets.length, quiet: opts.quiet === true, verbose: opts.verbose === true, color: useColor(opts) });
  const controller = new AbortController();
  const onSigint = () => {
    progress.note("interrupted: stopping collectors and keeping what they have (Ctrl-C again to quit at once)");
    process.off("SIGINT", onSigint);
    controller.abort(new Error("interrupted by the user"));
  };
  process.on("SIGINT", onSigint);
  try {
    return await collectFacts({
      targets,
      options: optionsFromFlags(opts, inventory),
      concurrency: opts.concurrency ?? 32,
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

async function writeReports(report: Report, outputs: { format: FormatName; file?: string }[], opts: CliOptions) {
  const { reporters } = await import("../reporters/index.js");
  for (const { format, file } of outputs) {
    const color = !file && useColor(opts);
    const text = reporters[format](report, { verbose: opts.verbose === true, style: await makeStyle(color) });
    await writeOutput(file, text);
    if (file && !opts.quiet) process.stderr.write(`${format} report written to ${file}\n`);
  }
}
