import { MiB, readTextFile } from "../core/text-file.js";
import { Type } from "@sinclair/typebox";
import { ConfigFileError, UsageError, errorMessage, type RuleProblem } from "../core/errors.js";
import type { Finding } from "../core/model.js";
import { makeAjv } from "../engine/ajv.js";
import type { RuleSet } from "../engine/packs.js";
import { parseYamlSource } from "../engine/yaml-source.js";

/**
 * Documented alternative measures (45 CFR 164.306(d)(3)): for an *addressable* specification the
 * practice may document why the measure is not reasonable and what equivalent it uses instead.
 * A covered failing finding stays `fail` in the report, marked with the alternative, and does not
 * fail the gate; an alternative past its review date covers nothing until it is reviewed.
 */
export const AlternativesSchema = Type.Object(
  {
    alternatives: Type.Array(
      Type.Object(
        {
          rule: Type.String({ minLength: 1 }),
          /** Target ids as given on the command line; all targets when left out. */
          targets: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
          justification: Type.String({ minLength: 20 }),
          owner: Type.String({ minLength: 1 }),
          reviewBy: Type.String({ format: "date" }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export interface Alternative {
  rule: string;
  targets?: string[];
  justification: string;
  owner: string;
  reviewBy: string;
}

const MAX_ALTERNATIVES_BYTES = 4 * MiB;

/** Loads and checks the file before anything is scanned: unknown rules and Required specs are refused. */
export async function loadAlternatives(file: string, ruleSet: RuleSet): Promise<Alternative[]> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_ALTERNATIVES_BYTES);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${errorMessage(err)}`);
  }
  const { source, problems } = parseYamlSource(file, text);
  if (!source) throw new ConfigFileError(problems);
  const validate = makeAjv().compile(AlternativesSchema);
  if (!validate(source.data)) {
    const found: RuleProblem[] = (validate.errors ?? []).map((e) =>
      source.problem(e.instancePath.split("/").slice(1), `${e.instancePath || "(top level)"} ${e.message ?? "is invalid"}${e.keyword === "additionalProperties" ? `: "${String(e.params.additionalProperty)}"` : ""}`),
    );
    throw new ConfigFileError(found);
  }
  const list = (source.data as { alternatives: Alternative[] }).alternatives;
  const status = new Map(ruleSet.catalog.specs.map((s) => [s.citation, s.status]));
  list.forEach((alt, i) => {
    const rule = ruleSet.rules.find((r) => r.def.id === alt.rule);
    if (!rule) problems.push(source.problem(["alternatives", i, "rule"], `no rule "${alt.rule}" (see: hipaa-scan rules list)`));
    else {
      const required = rule.def.hipaa.filter((c) => status.get(c) !== "addressable");
      if (required.length > 0) {
        problems.push(
          source.problem(["alternatives", i, "rule"], `${alt.rule} cites ${required.join(", ")}, which is not addressable: only addressable specifications can be met by an alternative measure`),
        );
      }
    }
  });
  if (problems.length > 0) throw new ConfigFileError(problems);
  return list;
}

/** Marks failing findings covered by a current alternative; returns new findings, never mutates. */
export function applyAlternatives(findings: Finding[], alternatives: Alternative[], today: string): Finding[] {
  if (alternatives.length === 0) return findings;
  return findings.map((f) => {
    if (f.status !== "fail") return f;
    const alt = alternatives.find((a) => a.rule === f.ruleId && (!a.targets || a.targets.includes(f.target.id)));
    if (!alt) return f;
    if (alt.reviewBy < today) {
      return { ...f, message: `${f.message} The documented alternative measure (owner ${alt.owner}) was due for review on ${alt.reviewBy} and no longer counts.` };
    }
    return { ...f, alternative: { justification: alt.justification, owner: alt.owner, reviewBy: alt.reviewBy } };
  });
}
