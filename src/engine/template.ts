import { resolvePath, type JsonSchema } from "./fact-paths.js";
import { formatValue } from "../core/format-value.js";
import { isUnknown } from "../facts/unknown.js";

/**
 * Message templates: `{{params.NAME}}`, `{{facts.PATH}}`, `{{failed}}`, `{{count}}`. Compiled once;
 * references are checked against the rule's params and the facts schema at load time.
 */
export interface TemplateValues {
  params: Record<string, unknown>;
  facts: Record<string, unknown>;
  failed: string[];
  count: number | undefined;
}
export type CompiledTemplate = (v: TemplateValues) => string;

const MAX_LISTED = 20;

export function compileTemplate(
  text: string,
  params: Record<string, unknown>,
  factsSchema: JsonSchema,
  report: (message: string) => void,
): CompiledTemplate {
  const parts: ((v: TemplateValues) => string)[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    const lit = text.slice(last, m.index);
    parts.push(() => lit);
    last = m.index! + m[0].length;
    const ref = m[1]!;
    const [head, ...rest] = ref.split(".");
    if (head === "failed" && rest.length === 0) parts.push((v) => listLabels(v.failed));
    else if (head === "count" && rest.length === 0) parts.push((v) => (v.count === undefined ? String(v.failed.length) : String(v.count)));
    else if (head === "params" && rest.length === 1) {
      const name = rest[0]!;
      if (!Object.hasOwn(params, name)) report(`template refers to unknown param "${name}"`);
      parts.push((v) => formatValue(Object.hasOwn(v.params, name) ? v.params[name] : undefined));
    } else if (head === "facts" && rest.length > 0) {
      const r = resolvePath(factsSchema, rest, "");
      if ("error" in r) report(`template: ${r.error}`);
      parts.push((v) => formatValue(read(v.facts, rest)));
    } else {
      report(`template placeholder {{${ref}}} is not one of params.NAME, facts.PATH, failed, count`);
      parts.push(() => "");
    }
  }
  const tail = text.slice(last);
  parts.push(() => tail);
  return (v) => {
    let out = "";
    for (const p of parts) out += p(v);
    return out;
  };
}

function read(root: unknown, path: string[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object" || isUnknown(v)) return isUnknown(v) ? v : undefined;
    v = Object.hasOwn(v, seg) ? (v as Record<string, unknown>)[seg] : undefined;
  }
  return v;
}

function listLabels(labels: string[]): string {
  if (labels.length === 0) return "(none)";
  const shown = labels.slice(0, MAX_LISTED).join(", ");
  return labels.length > MAX_LISTED ? `${shown} and ${labels.length - MAX_LISTED} more` : shown;
}
