import { createHash } from "node:crypto";

/**
 * Canonical JSON for hashing run records, after RFC 8785 (JSON Canonicalization Scheme): object
 * keys sorted by UTF-16 code units, no whitespace, strings as JSON.stringify writes them, numbers
 * in ECMAScript's shortest form (what JSON.stringify writes), `undefined` members left out.
 * Records hold no non-finite numbers; one that does is refused rather than silently hashed as null.
 */
export function canonicalJson(value: unknown): string {
  return [...canonicalPieces(value)].join("");
}

/**
 * Canonical JSON in pieces: a run record's two top levels (the record, its findings list) piece by
 * piece, each finding whole. Joining at every level made several copies of a 2,000-host record
 * (~35 MB) at once; the history hashes and compresses these pieces as they come (src/history/chain.ts).
 */
export function* canonicalPieces(value: unknown, depth = 2): Generator<string> {
  if (depth === 0 || value === null || typeof value !== "object") {
    yield canonicalValue(value);
    return;
  }
  if (Array.isArray(value)) {
    yield "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ",";
      const v: unknown = value[i];
      if (v === undefined) yield "null";
      else yield* canonicalPieces(v, depth - 1);
    }
    yield "]";
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  yield "{";
  for (let i = 0; i < keys.length; i++) {
    yield `${i > 0 ? "," : ""}${JSON.stringify(keys[i])}:`;
    yield* canonicalPieces(obj[keys[i]!], depth - 1);
  }
  yield "}";
}

function canonicalValue(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalValue(v))).join(",")}]`;
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalValue(obj[k])}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
}

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
