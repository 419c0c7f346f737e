import { isIP } from "node:net";
import { Type, type Static } from "@sinclair/typebox";
import type { NmapHost } from "../transports/nmap/host.js";
import type { InventoryHost } from "./classify.js";
import { segmentOf } from "./subnet.js";
import { isUnknown } from "../facts/unknown.js";

/**
 * Segmentation tests that do not trust discovery. From a `--from` vantage point the ePHI service
 * ports are probed on every address in scope with nmap -Pn (src/transports/nmap/profiles.ts,
 * buildReachabilityArgs); this module picks the probe targets, folds the probe's answers into the
 * discovery scan's hosts, and combines every vantage point of a run into one reachability matrix
 * (vantage × segment × ePHI port). Pure functions.
 */

/** Probe targets: the inventory's ePHI hosts inside the target first, then the whole target. */
export function probeTargets(target: string, inventory: Map<string, InventoryHost> | undefined): string[] {
  const ephi = [...(inventory?.values() ?? [])]
    .filter((h) => h.tags["ephi"] === true && h.address !== target && inside(h.address, target))
    .map((h) => h.address);
  return [...ephi, target];
}

function inside(address: string, target: string): boolean {
  const [net, bits] = target.split("/");
  if (bits === undefined) return address === net;
  if (isIP(address) !== 4 || isIP(net!) !== 4) return false;
  const n = (a: string) => a.split(".").reduce((x, o) => x * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(address) / size) === Math.floor(n(net!) / size);
}

const answers = (state: string) => state === "open" || state === "closed";

/**
 * The discovery scan's hosts with the probe's answers folded in: a host the probe reached but
 * discovery missed (it dropped the pings) is added with the ports that answered; a known host gains
 * any probed port it did not list. Probe hosts with nothing answering are not hosts (-Pn calls every
 * address up).
 */
export function mergeProbe(hosts: NmapHost[], probe: NmapHost[]): NmapHost[] {
  const out = hosts.map((h) => ({ ...h, ports: [...h.ports] }));
  const byAddr = new Map(out.filter((h) => h.status === "up" && h.address).map((h) => [h.address!, h]));
  const seen = new Set<string>();
  for (const p of probe) {
    if (!p.address || seen.has(p.address)) continue;
    seen.add(p.address);
    const reached = p.ports.filter((x) => answers(x.state));
    if (reached.length === 0) continue;
    const known = byAddr.get(p.address);
    if (known) {
      for (const r of reached) {
        const i = known.ports.findIndex((x) => x.port === r.port && x.protocol === r.protocol);
        if (i < 0) known.ports.push(r);
        else if (!answers(known.ports[i]!.state)) known.ports[i] = r;
      }
    } else {
      const h: NmapHost = { ...p, status: "up", ports: reached, extraPorts: [] };
      out.push(h);
      byAddr.set(p.address, h);
    }
  }
  return out;
}

export const ReachableSchema = Type.Object({
  /** `VANTAGE → ADDRESS:PORT/PROTO STATE`, e.g. `guest → 10.77.2.10:5432/tcp open`. */
  label: Type.String(),
  address: Type.String(),
  port: Type.String(),
  state: Type.String(),
  segment: Type.String(),
});

export const ProbeSchema = Type.Object({
  vantage: Type.String(),
  /** Ports probed, as `PORT/tcp`. */
  ports: Type.Array(Type.String()),
  /** Probe targets in order (inventory ePHI hosts first, then the target). */
  targets: Type.Array(Type.String()),
  args: Type.Array(Type.String()),
  /** The probe ran to the end; false when it failed (then `error` says why). */
  finished: Type.Boolean(),
  error: Type.Union([Type.String(), Type.Null()]),
  addressesProbed: Type.Union([Type.Number(), Type.Null()]),
  /** Every (address, port) that answered (open, or closed with a reset) from the vantage point. */
  reachable: Type.Array(ReachableSchema),
});
export type ProbeFact = Static<typeof ProbeSchema>;

