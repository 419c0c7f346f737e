import { isIP } from "node:net";
import type { TargetSpec } from "../core/model.js";
import type { InventoryHost } from "./classify.js";

/**
 * The hosts an inventory lists for network scans, by address. The CLI puts them in
 * `ctx.options.networkInventory` as `[{ address, name?, tags? }]`; a `--network` target that
 * is a single address also counts its own inventory tags (e.g. `ephi: true`).
 * Returns undefined when no inventory was given, so "not in the inventory" is never claimed without one.
 */
export function inventoryFor(
  target: TargetSpec,
  hosts: readonly unknown[] | { networkInventory?: readonly unknown[] } | undefined,
): Map<string, InventoryHost> | undefined {
  // Entries are checked one by one below: the list may come from a saved or hand-written file.
  const raw = Array.isArray(hosts) ? hosts : (hosts as { networkInventory?: readonly unknown[] } | undefined)?.networkInventory;
  let map: Map<string, InventoryHost> | undefined;
  if (Array.isArray(raw)) {
    map = new Map();
    for (const e of raw) {
      if (typeof e !== "object" || e === null) continue;
      const { address, name, tags } = e as { address?: unknown; name?: unknown; tags?: unknown };
      if (typeof address !== "string" || isIP(address) === 0) continue;
      const t: Record<string, string | boolean> = {};
      if (typeof tags === "object" && tags !== null) {
        for (const [k, v] of Object.entries(tags)) if (typeof v === "string" || typeof v === "boolean") t[k] = v;
      }
      map.set(address, { address, name: typeof name === "string" ? name : undefined, tags: t });
    }
  }
  const single = target.host && isIP(target.host) !== 0 && !target.id.includes("/") ? target.host : undefined;
  if (single && Object.keys(target.tags).length > 0) {
    map ??= new Map();
    const prev = map.get(single);
    map.set(single, { address: single, name: prev?.name, tags: { ...(prev?.tags ?? {}), ...target.tags } });
  }
  return map;
}
