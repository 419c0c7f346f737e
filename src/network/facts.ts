import { isIP } from "node:net";
import type { Static } from "@sinclair/typebox";
import type { NmapHost } from "../transports/nmap/host.js";
import type { NmapRunResult } from "../transports/nmap/run.js";
import type { ProfilePlan, NetworkProfile } from "../transports/nmap/profiles.js";
import { safeText } from "../core/untrusted-text.js";
import { INFRASTRUCTURE_CLASSES, TRUST_ZONES, type HostFact, type NetworkFacts, type SegmentFact, type ServiceFact, type ScanInfo } from "../facts/network.js";
import { classifyHost, type InventoryHost, type ScannerView } from "./classify.js";
import { certificateFacts, httpFacts, ldapStartTls, rdpFacts, smbFacts, snmpCommunityVersions, sshFacts, tlsFacts } from "./scripts.js";
import { segmentOf } from "./subnet.js";

/** Everything needed to turn one nmap run into network facts. Pure: no I/O. */
export interface BuildInput {
  hosts: NmapHost[];
  run: Pick<NmapRunResult, "version" | "runstats">;
  plan: ProfilePlan;
  profile: NetworkProfile;
  privileged: boolean;
  vantage: string | null;
  /** The `--network` value as given (CIDR, IP or host name). */
  target: string;
  /** Inventory hosts by address; undefined when no inventory was given. */
  inventory: Map<string, InventoryHost> | undefined;
  now: Date;
  /** The scanner's own addresses and gateways, when the caller knows them. */
  scanner?: ScannerView;
}

const portId = (p: { port: number; protocol: string }) => `${p.port}/${p.protocol}`;
const clean = (s: string | null | undefined, max = 256) => (s == null ? null : safeText(s, max));

function answering(h: NmapHost): string[] {
  const out = h.ports.filter((p) => p.state === "open" || p.state === "closed").map((p) => `${portId(p)} ${p.state}`);
  for (const e of h.extraPorts) if (e.state === "closed" && e.count > 0) out.push(`${e.count} more closed`);
  return out;
}

function answeringCount(h: NmapHost): number {
  return (
    h.ports.filter((p) => p.state === "open" || p.state === "closed").length +
    h.extraPorts.filter((e) => e.state === "closed").reduce((n, e) => n + e.count, 0)
  );
}

export function buildNetworkFacts(input: BuildInput): NetworkFacts {
  const { now } = input;
  const up = input.hosts.filter((h) => h.status === "up" && h.address !== null && isIP(h.address) !== 0);
  const hosts: HostFact[] = [];
  const services: ServiceFact[] = [];
  for (const h of up) {
    const address = h.address!;
    const inv = input.inventory?.get(address);
    const cls = classifyHost(h, inv, input.scanner);
    const os = h.osMatches[0];
    const name = inv?.name ?? h.hostnames[0] ?? null;
    const ans = answering(h);
    const label = `${address}${name ? ` ${clean(name, 64)}` : ""} (${cls.class})`;
    hosts.push({
      label,
      address,
      mac: h.mac,
      vendor: clean(h.vendor, 128),
      hostname: clean(h.hostnames[0], 253),
      distance: h.distance,
      onLink: h.mac !== null,
      os: clean(os?.name, 128),
      osAccuracy: os?.accuracy ?? null,
      openPorts: h.ports.filter((p) => p.state === "open").map(portId),
      answering: ans,
      answeringCount: answeringCount(h),
      answeringPorts: h.ports.filter((p) => p.state === "open" || p.state === "closed").map(portId),
      answeringSummary: `${address}: ${ans.length > 0 ? ans.join(", ") : "nothing answered"}`,
      class: cls.class,
      classReasons: cls.reasons.map((r) => safeText(r, 256)),
      ephi: cls.ephi,
      inInventory: input.inventory ? inv !== undefined : null,
      inventoryName: clean(inv?.name, 128),
      segment: segmentOf(address, input.target),
    });
    const smb = smbFacts(h.hostScripts);
    for (const p of h.ports.filter((x) => x.state === "open")) {
      const svcName = clean(p.service?.name, 64) ?? "unknown";
      services.push({
        label: `${address}:${portId(p)} ${svcName}`,
        host: address,
        hostClass: cls.class,
        ephi: cls.ephi,
        port: p.port,
        protocol: p.protocol,
        state: p.state,
        name: svcName,
        product: clean(p.service?.product, 128),
        version: clean(p.service?.version, 128),
        tunnel: clean(p.service?.tunnel, 16),
        tls: tlsFacts(p.scripts),
        certificate: certificateFacts(p.scripts, now),
        ssh: sshFacts(p.scripts),
        smb: p.port === 445 || (p.port === 139 && !h.ports.some((x) => x.port === 445 && x.state === "open")) ? smb : null,
        rdp: rdpFacts(p.scripts),
        http: httpFacts(p),
        ldapStartTls: ldapStartTls(p),
        snmpCommunityVersions: snmpCommunityVersions(p),
      });
    }
  }
  const rs = input.run.runstats;
  const scan: Static<typeof ScanInfo> = {
    profile: input.profile,
    privileged: input.privileged,
    scanType: input.plan.scanType,
    osDetection: input.plan.osDetection,
    vantage: input.vantage,
    nmapVersion: input.run.version,
    args: input.plan.args,
    finished: rs?.exit === "success",
    exit: rs?.exit ?? null,
    errormsg: clean(rs?.errormsg, 1024),
    elapsedSeconds: rs?.elapsed ?? null,
    hostsUp: rs?.hostsUp ?? null,
    hostsTotal: rs?.hostsTotal ?? null,
  };
  return {
    scan,
    hosts,
    services,
    segments: buildSegments(hosts),
    inventory: {
      provided: input.inventory !== undefined,
      unlisted: input.inventory ? hosts.filter((h) => h.inInventory === false).map((h) => h.address) : [],
    },
  };
}

