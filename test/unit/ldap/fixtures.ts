import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import type { Entry } from "ldapts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../fixtures/ldap");

/** Loads a captured search result, turning `{ $base64 }` back into Buffers. */
export function loadEntries(file: string): Entry[] {
  const raw = JSON.parse(readFileSync(join(ROOT, file), "utf8")) as Record<string, unknown>[];
  return raw.map((e) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      out[k] = v && typeof v === "object" && "$base64" in v ? Buffer.from((v as { $base64: string }).$base64, "base64") : v;
    }
    return out as Entry;
  });
}
