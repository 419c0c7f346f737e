import { describe, expect, it } from "vitest";
import { classifyHost } from "../../../src/network/classify.js";
import { segmentOf } from "../../../src/network/subnet.js";
import { inventoryFor } from "../../../src/network/inventory.js";
import { buildNetworkFacts } from "../../../src/network/facts.js";
import { buildNmapArgs } from "../../../src/transports/nmap/profiles.js";
import { parseNetworkTarget } from "../../../src/core/targets.js";
import type { NmapHost, NmapPort } from "../../../src/transports/nmap/host.js";
import { fixture } from "./helpers.js";
import { NmapXmlStream } from "../../../src/transports/nmap/xml.js";
import { toNmapHost } from "../../../src/transports/nmap/host.js";

const port = (p: number, extra: Partial<NmapPort> = {}): NmapPort => ({
  protocol: "tcp", port: p, state: "open", reason: "syn-ack", service: null, scripts: [], ...extra,
});
const host = (ports: NmapPort[], extra: Partial<NmapHost> = {}): NmapHost => ({
  status: "up", address: "10.0.0.5", mac: null, vendor: null, hostnames: [], distance: null, traceHops: null,
  osMatches: [], osClasses: [], ports, extraPorts: [], hostScripts: [], ...extra,
});

describe("device classes", () => {
  it("ranks an ePHI database above the printer port it also has, keeping both reasons", () => {
    const c = classifyHost(host([port(5432), port(9100)]), undefined);
    expect(c).toEqual({
      class: "ephi-server",
      ephi: true,
      reasons: ["database port 5432 open", "also printer: printing (JetDirect/LPD/IPP) port 9100 open"],
    });
  });

  it("calls DICOM next to a database an imaging archive, DICOM alone a modality", () => {
    expect(classifyHost(host([port(104), port(5432)]), undefined).reasons).toContain("DICOM together with a database: imaging archive");
    expect(classifyHost(host([port(11112)]), undefined).class).toBe("medical-modality");
    expect(classifyHost(host([port(2575)]), undefined).reasons).toEqual(["HL7 MLLP port 2575 open"]);
  });

  it("uses the MAC vendor of on-link hosts", () => {
    expect(classifyHost(host([port(80)], { mac: "00:40:8C:00:00:01", vendor: "Axis Communications AB" }), undefined)).toMatchObject({
      class: "camera",
      reasons: ["MAC vendor Axis Communications AB"],
    });
  });

  it("lets the inventory win: ephi tag, class tag, and ephi: false", () => {
    const inv = (tags: Record<string, string | boolean>) => ({ address: "10.0.0.5", tags });
    expect(classifyHost(host([port(443)]), inv({ ephi: true }))).toMatchObject({ class: "ephi-server", ephi: true });
    expect(classifyHost(host([]), inv({ class: "guest" }))).toMatchObject({ class: "guest", ephi: false });
    expect(classifyHost(host([port(3306)]), inv({ ephi: false, class: "workstation" }))).toEqual({
      class: "workstation",
      ephi: false,
      reasons: ["inventory tag ephi: false", "inventory tag class: workstation", "also ephi-server: database port 3306 open"],
    });
    expect(classifyHost(host([port(9100)]), inv({ ephi: true, class: "printer" }))).toMatchObject({ class: "printer", ephi: true });
  });

  it("calls a routed first hop without MAC the gateway, and a silent host unknown", () => {
    expect(classifyHost(host([], { traceHops: 1 }), undefined).class).toBe("gateway");
    expect(classifyHost(host([], { traceHops: 2 }), undefined)).toEqual({ class: "unknown", ephi: false, reasons: ["no open ports seen"] });
  });

  it("ignores a weak OS guess but uses a confident one when nothing else matched", () => {
    const weak = host([port(3389)], { osMatches: [{ name: "AXIS 210A Network Camera", accuracy: 94 }], osClasses: [{ type: "webcam", vendor: "AXIS", family: "Linux", accuracy: 94 }] });
    expect(classifyHost(weak, undefined).class).toBe("workstation");
    const sure = host([port(80)], { osMatches: [{ name: "HP LaserJet printer", accuracy: 100 }], osClasses: [{ type: "printer", vendor: "HP", family: "embedded", accuracy: 100 }] });
    expect(classifyHost(sure, undefined)).toMatchObject({ class: "printer", reasons: ['OS guess "HP LaserJet printer" is a printer'] });
  });
});

describe("segments and inventory", () => {
  it("groups by the scanned CIDR up to /24, else by /24", () => {
    expect(segmentOf("10.77.1.20", "10.77.1.0/24")).toBe("10.77.1.0/24");
    expect(segmentOf("10.77.1.20", "10.77.1.16/28")).toBe("10.77.1.16/28");
    expect(segmentOf("10.77.2.20", "10.77.0.0/22")).toBe("10.77.2.0/24");
    expect(segmentOf("10.77.2.20", "10.77.2.20")).toBe("10.77.2.0/24");
    expect(segmentOf("2001:db8:0:1::20", "2001:db8::/48")).toBe("2001:db8:0:1::/64");
  });

  it("reads inventory hosts and a single-address target's own tags; none means no inventory", () => {
    const t = parseNetworkTarget("10.0.0.5", {}, { ephi: true });
    const inv = inventoryFor(t, { networkInventory: [{ address: "10.0.0.6", name: "prn", tags: { class: "printer" } }, { address: "bad" }] })!;
    expect([...inv.keys()]).toEqual(["10.0.0.6", "10.0.0.5"]);
    expect(inv.get("10.0.0.5")!.tags).toEqual({ ephi: true });
    expect(inventoryFor(parseNetworkTarget("10.0.0.0/24"), {})).toBeUndefined();
  });
});

