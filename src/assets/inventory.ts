import { Type, type Static } from "@sinclair/typebox";
import type { TargetFacts } from "../core/model.js";
import { isKind } from "../core/target-facts.js";
import { DEVICE_CLASSES, type HostFact } from "../facts/network.js";
import { isUnknown } from "../facts/unknown.js";

/**
 * The technology asset inventory of a run: every scanned host, every device a network scan saw,
 * every directory — with ePHI tags (from the inventory) and what the scanner inferred, and which
 * scans saw each asset. Pure over the facts document; `src/pipeline.ts` attaches it to reports that
 * scanned more than one thing.
 */

const strict = { additionalProperties: false } as const;
const StrList = Type.Array(Type.String());

export const AssetSchema = Type.Object(
  {
    /** Stable id: the target id for scanned hosts and directories, `net:<address>` for devices only a network scan saw. */
    id: Type.String(),
    kind: Type.Union([Type.Literal("host"), Type.Literal("network-device"), Type.Literal("directory")]),
    name: Type.String(),
    address: Type.Union([Type.String(), Type.Null()]),
    os: Type.Union([Type.String(), Type.Null()]),
    /** Device class from the network scan (src/network/classify.ts); null when no network scan saw it. */
    class: Type.Union([Type.String(), Type.Null()]),
    segment: Type.Union([Type.String(), Type.Null()]),
    openPorts: StrList,
    /** Why the class was chosen. */
    reasons: StrList,
    ephi: Type.Object(
      {
        /** The inventory tags the asset `ephi: true`. */
        tagged: Type.Boolean(),
        /** The scanner concluded it holds ePHI (the network scan classed it ephi-server). */
        inferred: Type.Boolean(),
        why: StrList,
      },
      strict,
    ),
    /** Target ids (as given) whose collection saw this asset. */
    seenBy: StrList,
    status: Type.Union([Type.String(), Type.Null()]),
    directory: Type.Optional(
      Type.Object(
        {
          accounts: Type.Integer(),
          enabledAccounts: Type.Integer(),
          computers: Type.Integer(),
          privilegedMembers: StrList,
        },
        strict,
      ),
    ),
  },
  strict,
);
export type Asset = Static<typeof AssetSchema>;

export const AssetInventorySchema = Type.Object(
  {
    assets: Type.Array(AssetSchema),
    /** Network segments and the device classes in each, for the network map picture. */
    segments: Type.Array(
      Type.Object({ subnet: Type.String(), classes: Type.Record(Type.String(), Type.Integer()), assets: StrList, ephi: Type.Integer() }, strict),
    ),
  },
  { ...strict, title: "AssetInventory" },
);
export type AssetInventory = Static<typeof AssetInventorySchema>;

const tagEphi = (tags: Record<string, string | boolean>) => tags.ephi === true || tags.ephi === "true";
const arr = <T>(v: unknown): T[] => (Array.isArray(v) && !isUnknown(v) ? (v as T[]) : []);

/** Whether a report should carry an inventory: more than one target, or a network scan (many devices). */
export function wantsInventory(targets: TargetFacts[]): boolean {
  return targets.length > 1 || targets.some((t) => t.target.kind === "network");
}

/** What a scanned host or directory target's asset starts from: named by its target id, ePHI only by its inventory tag. */
function scannedAsset(t: TargetFacts, kind: "host" | "directory"): Asset {
  const tagged = tagEphi(t.tags);
  return {
    id: t.target.id,
    kind,
    name: t.target.id,
    address: null,
    os: null,
    class: null,
    segment: null,
    openPorts: [],
    reasons: [],
    ephi: { tagged, inferred: false, why: tagged ? ["inventory tag ephi: true"] : [] },
    seenBy: [t.target.id],
    status: t.status,
  };
}

