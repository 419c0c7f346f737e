/**
 * `JSON.stringify(value, null, gap)` a piece at a time: the same text, without ever holding all of
 * it. Objects and arrays down to `depth` levels are walked here; below that each value is one
 * `JSON.stringify` call re-indented to its place (JSON text has no raw line breaks inside strings,
 * so re-indenting is putting the indent after each "\n"). Values with `toJSON` go to
 * `JSON.stringify` whole, so they come out as it writes them.
 */
export function* jsonChunks(value: unknown, gap = "  ", depth = 2, indent = ""): Generator<string> {
  if (depth <= 0 || value === null || typeof value !== "object" || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    const text = JSON.stringify(value, null, gap) as string | undefined;
    if (text === undefined) throw new TypeError("jsonChunks: no JSON text for this value");
    yield indent && text.includes("\n") ? text.replaceAll("\n", `\n${indent}`) : text;
    return;
  }
  const inner = indent + gap;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield "[]";
      return;
    }
    yield "[";
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? "" : ","}\n${inner}`;
      const v: unknown = value[i];
      if (skipped(v)) yield "null";
      else yield* jsonChunks(v, gap, depth - 1, inner);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => !skipped(v));
  if (entries.length === 0) {
    yield "{}";
    return;
  }
  yield "{";
  let first = true;
  for (const [k, v] of entries) {
    yield `${first ? "" : ","}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* jsonChunks(v, gap, depth - 1, inner);
  }
  yield `\n${indent}}`;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const skipped = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";