describe("remote text is cleaned before it becomes a fact", () => {
  it("strips terminal escapes from a hostile banner", () => {
    const hosts: NmapHost[] = [];
    const s = new NmapXmlStream((e) => {
      if (e.type === "host") hosts.push(toNmapHost(e.node));
    });
    s.push(fixture("hostile/escape-then-truncated.xml"));
    const plan = buildNmapArgs({ profile: "quick", privileged: true, resolveNames: false, skipDiscovery: false, statsEverySeconds: 2 });
    const f = buildNetworkFacts({
      hosts, run: { version: "7.93", runstats: null }, plan, profile: "quick", privileged: true, vantage: null,
      target: "10.0.0.0/24", inventory: undefined, now: new Date(),
    });
    const services = Array.isArray(f.services) ? f.services : [];
    expect(hosts[0]!.ports[0]!.service!.product).toContain("\u001b");
    expect(services[0]!.product).toBe("evil");
  });
});

describe("clinic classes (issue 11)", () => {
  it("calls Kerberos/LDAP/global-catalog hosts directory servers, ePHI-critical, above the Windows ports", () => {
    const dc = classifyHost(host([port(88), port(135), port(139), port(389), port(445), port(636)]), undefined);
    expect(dc.class).toBe("directory-server");
    expect(dc.ephi).toBe(true);
    expect(dc.reasons[0]).toBe("directory/identity (Kerberos/LDAP/kpasswd/global catalog) ports 88, 389, 636 open");
    expect(dc.reasons).toContain("also workstation: Windows file/RPC ports 135/139/445 open");
    expect(classifyHost(host([port(3268), port(464)]), undefined).class).toBe("directory-server");
  });

  it("recognises an EHR web front end from the HTTP title and a PACS from the certificate subject", () => {
    const title = { id: "http-title", output: "OpenEMR Login", value: { title: "OpenEMR Login" } };
    expect(classifyHost(host([port(443, { scripts: [title] })]), undefined)).toMatchObject({
      class: "ephi-server",
      ephi: true,
      reasons: ['ePHI web front end on 443/tcp: HTTP title "OpenEMR Login"'],
    });
    const cert = { id: "ssl-cert", output: "Subject: commonName=pacs.clinic.local\nIssuer: commonName=clinic CA", value: {} };
    expect(classifyHost(host([port(8443, { scripts: [cert] })]), undefined).reasons).toEqual([
      'ePHI web front end on 8443/tcp: certificate "Subject: commonName=pacs.clinic.local"',
    ]);
    const plain = { id: "http-title", output: "Welcome to nginx!", value: {} };
    expect(classifyHost(host([port(80, { scripts: [plain] })]), undefined).class).toBe("unknown");
  });

  it("recognises the scanner's own address and gateways from the scanner's routes", () => {
    expect(classifyHost(host([], { statusReason: "localhost-response" }), undefined)).toMatchObject({
      class: "scanner",
      reasons: ["nmap saw its own address (localhost-response)"],
    });
    expect(classifyHost(host([port(22)]), undefined, { addresses: new Set(["10.0.0.5"]) }).class).toBe("scanner");
    expect(classifyHost(host([port(53)], { mac: "02:00:00:00:00:01" }), undefined, { gateways: new Set(["10.0.0.5"]) })).toMatchObject({
      class: "gateway",
      reasons: ["a gateway in the scanner's routing table"],
    });
  });

  it("never counts the scanner or the gateway as devices on the segment (real on-link capture)", () => {
    const hosts: NmapHost[] = [];
    const s = new NmapXmlStream((e) => {
      if (e.type === "host") hosts.push(toNmapHost(e.node));
    });
    s.push(fixture("onlink-quick.xml"));
    const plan = buildNmapArgs({ profile: "quick", privileged: true, resolveNames: false, skipDiscovery: false, statsEverySeconds: 2 });
    const f = buildNetworkFacts({
      hosts, run: { version: "7.93", runstats: null }, plan, profile: "quick", privileged: true, vantage: null,
      target: "10.77.1.0/24", inventory: undefined, now: new Date("2026-11-22T21:00:00Z"),
      scanner: { gateways: new Set(["10.77.1.1"]) },
    });
    const seg = f.segments as Exclude<typeof f.segments, { unknown: true }>;
    expect(Array.isArray(seg) && seg[0]!.infrastructure).toEqual(["gateway: 10.77.1.1", "scanner: 10.77.1.50"]);
    expect(Array.isArray(seg) && seg[0]!.hosts).not.toContain("10.77.1.50");
    expect(Array.isArray(seg) && seg[0]!.classes).not.toContain("gateway");
  });
});

describe("the router's own address, seen from another VLAN (real capture)", () => {
  it("is the gateway without any inventory: off-link, answering with an unrouted TTL", async () => {
    const { factsFromCapture } = await import("./helpers.js");
    const t = factsFromCapture("guest-to-segmented-standard.xml", { target: "10.77.2.0/24", vantage: "guest" });
    const hosts = (t.facts as { hosts: { address: string; class: string; classReasons: string[] }[] }).hosts;
    const rtr = hosts.find((h) => h.address === "10.77.2.1")!;
    expect(rtr.class).toBe("gateway");
    expect(rtr.classReasons).toContain("off-link, yet answers arrive with an unrouted TTL (64): the router's own address");
    expect(hosts.find((h) => h.address === "10.77.2.10")!.class).not.toBe("gateway");
  });
});
