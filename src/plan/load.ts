import { readFile } from "node:fs/promises";
import { ConfigFileError, UsageError, errorMessage, type RuleProblem } from "../core/errors.js";
import { makeAjv } from "../engine/ajv.js";
import { parseYamlSource } from "../engine/yaml-source.js";
import { PlanFileSchema, type PlanFile } from "./schema.js";

/** Reads and validates a plan file; every problem is a `file:line:col` line (exit 2, before scanning). */
export async function loadPlan(file: string): Promise<PlanFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${errorMessage(err)}`);
  }
  return parsePlan(file, text);
}

export function parsePlan(file: string, text: string): PlanFile {
  const { source, problems } = parseYamlSource(file, text);
  if (!source) throw new ConfigFileError(problems);
  const validate = makeAjv().compile(PlanFileSchema);
  if (!validate(source.data)) {
    const found: RuleProblem[] = (validate.errors ?? [])
      .filter((e) => e.keyword !== "if")
      .map((e) => {
        const path = e.instancePath.split("/").slice(1);
        const missing = e.keyword === "required" ? String(e.params.missingProperty) : "";
        const what =
          e.keyword === "additionalProperties"
            ? `: "${String(e.params.additionalProperty)}"`
            : missing === "justification" || missing === "reviewBy"
              ? " (status accepted needs a justification and a reviewBy date)"
              : "";
        return source.problem(path, `${e.instancePath || "(top level)"} ${e.message ?? "is invalid"}${what}`);
      });
    throw new ConfigFileError(found);
  }
  const plan = source.data as PlanFile;
  const seen = new Set<string>();
  plan.items.forEach((item, i) => {
    if (seen.has(item.risk)) problems.push(source.problem(["items", i, "risk"], `risk ${item.risk} is listed twice`));
    seen.add(item.risk);
  });
  if (problems.length > 0) throw new ConfigFileError(problems);
  return plan;
}
