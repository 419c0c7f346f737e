import { describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { NetworkFactsSchema, type NetworkFacts } from "../../../src/facts/network.js";
import { evaluateRules } from "../../../src/engine/evaluate.js";
import { factsFromCapture, LAB_INVENTORY, loadNetworkRules } from "./helpers.js";

const facts = (t: { facts: Record<string, unknown> }) => t.facts as unknown as NetworkFacts;
const hostsOf = (f: NetworkFacts) => (Array.isArray(f.hosts) ? f.hosts : []);
const servicesOf = (f: NetworkFacts) => (Array.isArray(f.services) ? f.services : []);
const segmentsOf = (f: NetworkFacts) => (Array.isArray(f.segments) ? f.segments : []);

async function statuses(target: ReturnType<typeof factsFromCapture>) {
  const rules = await loadNetworkRules();
  const findings = evaluateRules(rules, [target], {});
  return { byId: Object.fromEntries(findings.map((f) => [f.ruleId, f.status])), findings };
}

describe("network facts from the real flat-subnet capture", () => {
  const t = factsFromCapture("flat-standard.xml", { target: "10.77.1.0/24" });
  const f = facts(t);

  it("match the facts schema", () => {
    expect([...Value.Errors(NetworkFactsSchema, f)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
  });

  it("classifies every lab host with its reasons", () => {
    const cls = Object.fromEntries(hostsOf(f).map((h) => [h.address, h.class]));
    expect(cls).toEqual({
      "10.77.1.1": "gateway",
      "10.77.1.10": "ephi-server",
      "10.77.1.20": "printer",
      "10.77.1.30": "medical-modality",
      "10.77.1.40": "camera",
      "10.77.1.50": "unknown",
    });
    const ephi = hostsOf(f).find((h) => h.address === "10.77.1.10")!;
    expect(ephi.classReasons[0]).toBe("database port 5432 open");
    expect(hostsOf(f).find((h) => h.address === "10.77.1.30")!.classReasons[0]).toBe("DICOM ports 104, 11112 open");
  });

  it("reads TLS versions, the expired self-signed certificate and the weak SSH algorithms", () => {
    const tls = servicesOf(f).find((s) => s.label === "10.77.1.10:443/tcp https")!;
    expect(tls.tls?.versions).toEqual(["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]);
    expect(tls.tls?.leastStrength).toBe("F");
    expect(tls.certificate).toMatchObject({ subject: "commonName=ephi-flat.lab", selfSigned: true, expired: true, notAfter: "2021-01-01T00:00:00" });
    const ssh = servicesOf(f).find((s) => s.port === 22)!;
    expect(ssh.ssh?.ciphers).toEqual(["aes128-ctr", "aes128-cbc", "3des-cbc"]);
    expect(ssh.ssh?.kex).toContain("diffie-hellman-group1-sha1");
    expect(ssh.ssh?.macs).toContain("hmac-md5");
    const http = servicesOf(f).find((s) => s.label === "10.77.1.10:80/tcp http")!;
    expect(http.http).toEqual({ title: "EHR Portal - Sign in", authRequired: false, redirectsToHttps: false, loginPage: true });
    expect(servicesOf(f).find((s) => s.port === 23)!.name).toBe("telnet");
    expect(servicesOf(f).find((s) => s.port === 389)).toMatchObject({ name: "ldap", product: "OpenLDAP", ldapStartTls: false });
  });

  it("groups the hosts in one segment naming the classes", () => {
    const [seg] = segmentsOf(f);
    expect(segmentsOf(f)).toHaveLength(1);
    expect(seg!.classes).toEqual(["camera", "ephi-server", "medical-modality", "printer", "unknown"]);
    expect(seg!.summary).toBe(
      "10.77.1.0/24: ePHI 10.77.1.10 shares the segment with camera: 10.77.1.40; medical-modality: 10.77.1.30; printer: 10.77.1.20; unknown: 10.77.1.50",
    );
    // The router is the network, not a device on it.
    expect(seg!.infrastructure).toEqual(["gateway: 10.77.1.1"]);
    expect(seg!.zones).toEqual(["clinical", "ephi", "iot", "office", "unknown"]);
  });

  it("gives exactly the lab's findings", async () => {
    const { byId, findings } = await statuses(t);
    expect(byId).toEqual({
      "network-asset-inventory": "not_applicable",
      "network-cleartext-login": "fail",
      "network-ephi-certificate": "fail",
      "network-flat-network": "fail",
      "network-guest-segment": "pass",
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
    const flat = findings.find((x) => x.ruleId === "network-flat-network")!;
    expect(flat.message).toContain("printer: 10.77.1.20");
    expect(flat.message).toContain("medical-modality: 10.77.1.30");
    expect(flat.message).toContain("camera: 10.77.1.40");
  });

  it("with the lab inventory names the guest and lists the hosts it does not know", async () => {
    const inv = factsFromCapture("flat-standard.xml", { target: "10.77.1.0/24", inventory: LAB_INVENTORY });
    const { byId, findings } = await statuses(inv);
    const flat = findings.find((x) => x.ruleId === "network-flat-network")!;
    expect(flat.message).toContain("guest: 10.77.1.50");
    expect(byId["network-asset-inventory"]).toBe("fail");
    expect(findings.find((x) => x.ruleId === "network-asset-inventory")!.message).toBe(
      "Hosts not in the inventory: 10.77.1.20 (printer), 10.77.1.30 (medical-modality), 10.77.1.40 (camera)",
    );
  });
});

describe("network facts from the segmented subnet", () => {
  it("give no flat-network finding and pass the TLS checks", async () => {
    const t = factsFromCapture("segmented-standard.xml", { target: "10.77.2.0/24" });
    const cls = Object.fromEntries(hostsOf(facts(t)).map((h) => [h.address, h.class]));
    expect(cls).toEqual({ "10.77.2.1": "gateway", "10.77.2.10": "ephi-server", "10.77.2.20": "workstation" });
    const { byId } = await statuses(t);
    expect(byId["network-flat-network"]).toBe("pass");
    expect(byId["network-tls-protocol-version"]).toBe("pass");
    expect(byId["network-tls-weak-ciphers"]).toBe("pass");
    expect(byId["network-ephi-certificate"]).toBe("pass");
    expect(byId["network-smb-security"]).toBe("fail");
    expect(byId["network-rdp-nla"]).toBe("pass");
    expect(byId["network-ldap-starttls"]).toBe("pass");
  });

  it("read Samba's SMB dialects and signing mode and xrdp's security layers", () => {
    const f = facts(factsFromCapture("segmented-standard.xml", { target: "10.77.2.0/24" }));
    const smb = servicesOf(f).find((s) => s.port === 445)!;
    expect(smb.label).toBe("10.77.2.10:445/tcp netbios-ssn");
    expect(smb.smb).toEqual({
      dialects: ["NT LM 0.12 (SMBv1) [dangerous, but default]", "202", "210", "300", "302", "311"],
      smbv1: true,
      signingRequired: false,
    });
    const rdp = servicesOf(f).find((s) => s.port === 3389)!;
    expect(rdp.product).toBe("xrdp");
    expect(rdp.rdp).toEqual({
      nla: true,
      nativeRdp: true,
      securityLayers: ["CredSSP (NLA)", "CredSSP with Early User Auth", "Native RDP", "RDSTLS", "SSL"],
    });
  });

  it("from the guest vantage point find the one port the router lets through", async () => {
    const t = factsFromCapture("guest-to-segmented-standard.xml", { target: "10.77.2.0/24", vantage: "guest", inventory: LAB_INVENTORY });
    const { byId, findings } = await statuses(t);
    expect(byId["network-segmentation-vantage"]).toBe("fail");
    expect(findings.find((x) => x.ruleId === "network-segmentation-vantage")!.message).toBe(
      "From vantage point guest, ePHI systems or ePHI service ports answer: 10.77.2.10: 443/tcp open",
    );
  });

  it("without an inventory still fail on the ePHI service port that answers, not on the router", async () => {
    const t = factsFromCapture("guest-to-segmented-standard.xml", { target: "10.77.2.0/24", vantage: "guest" });
    const hosts = hostsOf(facts(t));
    expect(hosts.map((h) => [h.address, h.ephi, h.answeringPorts])).toEqual([
      ["10.77.2.1", false, []],
      ["10.77.2.10", false, ["443/tcp"]],
    ]);
    const { findings } = await statuses(t);
    expect(findings.find((x) => x.ruleId === "network-segmentation-vantage")!.message).toBe(
      "From vantage point guest, ePHI systems or ePHI service ports answer: 10.77.2.10: 443/tcp open",
    );
  });
});
