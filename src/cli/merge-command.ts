import { fileSource, mergeShards } from "../merge.js";
import { prepare } from "../pipeline.js";
import { planOutputs, runOptions, writeReports, type CliOptions } from "./scan-command.js";

/** `merge FILE…`: the shards of one run into one report; exit code from its gate. */
export async function mergeCommand(files: string[], opts: CliOptions): Promise<number> {
  const outputs = planOutputs(opts);
  const run = runOptions(opts);
  const prepared = await prepare(run);
  const outcome = await mergeShards(fileSource(files), run, prepared);
  if (!opts.quiet) {
    for (const m of outcome.missing) {
      process.stderr.write(`shard ${m.index}/${outcome.count} of run group ${outcome.group} is missing: its ${m.targets} target(s) are reported as errors\n`);
    }
  }
  await writeReports(outcome.report, outputs, opts);
  return outcome.report.summary.gate.exitCode;
}
