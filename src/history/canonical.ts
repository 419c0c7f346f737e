import { createHash } from "node:crypto";

/**
 * Canonical JSON for hashing run records, after RFC 8785 (JSON Canonicalization Scheme): object
 * keys sorted by UTF-16 code units, no whitespace, strings as JSON.stringify writes them, numbers
 * in ECMAScript's shortest form (what JSON.stringify writes), `undefined` members left out.
 * Records hold no non-finite numbers; one that does is refused rather than silently hashed as null.
 */
export function canonicalJson(value: unknown): string {
  // A run record's two top levels (the record, its findings list) are written as pieces joined
  // once: joining at every level made several copies of a 2,000-host record (~40 MB) at once.
  if (value !== null && typeof value === "object") {
    const out: string[] = [];
    writeTop(value, out, 2);
    return out.join("");
  }
  return canonicalValue(value);
}

function writeTop(value: object, out: string[], depth: number): void {
  const put = (v: unknown) => (depth > 1 && v !== null && typeof v === "object" ? writeTop(v, out, depth - 1) : out.push(canonicalValue(v)));
  if (Array.isArray(value)) {
    out.push("[");
    value.forEach((v: unknown, i) => {
      if (i > 0) out.push(",");
      if (v === undefined) out.push("null");
      else put(v);
    });
    out.push("]");
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  out.push("{");
  keys.forEach((k, i) => {
    out.push(`${i > 0 ? "," : ""}${JSON.stringify(k)}:`);
    put(obj[k]);
  });
  out.push("}");
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
