import { Type, type Static } from "@sinclair/typebox";
import type { RuleProblem } from "../core/errors.js";
import { CITATION_PATTERN } from "./rule-schema.js";
import type { Catalog } from "./catalog.js";
import type { YamlSource } from "./yaml-source.js";

/**
 * NIST cross-references of the HIPAA catalog (rules/<pack>/nist-800-66r2.yaml): per specification,
 * the NIST SP 800-66 Rev. 2 key activities and the SP 800-53 Rev. 5 controls of NIST's OLIR mapping
 * SP-800-66-Rev-2-to-SP-800-53-Rev-5.1.1. The data file says where each entry was read from.
 */
export const NIST_FILE = "nist-800-66r2.yaml";

const strict = { additionalProperties: false } as const;
/** SP 800-53 control or enhancement id as SP 800-53 writes it: AC-2, CP-9(1). */
export const CONTROL_PATTERN = "^[A-Z]{2}-[1-9][0-9]?(\\([1-9][0-9]?\\))?$";
const Control = Type.String({ pattern: CONTROL_PATTERN });

export const KeyActivitySchema = Type.Object(
  {
    /** The SP 800-66r2 standard (its CPRT element id, e.g. `164.312(a)`) whose table lists the activity. */
    standard: Type.String({ minLength: 1 }),
    number: Type.Integer({ minimum: 1 }),
    title: Type.String({ minLength: 1 }),
  },
  strict,
);

/** What the report's catalog entry carries (`catalog[].nist`). */
export const NistRefsSchema = Type.Object(
  {
    keyActivities: Type.Array(KeyActivitySchema),
    /** SP 800-53 Rev. 5 controls both read copies of the OLIR mapping give for this specification. */
    sp80053: Type.Array(Control),
    /** Set instead of references when the specification is listed as unmapped. */
    unmapped: Type.Optional(Type.String({ minLength: 1 })),
  },
  strict,
);
export type NistRefs = Static<typeof NistRefsSchema>;

export const NistMappingSchema = Type.Object(
  {
    source: Type.Object(
      {
        document: Type.String({ minLength: 1 }),
        documentUrl: Type.String({ minLength: 1 }),
        cprtFramework: Type.String({ minLength: 1 }),
        cprtUrl: Type.String({ minLength: 1 }),
        olir: Type.String({ minLength: 1 }),
        retrieved: Type.String({ format: "date" }),
        copies: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
      },
      strict,
    ),
    specs: Type.Array(
      Type.Object(
        {
          citation: Type.String({ pattern: CITATION_PATTERN }),
          cprtElement: Type.String({ minLength: 1 }),
          keyActivities: Type.Array(KeyActivitySchema, { minItems: 1 }),
          sp80053: Type.Array(Control, { minItems: 1 }),
          /** Controls only one read copy gives: not shown as references. */
          unconfirmed: Type.Optional(Type.Array(Type.Object({ control: Control, reason: Type.String({ minLength: 1 }) }, strict))),
        },
        strict,
      ),
    ),
    unmapped: Type.Array(Type.Object({ citation: Type.String({ pattern: CITATION_PATTERN }), reason: Type.String({ minLength: 1 }) }, strict)),
  },
  strict,
);
export type NistMapping = Static<typeof NistMappingSchema>;

/**
 * Checks a schema-valid mapping against the catalog (every citation is a catalog specification and
 * listed once; every specification of the mapping's own pack, `own`, is mapped or listed as
 * unmapped) and returns the references by citation. Problems carry the position in the mapping file.
 */
export function nistReferences(src: YamlSource, catalog: Catalog, own: readonly string[], problems: RuleProblem[]): Map<string, NistRefs> {
  const data = src.data as NistMapping;
  const known = new Set(catalog.specs.map((s) => s.citation));
  const out = new Map<string, NistRefs>();
  const add = (citation: string, refs: NistRefs, path: (string | number)[]) => {
    if (!known.has(citation)) problems.push(src.problem(path, `citation ${citation} is not in the HIPAA catalog`));
    else if (out.has(citation)) problems.push(src.problem(path, `citation ${citation} is listed twice`));
    else out.set(citation, refs);
  };
  data.specs.forEach((s, i) => add(s.citation, { keyActivities: s.keyActivities, sp80053: [...new Set(s.sp80053)] }, ["specs", i, "citation"]));
  data.unmapped.forEach((u, i) => add(u.citation, { keyActivities: [], sp80053: [], unmapped: u.reason }, ["unmapped", i, "citation"]));
  const missing = own.filter((c) => !out.has(c));
  if (missing.length > 0) problems.push(src.problem(["specs"], `no NIST references for ${missing.join(", ")}: map them or list them under unmapped with a reason`));
  return out;
}
