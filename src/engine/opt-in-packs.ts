import { dirname, join } from "node:path";
import { UsageError } from "../core/errors.js";
import { BUILTIN_PACK_DIR } from "./packs.js";

/**
 * Opt-in packs shipped with hipaa-scan (`--pack ID`), beside the built-in pack under rules/.
 * `hipaa-nprm-2025`: readiness for the proposed Security Rule update (90 FR 898, 6 January 2025;
 * a proposed rule, not final).
 */
export const OPT_IN_PACKS = ["hipaa-nprm-2025"] as const;

export function packPaths(ids: string[]): string[] {
  return ids.map((id) => {
    if (!(OPT_IN_PACKS as readonly string[]).includes(id)) throw new UsageError(`unknown pack "${id}" (opt-in packs: ${OPT_IN_PACKS.join(", ")})`);
    return join(dirname(BUILTIN_PACK_DIR), id);
  });
}
