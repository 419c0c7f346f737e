import { isUnknown } from "../facts/unknown.js";

/**
 * Short, stable text for values in evidence and messages. Shared by the rule engine (messages,
 * templates) and the reporters (evidence), so it lives below both.
 */
export function formatValue(v: unknown): string {
  if (v === null) return "not set";
  if (v === undefined) return "unset";
  if (isUnknown(v)) return "unknown";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.length === 0 ? "(none)" : v.map(formatValue).join(", ");
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}
