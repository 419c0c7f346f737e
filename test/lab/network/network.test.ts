import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNetworkCollector } from "../../../src/collectors/network.js";
import type { CollectContext, CollectOptions, ProgressEvent } from "../../../src/collectors/types.js";
import { testContext } from "../../helpers/context.js";
import type { TargetFacts } from "../../../src/core/model.js";
import { parseNetworkTarget } from "../../../src/core/targets.js";
import { evaluateRules } from "../../../src/engine/evaluate.js";
import type { NetworkFacts } from "../../../src/facts/network.js";
import { LAB_INVENTORY, loadNetworkRules } from "../../unit/nmap/helpers.js";
import { EPHI_SERVICE_PORTS } from "../../../src/transports/nmap/profiles.js";
import { requireLab } from "../prereqs.js";
import { reportFromJson } from "../../../src/report/read.js";

/**
 * The network lab (lab.sh): nmap runs inside lab namespaces against lab addresses only. These tests
 * assert the exact findings the lab is built to produce.
 */
const LAB = join(import.meta.dirname, "lab.sh");
const repo = join(import.meta.dirname, "../../..");
let dir = "";

beforeAll(() => {
  requireLab("network");
  dir = mkdtempSync(join(tmpdir(), "hsn-lab-"));
  execFileSync(LAB, ["up", dir], { stdio: "pipe" });
});
afterAll(() => {
  if (dir) {
    spawnSync(LAB, ["down", dir], { stdio: "pipe" });
    rmSync(dir, { recursive: true, force: true });
  }
});

function context(opts: Partial<CollectOptions> = {}, signal = new AbortController().signal) {
  const events: ProgressEvent[] = [];
  const hostsSeen: string[] = [];
  const ctx: CollectContext = testContext({
    options: { timeoutMs: 600_000, networkProfile: "quick", ...opts },
    signal,
    progress: (e) => events.push(e),
    log: { verbose: (m) => hostsSeen.push(m), warn: () => {} },
  });
  return { ctx, events, hostsSeen };
}

const inNs = (ns: string) => createNetworkCollector({ wrapper: ["ip", "netns", "exec", ns] });

async function findings(t: TargetFacts) {
  const rules = await loadNetworkRules();
  return evaluateRules(rules, [t], {});
}
const byId = (fs: Awaited<ReturnType<typeof findings>>) => Object.fromEntries(fs.map((f) => [f.ruleId, f.status]));

