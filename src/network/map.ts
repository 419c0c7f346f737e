import { Type, type Static } from "@sinclair/typebox";
import { DEVICE_CLASSES, INFRASTRUCTURE_CLASSES, DeviceClassSchema, type HostFact, type SegmentFact } from "../facts/network.js";
import { isUnknown } from "../facts/unknown.js";
import { buildReachabilityMatrix, renderReachabilityText, ReachabilityMatrixSchema } from "./reachability.js";

/**
 * The network map of a report: segments → hosts → classes, merged over every network target of a
 * run. Pure functions; the report builder puts the map into the report JSON and the text reporter
 * prints {@link renderNetworkMapText}.
 */

export const NetworkMapHostSchema = Type.Object(
  {
    address: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    class: DeviceClassSchema,
    ephi: Type.Boolean(),
    mac: Type.Union([Type.String(), Type.Null()]),
    vendor: Type.Union([Type.String(), Type.Null()]),
    openPorts: Type.Array(Type.String()),
    reasons: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

export const NetworkMapSegmentSchema = Type.Object(
  {
    subnet: Type.String(),
    /** Network targets (as given) whose scans saw this segment. */
    seenBy: Type.Array(Type.String()),
    /** Vantage points (`--from`) the segment was scanned from; empty for ordinary scans. */
    vantages: Type.Array(Type.String()),
    onLink: Type.Boolean(),
    /** Host count per device class. */
    classes: Type.Record(Type.String(), Type.Number()),
    hosts: Type.Array(NetworkMapHostSchema),
  },
  { additionalProperties: false },
);

export const NetworkMapSchema = Type.Object(
  {
    segments: Type.Array(NetworkMapSegmentSchema),
    /** Segmentation tests of the run (`--from`): vantage × segment × ePHI port. */
    reachability: Type.Optional(ReachabilityMatrixSchema),
  },
  { additionalProperties: false, title: "NetworkMap" },
);
export type NetworkMap = Static<typeof NetworkMapSchema>;
type MapSegment = Static<typeof NetworkMapSegmentSchema>;

const byAddress = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/**
 * What the map reads of each collected target. Structural (any `TargetFacts` fits), so this module
 * needs nothing from src/core/model.ts, whose `Report` embeds the map: no type cycle.
 */
export interface NetworkMapInput {
  target: { kind: string; id: string };
  facts: object;
}

export function buildNetworkMap(targets: readonly NetworkMapInput[]): NetworkMap {
  const segs = new Map<string, MapSegment & { byHost: Map<string, Static<typeof NetworkMapHostSchema>> }>();
  for (const t of targets) {
    if (t.target.kind !== "network") continue;
    const facts = t.facts as { hosts?: unknown; segments?: unknown; scan?: { vantage?: unknown } };
    if (!Array.isArray(facts.hosts) || isUnknown(facts.hosts)) continue;
    const segments = Array.isArray(facts.segments) ? (facts.segments as SegmentFact[]) : [];
    const vantage = typeof facts.scan?.vantage === "string" ? facts.scan.vantage : null;
    for (const h of facts.hosts as HostFact[]) {
      let seg = segs.get(h.segment);
      if (!seg) {
        seg = { subnet: h.segment, seenBy: [], vantages: [], onLink: false, classes: {}, hosts: [], byHost: new Map() };
        segs.set(h.segment, seg);
      }
      if (!seg.seenBy.includes(t.target.id)) seg.seenBy.push(t.target.id);
      if (vantage && !seg.vantages.includes(vantage)) seg.vantages.push(vantage);
      seg.onLink ||= segments.find((s) => s.subnet === h.segment)?.onLink ?? h.onLink;
      const prev = seg.byHost.get(h.address);
      // A scan from a vantage point sees less; an ordinary scan's view of a host wins.
      if (prev && vantage) continue;
      seg.byHost.set(h.address, {
        address: h.address,
        name: h.inventoryName ?? h.hostname,
        class: h.class,
        ephi: h.ephi,
        mac: h.mac,
        vendor: h.vendor,
        openPorts: h.openPorts,
        reasons: h.classReasons,
      });
    }
  }
  const segments = [...segs.values()]
    .sort((a, b) => byAddress(a.subnet, b.subnet))
    .map(({ byHost, ...s }) => {
      const hosts = [...byHost.values()].sort((a, b) => byAddress(a.address, b.address));
      const classes: Record<string, number> = {};
      for (const c of DEVICE_CLASSES) {
        // The scanner and the gateway are the network, not devices on it.
        if (INFRASTRUCTURE_CLASSES.includes(c)) continue;
        const n = hosts.filter((h) => h.class === c).length;
        if (n > 0) classes[c] = n;
      }
      return { ...s, seenBy: s.seenBy.sort(), vantages: s.vantages.sort(), classes, hosts };
    });
  const reachability = buildReachabilityMatrix(targets);
  return { segments, ...(reachability ? { reachability } : {}) };
}

/** Devices first, the network's own addresses (gateway, scanner) last. */
const DISPLAY_ORDER = [...DEVICE_CLASSES.filter((c) => !INFRASTRUCTURE_CLASSES.includes(c)), ...INFRASTRUCTURE_CLASSES];

/** A per-subnet table of classes, one line per row, no colour (the text reporter styles it). */
export function renderNetworkMapText(map: NetworkMap): string[] {
  const matrix = map.reachability ? ["", ...renderReachabilityText(map.reachability)] : [];
  if (map.segments.length === 0) return ["Network map: no hosts seen.", ...matrix];
  const rows: string[][] = [["Subnet", "Class", "Hosts", "Addresses"]];
  for (const s of map.segments) {
    let first = true;
    for (const c of DISPLAY_ORDER) {
      const hosts = s.hosts.filter((h) => h.class === c);
      if (hosts.length === 0) continue;
      const label = `${s.subnet}${s.onLink ? " (on-link)" : ""}${s.vantages.length ? ` [from ${s.vantages.join(", ")}]` : ""}`;
      const addrs = hosts.map((h) => `${h.address}${h.ephi && c !== "ephi-server" ? " (ePHI)" : ""}`);
      const shown = addrs.length > 6 ? [...addrs.slice(0, 6), `+${addrs.length - 6} more`] : addrs;
      rows.push([first ? label : "", c, String(hosts.length), shown.join(", ")]);
      first = false;
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return ["Network map", line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line), ...matrix];
}
