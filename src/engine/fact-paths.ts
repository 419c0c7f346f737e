/**
 * Resolves rule fact paths against the facts JSON Schema at compile time, so a misspelt path is a
 * load error rather than a silent `error` finding on every target.
 */

/** The subset of JSON Schema that TypeBox emits for facts. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  const?: unknown;
  title?: string;
}

export type ValueKind = "string" | "number" | "boolean" | "null" | "array" | "object" | "any";

/** The schema's branches, with the `unknown` marker object and unions flattened out. */
function branches(schema: JsonSchema): JsonSchema[] {
  if (schema.anyOf) return schema.anyOf.flatMap(branches);
  if (schema.title === "Unknown") return [];
  return [schema];
}

export function kindsOf(schema: JsonSchema): Set<ValueKind> {
  const out = new Set<ValueKind>();
  for (const b of branches(schema)) {
    if (b.const !== undefined) out.add(typeof b.const === "number" ? "number" : typeof b.const === "boolean" ? "boolean" : "string");
    else if (b.type === undefined) out.add("any");
    else for (const t of [b.type].flat()) out.add(t === "integer" ? "number" : (t as ValueKind));
  }
  return out;
}

/** Schema of one child key, or undefined when no branch has it. */
function child(schema: JsonSchema, key: string): JsonSchema | undefined {
  const found: JsonSchema[] = [];
  for (const b of branches(schema)) {
    if (b.type === undefined) return {}; // free-form: anything below is allowed
    // Own keys only: "constructor" or "__proto__" name no fact.
    const prop = b.properties && Object.hasOwn(b.properties, key) ? b.properties[key] : undefined;
    if (prop) found.push(prop);
    else if (b.patternProperties) {
      for (const [pattern, s] of Object.entries(b.patternProperties)) if (new RegExp(pattern).test(key)) found.push(s);
    } else if (typeof b.additionalProperties === "object") found.push(b.additionalProperties);
  }
  if (found.length === 0) return undefined;
  return found.length === 1 ? found[0] : { anyOf: found };
}

/** Item schema of a list, or undefined when the schema is not a list. */
export function itemSchema(schema: JsonSchema): JsonSchema | undefined {
  const items = branches(schema).filter((b) => b.type === "array" || b.type === undefined);
  if (items.length === 0) return undefined;
  return items[0]!.items ?? {};
}

export type Resolved = { schema: JsonSchema } | { error: string };

/** Walks `segments` down from `schema`; the error names the first segment that does not exist. */
export function resolvePath(schema: JsonSchema, segments: readonly string[], shownPrefix: string): Resolved {
  let current = schema;
  const walked: string[] = [];
  for (const seg of segments) {
    if (kindsOf(current).has("array") && !kindsOf(current).has("any")) {
      return { error: `${[shownPrefix, ...walked].filter(Boolean).join(".")} is a list: use each, count or unique to look inside it` };
    }
    const next = child(current, seg);
    if (!next) {
      const where = [shownPrefix, ...walked].filter(Boolean).join(".") || "the facts";
      const known = branches(current).flatMap((b) => Object.keys(b.properties ?? {}));
      const hint = known.length > 0 ? ` (known: ${[...new Set(known)].sort().join(", ")})` : "";
      return { error: `unknown fact "${seg}" in ${where}${hint}` };
    }
    walked.push(seg);
    current = next;
  }
  return { schema: current };
}