describe("network audit in the lab", () => {
  it("flat subnet (standard profile, with inventory): flat network naming the classes, and the wire-encryption findings", async () => {
    const { ctx, events } = context({ networkProfile: "standard", networkInventory: LAB_INVENTORY });
    const t = await inNs("hsn-scan").collect(parseNetworkTarget("10.77.1.0/24"), ctx);
    expect(t.status).toBe("ok");
    expect(events.some((e) => e.type === "target-step" && typeof e.percent === "number" && e.step.startsWith("nmap: "))).toBe(true);
    const fs = await findings(t);
    expect(byId(fs)).toEqual({
      "network-asset-inventory": "fail",
      "network-cleartext-login": "fail",
      "network-ephi-certificate": "fail",
      "network-flat-network": "fail",
      "network-guest-segment": "fail",
      "network-http-login-cleartext": "fail",
      "network-ldap-starttls": "fail",
      "network-mixed-trust-zones": "pass",
      "network-modality-segment": "fail",
      "network-pos-segment": "pass",
      "network-rdp-nla": "pass",
      "network-segmentation-vantage": "not_applicable",
      "network-smb-security": "pass",
      "network-snmp-community": "pass",
      "network-ssh-weak-algorithms": "fail",
      "network-tls-protocol-version": "fail",
      "network-tls-weak-ciphers": "fail",
    });
    const msg = (id: string) => fs.find((f) => f.ruleId === id)!.message;
    expect(msg("network-flat-network")).toBe(
      "Flat network: 10.77.1.0/24: ePHI 10.77.1.10 shares the segment with camera: 10.77.1.40; guest: 10.77.1.50; medical-modality: 10.77.1.30; printer: 10.77.1.20",
    );
    expect(msg("network-ldap-starttls")).toBe("LDAP without StartTLS: 10.77.1.10:389/tcp ldap");
    expect(msg("network-cleartext-login")).toBe("Cleartext login services: 10.77.1.10:23/tcp telnet");
    expect(msg("network-http-login-cleartext")).toBe("Login pages over plain HTTP: 10.77.1.10:80/tcp http");
    expect(msg("network-tls-protocol-version")).toBe("TLS services accepting versions below 1.2: 10.77.1.10:443/tcp https");
    expect(msg("network-ssh-weak-algorithms")).toBe("SSH servers offering weak algorithms: 10.77.1.10:22/tcp ssh");
    expect(msg("network-ephi-certificate")).toBe("Expired or self-signed certificates on ePHI services: 10.77.1.10:443/tcp https");
    expect(msg("network-asset-inventory")).toBe(
      "Hosts not in the inventory: 10.77.1.20 (printer), 10.77.1.30 (medical-modality), 10.77.1.40 (camera)",
    );
  });

  it("server VLAN (EHR, directory server, workstation behind the router): not flat, the gateway not counted; good TLS passes, Samba's SMBv1 fails", async () => {
    const { ctx } = context({ networkProfile: "standard", networkInventory: LAB_INVENTORY });
    const t = await inNs("hsn-scan").collect(parseNetworkTarget("10.77.2.0/24"), ctx);
    expect(t.status).toBe("ok");
    const f = t.facts as unknown as NetworkFacts;
    expect(Array.isArray(f.hosts) && f.hosts.map((h) => `${h.address} ${h.class}`)).toEqual([
      "10.77.2.1 gateway",
      "10.77.2.10 ephi-server",
      "10.77.2.20 workstation",
      "10.77.2.30 directory-server",
    ]);
    const seg = Array.isArray(f.segments) ? f.segments[0]! : null;
    expect(seg?.infrastructure).toEqual(["gateway: 10.77.2.1"]);
    const fs = await findings(t);
    const s = byId(fs);
    expect(s["network-flat-network"]).toBe("pass");
    expect(s["network-mixed-trust-zones"]).toBe("pass");
    expect(s["network-modality-segment"]).toBe("pass");
    expect(s["network-guest-segment"]).toBe("pass");
    expect(s["network-smb-security"]).toBe("fail");
    expect(s["network-ldap-starttls"]).toBe("pass");
    expect(fs.find((f) => f.ruleId === "network-smb-security")!.message).toBe(
      "SMB servers with SMBv1 or without required signing: 10.77.2.10:445/tcp netbios-ssn",
    );
    expect(s["network-tls-protocol-version"]).toBe("pass");
    expect(s["network-tls-weak-ciphers"]).toBe("pass");
    expect(s["network-ephi-certificate"]).toBe("pass");
    expect(s["network-asset-inventory"]).toBe("fail");
  });

  it("from the guest vantage a discovery-only scan misses the hole: the EHR answers no discovery probe", async () => {
    const { ctx } = context({ networkProfile: "quick", networkInventory: LAB_INVENTORY });
    const t = await inNs("hsn-g-cli").collect(parseNetworkTarget("10.77.2.0/24"), ctx);
    const f = t.facts as unknown as NetworkFacts;
    expect(Array.isArray(f.hosts) && f.hosts.map((h) => h.address)).toEqual(["10.77.2.1"]);
  });

  it("segmentation test from the guest vantage probes the ePHI ports with -Pn and finds exactly the hole, naming vantage, address and port", async () => {
    const { ctx } = context({ networkProfile: "quick", vantage: "guest", networkInventory: LAB_INVENTORY });
    const t = await inNs("hsn-g-cli").collect(parseNetworkTarget("10.77.2.0/24"), ctx);
    expect(t.status).toBe("ok");
    expect(t.notes).toContain('segmentation test: scanned from vantage point "guest"');
    expect(t.sources["probe"]).toBe(`nmap -sS -Pn -p T:${EPHI_SERVICE_PORTS.join(",")} -n -T4 --max-retries 1 --min-rate 1000 --min-hostgroup 256 --max-rtt-timeout 500ms --host-timeout 10m --stats-every 2s -oX - -- 10.77.2.10 10.77.2.0/24`);
    const f = t.facts as unknown as NetworkFacts;
    expect(f.probe?.finished).toBe(true);
    expect(f.probe?.reachable.map((r) => r.label)).toEqual(["guest → 10.77.2.10:5432/tcp open"]);
    const fs = await findings(t);
    const seg = fs.find((f) => f.ruleId === "network-segmentation-vantage")!;
    expect(seg.status).toBe("fail");
    expect(seg.message).toBe("From vantage point guest, ePHI systems or ePHI service ports answer: 10.77.2.10: 5432/tcp open");
  });

  it("nothing is found where nothing is reachable: the device VLAN cannot reach the server VLAN", async () => {
    const { ctx } = context({ networkProfile: "quick", vantage: "devices", networkInventory: LAB_INVENTORY });
    const t = await inNs("hsn-d-mod1").collect(parseNetworkTarget("10.77.2.0/24"), ctx);
    expect(t.status).toBe("ok");
    const f = t.facts as unknown as NetworkFacts;
    expect(f.probe?.finished).toBe(true);
    expect(f.probe?.reachable).toEqual([]);
    const seg = (await findings(t)).find((x) => x.ruleId === "network-segmentation-vantage")!;
    expect(seg.status).toBe("pass");
    expect(seg.message).toBe("No ePHI system answered from vantage point devices.");
  });

  it("device VLAN with clinical devices only: no modality, flat or mixed-zone finding", async () => {
    const { ctx } = context({ networkProfile: "quick", networkInventory: LAB_INVENTORY });
    const t = await inNs("hsn-scan").collect(parseNetworkTarget("10.77.4.0/24"), ctx);
    const f = t.facts as unknown as NetworkFacts;
    expect(Array.isArray(f.hosts) && f.hosts.map((h) => `${h.address} ${h.class}`)).toEqual([
      "10.77.4.1 gateway",
      "10.77.4.30 medical-modality",
      "10.77.4.31 medical-modality",
    ]);
    const s = byId(await findings(t));
    expect([s["network-modality-segment"], s["network-flat-network"], s["network-mixed-trust-zones"], s["network-guest-segment"]]).toEqual(["pass", "pass", "pass", "pass"]);
  });

  it("a clinic's flat /24 (domain controller, SSH-only servers, printer, DICOM, unknown device) is flat, naming its classes", async () => {
    const { ctx } = context({ networkProfile: "quick" });
    const t = await inNs("hsn-scan").collect(parseNetworkTarget("10.77.5.0/24"), ctx);
    const f = t.facts as unknown as NetworkFacts;
    expect(Array.isArray(f.hosts) && f.hosts.map((h) => `${h.address} ${h.class}`)).toEqual([
      "10.77.5.1 gateway",
      "10.77.5.5 directory-server",
      "10.77.5.11 unknown",
      "10.77.5.12 unknown",
      "10.77.5.20 printer",
      "10.77.5.30 medical-modality",
      "10.77.5.40 unknown",
    ]);
    const fs = await findings(t);
    const msg = (id: string) => fs.find((x) => x.ruleId === id)!;
    expect(msg("network-flat-network").status).toBe("fail");
    expect(msg("network-flat-network").message).toBe(
      "Flat network: 10.77.5.0/24: ePHI 10.77.5.5 shares the segment with medical-modality: 10.77.5.30; printer: 10.77.5.20; unknown: 10.77.5.11, 10.77.5.12, 10.77.5.40",
    );
    expect(msg("network-modality-segment").status).toBe("fail");
  });

  it("the same clinic site with the domain controller tagged ephi: false is still flat: mixed trust zones, saying ePHI could not be located", async () => {
    const { ctx } = context({ networkProfile: "quick", networkInventory: [{ address: "10.77.5.5", name: "dc", tags: { ephi: false } }] });
    const t = await inNs("hsn-scan").collect(parseNetworkTarget("10.77.5.0/24"), ctx);
    const fs = await findings(t);
    const mixed = fs.find((x) => x.ruleId === "network-mixed-trust-zones")!;
    expect(fs.find((x) => x.ruleId === "network-flat-network")!.status).toBe("pass");
    expect(mixed.status).toBe("fail");
    expect(mixed.message).toBe(
      "Flat network (no ePHI host identified, so the scanner could not tell where ePHI lives; tag ePHI hosts in the inventory with ephi: true to sharpen this): 10.77.5.0/24: no ePHI host identified; directory-server: 10.77.5.5; medical-modality: 10.77.5.30; printer: 10.77.5.20; unknown: 10.77.5.11, 10.77.5.12, 10.77.5.40",
    );
  });

  it("segmentation test of a single address skips discovery (-Pn), sees only the hole and fails without an inventory", async () => {
    const { ctx } = context({ networkProfile: "quick", vantage: "guest" });
    const t = await inNs("hsn-g-cli").collect(parseNetworkTarget("10.77.2.10"), ctx);
    const f = t.facts as unknown as NetworkFacts;
    expect(f.scan.args).toContain("-Pn");
    expect(Array.isArray(f.hosts) && f.hosts.map((h) => h.answeringSummary)).toEqual(["10.77.2.10: 5432/tcp open"]);
    const seg = (await findings(t)).find((x) => x.ruleId === "network-segmentation-vantage")!;
    expect(seg.status).toBe("fail");
    expect(seg.message).toBe("From vantage point guest, ePHI systems or ePHI service ports answer: 10.77.2.10: 5432/tcp open");
  });

  it("the CLI's --from guest test fails the gate and carries the reachability matrix (text table, HTML heatmap)", () => {
    const htmlFile = join(dir, "from-guest.html");
    const r = spawnSync(
      "ip",
      ["netns", "exec", "hsn-g-cli", process.execPath, join(repo, "bin/hipaa-scan.js"), "scan", "--network", "10.77.2.0/24", "--from", "guest",
        "--network-profile", "quick", "--format", "html", "--format", "json", "--output", htmlFile, "--quiet", "--fail-on", "high"],
      { encoding: "utf8", cwd: repo },
    );
    expect(r.status, r.stderr).toBe(1);
    const report = reportFromJson(JSON.parse(r.stdout), "stdout");
    const seg = report.findings.find((f) => f.ruleId === "network-segmentation-vantage")!;
    expect(seg.status).toBe("fail");
    expect(seg.message).toContain("10.77.2.10: 5432/tcp open");
    expect(report.network!.reachability!.vantages).toEqual(["guest"]);
    expect(report.network!.reachability!.cells.filter((c) => c.addresses.includes("10.77.2.10")).map((c) => c.port)).toEqual(["5432/tcp"]);
    expect(readFileSync(htmlFile, "utf8")).toContain("<title>guest → 10.77.2.0/24 5432/tcp: reachable: 10.77.2.10</title>");
    expect(report.provenance!.vantages).toEqual(["guest"]);
    expect(report.provenance!.host.addresses).toContain("10.77.3.50");
  });

  it("without root: connect scan, no OS detection, and the notes say so", async () => {
    const { ctx } = context({ networkProfile: "quick" });
    const c = createNetworkCollector({
      wrapper: ["ip", "netns", "exec", "hsn-scan", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
      privileged: false,
    });
    const t = await c.collect(parseNetworkTarget("10.77.1.0/24"), ctx);
    expect(t.status).toBe("ok");
    const f = t.facts as unknown as NetworkFacts;
    expect(f.scan.scanType).toBe("connect");
    expect(f.scan.args[0]).toBe("-sT");
    expect(t.notes[0]).toMatch(/without root: TCP connect scan \(-sT\)/);
    expect(Array.isArray(f.hosts) && f.hosts.length).toBe(6);
  });

  it("the CLI scans the flat subnet end to end from the scanner namespace", () => {
    const r = spawnSync(
      "ip",
      ["netns", "exec", "hsn-scan", process.execPath, join(repo, "bin/hipaa-scan.js"), "scan", "--network", "10.77.1.0/24",
        "--network-profile", "quick", "--format", "json", "--quiet", "--fail-on", "high"],
      { encoding: "utf8", cwd: repo },
    );
    expect(r.status, r.stderr).toBe(1);
    const report = reportFromJson(JSON.parse(r.stdout), "stdout");
    const flat = report.findings.find((f) => f.ruleId === "network-flat-network")!;
    expect(flat.status).toBe("fail");
    expect(flat.message).toContain("printer: 10.77.1.20");
    expect(flat.message).toContain("medical-modality: 10.77.1.30");
    expect(flat.message).toContain("camera: 10.77.1.40");
    // Issue 13: the asset inventory names every host the network scan saw, and the ranked
    // register's top risk is on an asset that holds ePHI (tagged or inferred) or is a directory.
    const collected = spawnSync("ip", ["netns", "exec", "hsn-scan", process.execPath, join(repo, "bin/hipaa-scan.js"), "collect", "--network", "10.77.1.0/24", "--network-profile", "quick", "--quiet"], { encoding: "utf8", cwd: repo });
    const scanned = (JSON.parse(collected.stdout) as { targets: { facts: { hosts: { address: string }[] } }[] }).targets[0]!.facts.hosts.map((h) => h.address);
    expect(scanned.length).toBeGreaterThan(3);
    const listed = new Set(report.assets!.assets.map((a) => a.address));
    expect(scanned.filter((address) => !listed.has(address))).toEqual([]);
    const top = report.risks![0]!;
    const byId = new Map(report.assets!.assets.map((a) => [a.id, a]));
    expect(top.assets.some((id) => { const a = byId.get(id); return a !== undefined && (a.ephi.tagged || a.ephi.inferred || a.kind === "directory"); }), JSON.stringify(top)).toBe(true);
  });
});

describe("network faults in the lab", () => {
  it("nmap missing: a clear error, target status error, facts unknown", async () => {
    const { ctx } = context();
    const t = await createNetworkCollector({ nmapPath: "/nonexistent/nmap" }).collect(parseNetworkTarget("10.77.1.0/24"), ctx);
    expect(t.status).toBe("error");
    expect(t.statusReason).toBe("nmap not found (/nonexistent/nmap): install it (Debian/Ubuntu: apt-get install nmap) or put it on PATH");
    expect((await findings(t)).find((f) => f.ruleId === "network-flat-network")?.status).toBe("error");
  });

  it("Ctrl-C mid-scan kills nmap and keeps the hosts finished so far", async () => {
    const ac = new AbortController();
    const { ctx, hostsSeen } = context({ networkProfile: "standard" }, ac.signal);
    // The lab /22 is scanned in host groups; abort as soon as the first group's hosts arrive.
    ctx.log.verbose = (m) => {
      hostsSeen.push(m);
      if (/ up$/.test(m)) ac.abort();
    };
    const started = Date.now();
    const t = await inNs("hsn-scan").collect(parseNetworkTarget("10.77.0.0/22"), ctx);
    expect(t.status).toBe("partial");
    expect(t.statusReason).toMatch(/^scan stopped \(Ctrl-C or deadline\) before nmap finished — \d+ host\(s\) kept$/);
    const f = t.facts as unknown as NetworkFacts;
    expect(Array.isArray(f.hosts) && f.hosts.length).toBeGreaterThan(0);
    expect(f.scan.finished).toBe(false);
    expect(Date.now() - started).toBeLessThan(120_000);
    // nmap is gone: no nmap process is left in the scanner namespace.
    const left = spawnSync("ip", ["netns", "pids", "hsn-scan"], { encoding: "utf8" }).stdout.trim();
    expect(left).toBe("");
  });

  it("unparsable and truncated XML: clear errors, the hosts before the cut kept", async () => {
    const fake = join(dir, "fake-nmap");
    const flat = readFileSync(join(repo, "fixtures/nmap/flat-standard.xml"), "utf8");
    let cut = 0;
    for (let i = 0; i < 3; i++) cut = flat.indexOf("<host ", cut + 1);
    writeFileSync(join(dir, "truncated.xml"), flat.slice(0, cut + 40));
    writeFileSync(join(dir, "garbage.xml"), "Starting Nmap 7.93\nthis is not XML\n");
    for (const [file, status, reason] of [
      ["truncated.xml", "partial", "nmap output unreadable: nmap XML output ends in the middle of a record (truncated) — 2 host(s) kept"],
      ["garbage.xml", "error", "nmap output unreadable: text outside any element in nmap XML output"],
    ] as const) {
      writeFileSync(fake, `#!/bin/sh\ncat '${join(dir, file)}'\n`);
      chmodSync(fake, 0o755);
      const { ctx } = context();
      const t = await createNetworkCollector({ nmapPath: fake }).collect(parseNetworkTarget("10.77.1.0/24"), ctx);
      expect(t.status).toBe(status);
      expect(t.statusReason).toBe(reason);
    }
  });

  it("a network larger than a /16 is refused without confirmation (exit 2, nothing scanned)", () => {
    const r = spawnSync(
      "ip",
      ["netns", "exec", "hsn-scan", process.execPath, join(repo, "bin/hipaa-scan.js"), "scan", "--network", "10.0.0.0/8", "--quiet"],
      { encoding: "utf8", cwd: repo },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("has 16,777,216 addresses (more than a /16); pass --yes-large-network if you mean it");
  });
});