export function reachableFrom(vantage: string, probe: NmapHost[], target: string): Static<typeof ReachableSchema>[] {
  const out: Static<typeof ReachableSchema>[] = [];
  const seen = new Set<string>();
  for (const h of probe) {
    if (!h.address) continue;
    for (const p of h.ports.filter((x) => answers(x.state))) {
      const port = `${p.port}/${p.protocol}`;
      const key = `${h.address} ${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ label: `${vantage} → ${h.address}:${port} ${p.state}`, address: h.address, port, state: p.state, segment: segmentOf(h.address, target) });
    }
  }
  return out.sort((a, b) => a.address.localeCompare(b.address, "en", { numeric: true }) || a.port.localeCompare(b.port, "en", { numeric: true }));
}

export const ReachabilityMatrixSchema = Type.Object({
  vantages: Type.Array(Type.String()),
  segments: Type.Array(Type.String()),
  ports: Type.Array(Type.String()),
  /** One cell per vantage × segment × port probed; `addresses` answered on that port. */
  cells: Type.Array(
    Type.Object({ vantage: Type.String(), segment: Type.String(), port: Type.String(), addresses: Type.Array(Type.String()) }),
  ),
});
export type ReachabilityMatrix = Static<typeof ReachabilityMatrixSchema>;

const num = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** Every `--from` probe of the run (several targets, or several runs merged) as one matrix; null when none. */
/** Structural input (any `TargetFacts` fits): nothing from src/core/model.ts, whose `Report` embeds the map. */
export function buildReachabilityMatrix(targets: readonly { target: { kind: string; id: string }; facts: object }[]): ReachabilityMatrix | null {
  const cells = new Map<string, { vantage: string; segment: string; port: string; addresses: string[] }>();
  const vantages = new Set<string>();
  const segments = new Set<string>();
  const ports = new Set<string>();
  for (const t of targets) {
    if (t.target.kind !== "network") continue;
    const probe = (t.facts as { probe?: unknown }).probe as ProbeFact | null | undefined;
    if (!probe || isUnknown(probe) || !Array.isArray(probe.reachable)) continue;
    const segs = [...new Set(probe.targets.map((x) => segmentOf(x.split("/")[0]!, t.target.id)))];
    vantages.add(probe.vantage);
    for (const s of segs) {
      segments.add(s);
      for (const p of probe.ports) {
        ports.add(p);
        const key = `${probe.vantage}|${s}|${p}`;
        if (!cells.has(key)) cells.set(key, { vantage: probe.vantage, segment: s, port: p, addresses: [] });
      }
    }
    for (const r of probe.reachable) {
      const key = `${probe.vantage}|${r.segment}|${r.port}`;
      const c = cells.get(key) ?? { vantage: probe.vantage, segment: r.segment, port: r.port, addresses: [] };
      if (!c.addresses.includes(r.address)) c.addresses.push(r.address);
      cells.set(key, c);
      segments.add(r.segment);
      ports.add(r.port);
    }
  }
  if (vantages.size === 0) return null;
  return {
    vantages: [...vantages].sort(),
    segments: [...segments].sort(num),
    ports: [...ports].sort(num),
    cells: [...cells.values()]
      .map((c) => ({ ...c, addresses: c.addresses.sort(num) }))
      .sort((a, b) => a.vantage.localeCompare(b.vantage) || num(a.segment, b.segment) || num(a.port, b.port)),
  };
}

/** The matrix as text rows: one per vantage × segment, listing the ports that answered. */
export function renderReachabilityText(m: ReachabilityMatrix): string[] {
  const rows: string[][] = [["From", "Segment", "Ports probed", "Reachable ePHI ports (addresses)"]];
  for (const v of m.vantages) {
    for (const s of m.segments) {
      const cs = m.cells.filter((c) => c.vantage === v && c.segment === s);
      if (cs.length === 0) continue;
      const hit = cs.filter((c) => c.addresses.length > 0);
      rows.push([v, s, String(cs.length), hit.length === 0 ? "none" : hit.map((c) => `${c.port} (${c.addresses.join(", ")})`).join("; ")]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return ["Reachability (segmentation tests, ePHI service ports probed with -Pn)", line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The matrix as an inline SVG heatmap: a row per vantage × segment, a column per port; red = reachable. */
export function renderReachabilitySvg(m: ReachabilityMatrix): string {
  const rows = m.vantages.flatMap((v) => m.segments.filter((s) => m.cells.some((c) => c.vantage === v && c.segment === s)).map((s) => ({ v, s })));
  const cw = 22, rh = 22, left = 220, top = 70;
  const w = left + m.ports.length * cw + 10, h = top + rows.length * rh + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="reachability" role="img" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`,
    `<title>Reachability of ePHI service ports: vantage point × segment × port</title>`,
  ];
  m.ports.forEach((p, i) => {
    const x = left + i * cw + cw / 2;
    out.push(`<text x="${x}" y="${top - 6}" transform="rotate(-60 ${x} ${top - 6})">${esc(p)}</text>`);
  });
  rows.forEach(({ v, s }, r) => {
    const y = top + r * rh;
    out.push(`<text x="4" y="${y + 15}">${esc(`${v} → ${s}`)}</text>`);
    m.ports.forEach((p, i) => {
      const c = m.cells.find((x) => x.vantage === v && x.segment === s && x.port === p);
      const fill = !c ? "#eeeeee" : c.addresses.length > 0 ? "#c62828" : "#2e7d32";
      const tip = !c ? "not probed" : c.addresses.length > 0 ? `reachable: ${c.addresses.join(", ")}` : "not reachable";
      out.push(`<rect x="${left + i * cw}" y="${y}" width="${cw - 2}" height="${rh - 2}" fill="${fill}"><title>${esc(`${v} → ${s} ${p}: ${tip}`)}</title></rect>`);
    });
  });
  out.push(`<text x="4" y="${h - 8}">red: answers from the vantage point · green: probed, no answer · grey: not probed</text>`, `</svg>`);
  return out.join("");
}
