import { readFileSync } from "node:fs";
import { NmapXmlStream } from "../../../src/transports/nmap/xml.js";
import { toNmapHost, type NmapHost } from "../../../src/transports/nmap/host.js";
import { attr } from "../../../src/transports/nmap/xml.js";
import { parseRunstats, type NmapRunResult } from "../../../src/transports/nmap/run.js";
import { buildNmapArgs } from "../../../src/transports/nmap/profiles.js";
import { buildNetworkFacts } from "../../../src/network/facts.js";
import type { InventoryHost } from "../../../src/network/classify.js";
import type { TargetFactsOf } from "../../../src/core/model.js";

export const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/nmap/${name}`, import.meta.url), "utf8");

/** Reads a captured `-oX` file the way runNmap reads nmap's stdout. */
export function readCapture(name: string): Pick<NmapRunResult, "version" | "runstats"> & { hosts: NmapHost[] } {
  const out: Pick<NmapRunResult, "version" | "runstats"> & { hosts: NmapHost[] } = { version: null, runstats: null, hosts: [] };
  const s = new NmapXmlStream((e) => {
    if (e.type === "nmaprun") out.version = attr(e.attrs, "version") ?? null;
    if (e.type === "host") out.hosts.push(toNmapHost(e.node));
    if (e.type === "runstats") out.runstats = parseRunstats(e.node);
  });
  s.push(fixture(name));
  return out;
}

/** Lab inventory (test/lab/network/lab.sh): the router interfaces, the guest client and the segmented ePHI server. */
export const LAB_INVENTORY: InventoryHost[] = [
  { address: "10.77.1.1", name: "router", tags: { class: "gateway" } },
  { address: "10.77.1.10", name: "ehr-flat", tags: { ephi: true } },
  { address: "10.77.1.50", name: "guest-laptop", tags: { class: "guest" } },
  { address: "10.77.2.1", name: "router", tags: { class: "gateway" } },
  { address: "10.77.2.10", name: "ehr-db", tags: { ephi: true } },
  { address: "10.77.4.1", name: "router", tags: { class: "gateway" } },
  { address: "10.77.5.1", name: "router", tags: { class: "gateway" } },
];

export function factsFromCapture(
  name: string,
  opts: { target: string; vantage?: string; inventory?: InventoryHost[]; now?: Date; profile?: "quick" | "standard" },
): TargetFactsOf<"network"> {
  const run = readCapture(name);
  const profile = opts.profile ?? "standard";
  const plan = buildNmapArgs({ profile, privileged: true, resolveNames: false, skipDiscovery: false, statsEverySeconds: 2 });
  const now = opts.now ?? new Date("2026-11-22T21:00:00Z");
  const facts = buildNetworkFacts({
    hosts: run.hosts,
    run,
    plan,
    profile,
    privileged: true,
    vantage: opts.vantage ?? null,
    target: opts.target,
    inventory: opts.inventory ? new Map(opts.inventory.map((h) => [h.address, h])) : undefined,
    now,
  });
  return {
    target: { kind: "network", id: opts.target },
    status: "ok",
    collector: "network/nmap",
    collectedAt: now.toISOString(),
    tags: {},
    facts: facts as unknown as Record<string, unknown>,
    sources: {},
    notes: plan.notes,
  };
}

/**
 * The network rules alone, loaded as their own pack (pack.yaml and catalog.yaml copied next to them),
 * so these tests judge the network rules and are not blocked by another area's rule in progress.
 */
export async function loadNetworkRules() {
  const { cpSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { loadRuleSet } = await import("../../../src/engine/packs.js");
  const root = new URL("../../../rules/hipaa/", import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), "hsn-pack-"));
  for (const f of ["pack.yaml", "catalog.yaml"]) cpSync(new URL(f, root), join(dir, f));
  cpSync(new URL("network/", root), join(dir, "network"), { recursive: true });
  return (await loadRuleSet([dir], { builtin: false })).rules;
}