export function buildAssetInventory(targets: TargetFacts[]): AssetInventory {
  const assets: Asset[] = [];
  const byId = new Map<string, Asset>();
  const byName = new Map<string, Asset>();
  const add = (a: Asset) => {
    assets.push(a);
    byId.set(a.id, a);
  };

  for (const t of targets) {
    if (isKind(t, "host")) {
      const os = t.facts.os;
      const osOk = os && !isUnknown(os);
      const a: Asset = {
        ...scannedAsset(t, "host"),
        name: osOk && os.hostname ? os.hostname : t.target.id,
        os: osOk && os.name ? `${os.name}${os.version ? ` ${os.version}` : ""}` : null,
      };
      add(a);
      byName.set(a.name.toLowerCase(), a);
    } else if (isKind(t, "directory")) {
      const accounts = arr<{ enabled?: boolean; privileged?: boolean; name?: string }>(t.facts.accounts);
      const groups = arr<{ enabledMembers?: string[] }>(t.facts.privilegedGroups);
      const computers = arr<unknown>(t.facts.computers);
      const privileged = new Set<string>();
      for (const g of groups) for (const m of g.enabledMembers ?? []) privileged.add(m);
      for (const acc of accounts) if (acc.privileged && acc.enabled && acc.name) privileged.add(acc.name);
      // A directory decides who reaches ePHI but holds none itself: its impact comes from risk.impact_directory.
      add({
        ...scannedAsset(t, "directory"),
        directory: {
          accounts: accounts.length,
          enabledAccounts: accounts.filter((a) => a.enabled).length,
          computers: computers.length,
          privilegedMembers: [...privileged].sort(),
        },
      });
    }
  }

  const segments = new Map<string, AssetInventory["segments"][number]>();
  for (const t of targets) {
    if (!isKind(t, "network")) continue;
    for (const h of arr<HostFact>(t.facts.hosts)) {
      // A host the run also scanned directly (inventory name = its target id, or the same host name) is one asset.
      const same =
        (h.inventoryName ? byId.get(h.inventoryName) : undefined) ??
        (h.hostname ? byName.get(h.hostname.toLowerCase()) ?? byName.get(h.hostname.split(".")[0]!.toLowerCase()) : undefined) ??
        byId.get(`net:${h.address}`);
      const inferred = h.class === "ephi-server";
      const tagged = h.ephi && (!inferred || h.classReasons.some((r) => /inventory tag ephi/i.test(r)));
      if (same) {
        same.address ??= h.address;
        same.class ??= h.class;
        same.segment ??= h.segment;
        if (same.openPorts.length === 0) same.openPorts = [...h.openPorts];
        if (same.reasons.length === 0) same.reasons = [...h.classReasons];
        if (tagged && !same.ephi.tagged) {
          same.ephi.tagged = true;
          same.ephi.why.push("inventory tag ephi: true (network inventory)");
        }
        if (inferred && !same.ephi.inferred) {
          same.ephi.inferred = true;
          same.ephi.why.push("network scan classed it ephi-server");
        }
        if (!same.seenBy.includes(t.target.id)) same.seenBy.push(t.target.id);
      } else {
        add({
          id: `net:${h.address}`,
          kind: "network-device",
          name: h.inventoryName ?? h.hostname ?? h.address,
          address: h.address,
          os: null,
          class: h.class,
          segment: h.segment,
          openPorts: [...h.openPorts],
          reasons: [...h.classReasons],
          ephi: {
            tagged,
            inferred,
            why: [...(tagged ? ["inventory tag ephi: true"] : []), ...(inferred ? ["network scan classed it ephi-server"] : [])],
          },
          seenBy: [t.target.id],
          status: null,
        });
      }
      let seg = segments.get(h.segment);
      if (!seg) {
        seg = { subnet: h.segment, classes: {}, assets: [], ephi: 0 };
        segments.set(h.segment, seg);
      }
      const asset = same ?? byId.get(`net:${h.address}`)!;
      if (!seg.assets.includes(asset.id)) {
        seg.assets.push(asset.id);
        seg.classes[h.class] = (seg.classes[h.class] ?? 0) + 1;
        if (h.ephi) seg.ephi++;
      }
    }
  }
  const classOrder = (c: string) => DEVICE_CLASSES.indexOf(c as (typeof DEVICE_CLASSES)[number]);
  for (const seg of segments.values()) {
    seg.classes = Object.fromEntries(Object.entries(seg.classes).sort(([a], [b]) => classOrder(a) - classOrder(b)));
  }
  return {
    assets,
    segments: [...segments.values()].sort((a, b) => a.subnet.localeCompare(b.subnet, "en", { numeric: true })),
  };
}

/** Holds ePHI, tagged or inferred. */
export const holdsEphi = (a: Asset) => a.ephi.tagged || a.ephi.inferred;