/** Groups hosts by segment and precomputes what flat-network rules need. */
export function buildSegments(hosts: HostFact[]): SegmentFact[] {
  const bySubnet = new Map<string, HostFact[]>();
  for (const h of hosts) bySubnet.set(h.segment, [...(bySubnet.get(h.segment) ?? []), h]);
  const out: SegmentFact[] = [];
  for (const [subnet, all] of [...bySubnet].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))) {
    // The scanner and the gateway are the network, not devices on it.
    const isInfra = (h: HostFact) => INFRASTRUCTURE_CLASSES.includes(h.class) && !h.ephi;
    const members = all.filter((h) => !isInfra(h));
    const infrastructure = all.filter(isInfra).map((h) => `${h.class}: ${h.address}`);
    const classes = [...new Set(members.map((h) => h.class))].sort();
    const ephiHosts = members.filter((h) => h.ephi).map((h) => h.address);
    const classHosts = classes
      .filter((c) => c !== "ephi-server")
      .map((c) => `${c}: ${members.filter((h) => h.class === c && !h.ephi).map((h) => h.address).join(", ")}`)
      .filter((s) => !s.endsWith(": "));
    const onLinkHosts = members.filter((h) => h.onLink);
    const zones = [...new Set(members.map((h) => (h.ephi ? "ephi" : TRUST_ZONES[h.class])).filter((z): z is string => z !== undefined))].sort();
    const evidence = [`${members.length} host(s) up in ${subnet}${infrastructure.length > 0 ? ` (not counting ${infrastructure.join(", ")})` : ""}`];
    if (onLinkHosts.length > 0) {
      evidence.push(`${onLinkHosts.length} host(s) answered ARP/ND with a MAC address: same broadcast domain as the scanner`);
    }
    const d1 = members.filter((h) => h.distance === 1).length;
    if (d1 > 0) evidence.push(`${d1} host(s) at network distance 1`);
    const summary =
      ephiHosts.length > 0
        ? `${subnet}: ePHI ${ephiHosts.join(", ")} shares the segment with ${classHosts.length > 0 ? classHosts.join("; ") : "no other class"}`
        : `${subnet}: no ePHI host identified; ${classHosts.length > 0 ? classHosts.join("; ") : "no devices"}`;
    out.push({
      subnet,
      summary,
      hostCount: members.length,
      hosts: members.map((h) => h.address),
      classes,
      classHosts,
      zones,
      zoneCount: zones.length,
      infrastructure,
      ephiHosts,
      ephiHostCount: ephiHosts.length,
      onLink: onLinkHosts.length > 0,
      evidence,
    });
  }
  return out;
}
