import { readFile } from "node:fs/promises";
import { UsageError } from "../core/errors.js";
import type { Report } from "../core/model.js";
import { initPlan, renderPlan } from "../plan/init.js";
import { readReportFile } from "../report/read.js";
import { loadPlan } from "../plan/load.js";
import type { PlanFile } from "../plan/schema.js";
import { splitRiskParams } from "../risk/params.js";
import { writeOutput } from "./output.js";

/** `hipaa-scan plan init REPORT -o PLAN`: the register of a JSON report → a plan file (0600, atomic). */
export async function planInit(reportFile: string, opts: { output: string; param?: string[] }): Promise<number> {
  const raw: Record<string, string> = {};
  for (const p of opts.param ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param takes name=value, got "${p}"`);
    raw[p.slice(0, eq).trim()] = p.slice(eq + 1);
  }
  const { rule, risk } = splitRiskParams(raw);
  if (Object.keys(rule).length > 0) throw new UsageError(`plan init takes only plan.* and risk.* params, not ${Object.keys(rule).join(", ")}`);
  // Either published report version, validated (src/report/read.ts).
  const report: Report = await readReportFile(reportFile);
  if (!Array.isArray(report.risks)) {
    throw new UsageError(`${reportFile} is not a hipaa-scan JSON report with a risk register (write one with: hipaa-scan scan --format json --output ${reportFile})`);
  }
  const existing: PlanFile | undefined = await readFile(opts.output, "utf8").then(
    () => loadPlan(opts.output),
    () => undefined,
  );
  const plan = initPlan(report.risks, risk, new Date().toISOString().slice(0, 10), existing);
  await writeOutput(opts.output, renderPlan(plan));
  const added = plan.items.length - (existing?.items.length ?? 0);
  process.stderr.write(`plan with ${plan.items.length} item(s) (${added} new) written to ${opts.output}\n`);
  return 0;
}
