import { LineCounter, parseDocument, isMap, isPair, isScalar, isNode, visit, type Document, type Node } from "yaml";
import type { RuleProblem } from "../core/errors.js";

/** A YAML file parsed with positions, so any problem found later can be reported as file:line:col. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** Position of the node at a JSON-pointer-like path (or of its nearest existing ancestor). */
  locate(path: readonly (string | number)[], opts?: { key?: boolean }): { line: number; col: number };
  problem(path: readonly (string | number)[], message: string, opts?: { key?: boolean }): RuleProblem;
}

/** Parses YAML text; syntax errors (including duplicate keys) come back as problems with positions. */
export function parseYamlSource(file: string, text: string): { source?: YamlSource; problems: RuleProblem[] } {
  const lineCounter = new LineCounter();
  // Duplicate keys are found below, so they can be reported at the second key rather than the map.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true });
  const problems: RuleProblem[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          const { line, col } = lineCounter.linePos(pair.key.range?.[0] ?? 0);
          problems.push({ file, line, col, message: `duplicate key "${key}"` });
        }
        seen.add(key);
      }
    },
  });
  for (const err of [...doc.errors, ...doc.warnings]) {
    const { line, col } = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    problems.push({ file, line, col, message: err.message.split("\n")[0]! });
  }
  if (problems.length > 0) return { problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (a "billion laughs" file).
    const { line, col } = lineCounter.linePos(firstAliasOffset(doc));
    const message = /alias/i.test((err as Error).message)
      ? `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT} per alias): refusing a file that expands without bound`
      : `cannot read this YAML: ${String((err as Error).message).split("\n")[0]}`;
    return { problems: [{ file, line, col, message }] };
  }
  const locate = (path: readonly (string | number)[], opts: { key?: boolean } = {}) => {
    const offset = offsetOf(doc, path, opts.key === true);
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  return {
    problems,
    source: {
      file,
      data,
      locate,
      problem: (path, message, opts) => ({ file, ...locate(path, opts), message }),
    },
  };
}

const MAX_ALIAS_COUNT = 100;

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function offsetOf(doc: Document, path: readonly (string | number)[], wantKey: boolean): number {
  let node: Node | null | undefined = doc.contents;
  let best = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (!isNode(node) && !isMap(node)) break;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const last = i === path.length - 1;
      if (last && wantKey && isNode(pair.key)) return pair.key.range?.[0] ?? best;
      node = pair.value as Node | null;
      const keyStart = isNode(pair.key) ? pair.key.range?.[0] : undefined;
      best = node?.range?.[0] ?? keyStart ?? best;
    } else if ("items" in node && Array.isArray((node as { items: unknown[] }).items)) {
      const item: unknown = (node as { items: unknown[] }).items[Number(seg)];
      if (!isNode(item)) break;
      node = item;
      best = item.range?.[0] ?? best;
    } else break;
  }
  return best;
}
