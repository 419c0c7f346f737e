import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { UsageError } from "../core/errors.js";
import { checkLocation, historyLocation, isPostgres, openStore } from "../history/location.js";
import { historySource } from "../history/merge-source.js";
import type { HistoryStore } from "../history/types.js";
import { fileSource, mergeShards, type MergeSource } from "../merge.js";
import { prepare } from "../pipeline.js";
import { checkGroupName } from "../shard.js";
import { planOutputs, runOptions, writeReports, type CliOptions } from "./scan-command.js";

/** merge's options: `--history` may come without a value (the default store). */
export type MergeCliOptions = Omit<CliOptions, "history"> & { history?: string | boolean };

/**
 * `merge FILE…` or `merge --history [URL] --group G`: the shards of one run into one report; exit
 * code from its gate. Reading from the history records nothing in it: the shards' runs are the
 * run's record, and a merged run added to the chain would count the run twice.
 */
export async function mergeCommand(files: string[], opts: MergeCliOptions): Promise<number> {
  const fromHistory = opts.history !== undefined && opts.history !== false;
  if (fromHistory && files.length > 0) throw new UsageError("merge reads either the shards' files or --history --group G, not both");
  if (!fromHistory && files.length === 0) throw new UsageError("merge needs the shards' facts files or JSON reports, or --history [URL] --group G");
  if (!fromHistory && opts.group !== undefined) throw new UsageError("--group goes with --history: merge FILE… takes the run group from the files");
  if (fromHistory && opts.group === undefined) throw new UsageError("merge --history needs --group G, the run group the shards were scanned with");
  const location = fromHistory ? historyLocation(typeof opts.history === "string" ? opts.history : undefined, process.env, homedir()) : undefined;
  if (location !== undefined) {
    checkGroupName(opts.group!);
    checkLocation(location);
    if (!isPostgres(location) && !existsSync(location)) throw new UsageError(`no history store at ${location}`);
  }
  const outputs = planOutputs(opts as CliOptions);
  const run = runOptions(opts as CliOptions);
  const prepared = await prepare(run);
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  let store: HistoryStore | undefined;
  try {
    let source: MergeSource;
    if (location !== undefined) {
      store = await openStore(location);
      source = historySource(store, opts.group!, say);
    } else source = fileSource(files);
    const outcome = await mergeShards(source, run, prepared);
    for (const m of outcome.missing) say(`shard ${m.index}/${outcome.count} of run group ${outcome.group} is missing: its ${m.targets} target(s) are reported as errors`);
    await writeReports(outcome.report, outputs, opts as CliOptions);
    return outcome.report.summary.gate.exitCode;
  } finally {
    await store?.close();
  }
}
