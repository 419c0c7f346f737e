import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NmapXmlError, NmapXmlStream, type NmapXmlEvent } from "../../../src/transports/nmap/xml.js";
import { toNmapHost } from "../../../src/transports/nmap/host.js";

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/nmap/${name}`, import.meta.url), "utf8");

function feed(text: string, chunk = text.length, limits?: { maxTotal: number; maxRecord: number }) {
  const events: NmapXmlEvent[] = [];
  const s = new NmapXmlStream((e) => events.push(e), limits);
  for (let i = 0; i < text.length; i += chunk) s.push(text.slice(i, i + chunk));
  return { events, stream: s, hosts: events.flatMap((e) => (e.type === "host" ? [toNmapHost(e.node)] : [])) };
}

describe("NmapXmlStream on real nmap 7.93 output", () => {
  it("reads every host, the progress records and runstats of the flat-subnet scan", () => {
    const { events, stream, hosts } = feed(fixture("flat-standard.xml"));
    expect(stream.complete).toBe(true);
    expect(hosts.map((h) => h.address)).toEqual(["10.77.1.1", "10.77.1.10", "10.77.1.20", "10.77.1.30", "10.77.1.40", "10.77.1.50"]);
    expect(events.some((e) => e.type === "progress" && e.percent !== null && e.task.length > 0)).toBe(true);
    const rs = events.find((e) => e.type === "runstats");
    expect(rs).toBeDefined();
    const ephi = hosts.find((h) => h.address === "10.77.1.10")!;
    expect(ephi.ports.filter((p) => p.state === "open").map((p) => p.port).sort((a, b) => a - b)).toEqual([22, 23, 80, 389, 443, 5432]);
    const ssh = ephi.ports.find((p) => p.port === 22)!;
    expect(ssh.service?.product).toBe("OpenSSH");
    expect(ssh.scripts.map((s) => s.id)).toContain("ssh2-enum-algos");
    // Numeric character references in attributes are decoded.
    expect(ssh.scripts.find((s) => s.id === "ssh2-enum-algos")!.output).toContain("\n  kex_algorithms");
  });

  it("gives the same result fed in 1-byte, 7-byte and 4 KiB chunks", () => {
    const text = fixture("segmented-standard.xml");
    const whole = JSON.stringify(feed(text).hosts);
    for (const n of [1, 7, 4096]) expect(JSON.stringify(feed(text, n).hosts)).toBe(whole);
  });

  it("reads a scan killed during its first host group (real capture): progress, no host, not complete", () => {
    // nmap writes hosts when their host group is done; SIGKILL during the service scan of the only
    // group leaves progress records and no host.
    const { stream, events, hosts } = feed(fixture("killed-standard.xml"));
    expect(stream.complete).toBe(false);
    expect(stream.pending).toBe(0);
    expect(hosts).toEqual([]);
    expect(events.filter((e) => e.type === "progress").length).toBeGreaterThan(3);
    expect(events.some((e) => e.type === "runstats")).toBe(false);
  });

  it("keeps completed hosts of a stream cut in the middle of a host record", () => {
    const text = fixture("flat-standard.xml");
    let cut = 0;
    for (let i = 0; i < 3; i++) cut = text.indexOf("<host ", cut + 1);
    cut += 50;
    const { hosts, stream } = feed(text.slice(0, cut), 1000);
    expect(stream.complete).toBe(false);
    expect(stream.pending).toBeGreaterThan(0);
    expect(hosts.map((h) => h.address)).toEqual(["10.77.1.1", "10.77.1.10"]);
  });

  it("reads MAC addresses from an on-link scan and the connect scan of an unprivileged run", () => {
    const onlink = feed(fixture("onlink-quick.xml")).hosts;
    expect(onlink.find((h) => h.address === "10.77.1.20")?.mac).toBe("02:77:01:14:00:00");
    const unpriv = fixture("unprivileged-quick.xml");
    expect(unpriv).toContain('type="connect"');
    expect(feed(unpriv).hosts.length).toBe(6);
  });
});

describe("NmapXmlStream against hostile input", () => {
  const head = '<?xml version="1.0"?>\n<nmaprun scanner="nmap" version="7.93">\n';

  it("refuses a DOCTYPE with entity definitions (billion laughs)", () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<nmaprun><host><status state="&b;"/></host></nmaprun>';
    expect(() => feed(laughs)).toThrow(NmapXmlError);
  });

  it("refuses an entity declaration inside the document", () => {
    expect(() => feed(`${head}<!ENTITY x "y"><host></host></nmaprun>`)).toThrow(/declaration/);
  });

  it("does not expand undeclared entities and keeps __proto__ keys out of script values", () => {
    const xml =
      `${head}<host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="1">` +
      `<state state="open"/><script id="x" output="&unknown;"><elem key="__proto__">polluted</elem><elem key="ok">1</elem></script>` +
      `</port></ports></host></nmaprun>`;
    const { hosts } = feed(xml);
    const v = hosts[0]!.ports[0]!.scripts[0]!.value as Record<string, unknown>;
    expect(v["ok"]).toBe("1");
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("stops at the per-record cap instead of buffering a never-ending host", () => {
    const big = `${head}<host><status state="up"/>${"<x/>".repeat(10_000)}`;
    expect(() => feed(big, 1000, { maxTotal: 10_000_000, maxRecord: 20_000 })).toThrow(/record passed 20000/);
  });

  it("stops at the total cap", () => {
    const many = `${head}${'<host><status state="down"/></host>'.repeat(2000)}`;
    expect(() => feed(many, 500, { maxTotal: 10_000, maxRecord: 10_000 })).toThrow(/passed 10000 characters/);
  });

  it("refuses output that is not nmap XML", () => {
    expect(() => feed("<html><body>hi</body></html>")).toThrow(/no <nmaprun>/);
    expect(() => feed("Starting Nmap 7.93\nNmap done")).toThrow(NmapXmlError);
  });

  it("reports a malformed host record", () => {
    expect(() => feed(`${head}<host><status state="up"></host></nmaprun>`)).toThrow(/malformed <host>/);
  });
});

describe("hostile fixture files (fixtures/nmap/hostile)", () => {
  it("refuses billion laughs and external entities without expanding them", () => {
    expect(() => feed(fixture("hostile/billion-laughs.xml"))).toThrow(/internal DTD subset/);
    expect(() => feed(fixture("hostile/external-entity.xml"))).toThrow(/internal DTD subset/);
  });

  it("keeps the first host of a truncated stream; its banner escapes survive parsing for the fact builder to strip", () => {
    const { hosts, stream } = feed(fixture("hostile/escape-then-truncated.xml"));
    expect(stream.complete).toBe(false);
    expect(stream.pending).toBeGreaterThan(0);
    expect(hosts.map((h) => h.address)).toEqual(["10.0.0.1"]);
  });
});
