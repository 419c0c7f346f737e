import type { NmapPort, NmapScript } from "../transports/nmap/host.js";
import { safeText } from "../core/untrusted-text.js";
import type { Static } from "@sinclair/typebox";
import type { Certificate, Http, Rdp, Smb, SshAlgorithms, Tls } from "../facts/network.js";
import { unknown, type Unknown } from "../facts/unknown.js";

/**
 * Turns the NSE results nmap returned for one service into transmission-security facts. These are
 * observations (versions, suites, flags), not verdicts: the rules in rules/hipaa/network judge them.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const str = (v: unknown): string | null => (typeof v === "string" ? safeText(v, 512) : null);
const find = (scripts: NmapScript[], id: string) => scripts.find((s) => s.id === id);


export function tlsFacts(scripts: NmapScript[]): Static<typeof Tls> | null {
  const s = find(scripts, "ssl-enum-ciphers");
  if (!s || !isObj(s.value)) return null;
  const versions: string[] = [];
  const weak: string[] = [];
  for (const [version, body] of Object.entries(s.value)) {
    if (!/^(SSLv[23]|TLSv1(\.[0-3])?)$/.test(version) || !isObj(body)) continue;
    versions.push(version);
    const ciphers = Array.isArray(body["ciphers"]) ? body["ciphers"] : [];
    for (const c of ciphers) {
      if (!isObj(c)) continue;
      const name = str(c["name"]) ?? "?";
      const grade = str(c["strength"]) ?? "?";
      if (grade !== "A") weak.push(`${version} ${name} (${grade})`);
    }
  }
  versions.sort();
  const least = str(s.value["least strength"]);
  return {
    versions,
    weakCiphers: weak.slice(0, 200),
    weakCipherCount: weak.length,
    leastStrength: least ?? unknown("ssl-enum-ciphers reported no least strength"),
  };
}

function dn(v: unknown): string {
  if (!isObj(v)) return "";
  return Object.entries(v)
    .filter(([, x]) => typeof x === "string")
    .map(([k, x]) => `${k}=${safeText(x as string, 256)}`)
    .join(", ");
}

export function certificateFacts(scripts: NmapScript[], now: Date): Static<typeof Certificate> | null {
  const s = find(scripts, "ssl-cert");
  if (!s || !isObj(s.value)) return null;
  const v = s.value;
  const validity = isObj(v["validity"]) ? v["validity"] : {};
  const notAfter = str(validity["notAfter"]);
  const pub = isObj(v["pubkey"]) ? v["pubkey"] : {};
  const subject = dn(v["subject"]);
  const issuer = dn(v["issuer"]);
  // nmap prints validity in UTC without a zone suffix.
  const after = notAfter ? Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(notAfter) ? notAfter : `${notAfter}Z`) : NaN;
  const bits = Number(str(pub["bits"]));
  const noDate = unknown(`ssl-cert gave no readable notAfter (${notAfter ?? "none"})`);
  return {
    subject,
    issuer,
    selfSigned: subject !== "" && subject === issuer,
    notBefore: str(validity["notBefore"]),
    notAfter,
    expired: Number.isNaN(after) ? noDate : after < now.getTime(),
    daysLeft: Number.isNaN(after) ? noDate : Math.floor((after - now.getTime()) / 86_400_000),
    signatureAlgorithm: str(v["sig_algo"]),
    keyType: str(pub["type"]),
    keyBits: Number.isFinite(bits) && bits > 0 ? bits : null,
  };
}

export function sshFacts(scripts: NmapScript[]): Static<typeof SshAlgorithms> | null {
  const s = find(scripts, "ssh2-enum-algos");
  if (!s || !isObj(s.value)) return null;
  const v = s.value;
  const kex = strList(v["kex_algorithms"]).filter((k) => !/^(kex-strict|ext-info)-/.test(k));
  const hostKey = strList(v["server_host_key_algorithms"]);
  const ciphers = strList(v["encryption_algorithms"]);
  const macs = strList(v["mac_algorithms"]);
  return { kex, hostKey, ciphers, macs };
}

/** smb-protocols and smb2-security-mode run once per host (host scripts): attached to the SMB port. */
export function smbFacts(hostScripts: NmapScript[]): Static<typeof Smb> | null {
  const p = find(hostScripts, "smb-protocols");
  const m = find(hostScripts, "smb2-security-mode");
  if (!p && !m) return null;
  const dialects = isObj(p?.value) ? strList(p.value["dialects"]) : [];
  let signingRequired: boolean | Unknown = unknown("smb2-security-mode gave no answer");
  if (m && isObj(m.value)) {
    const texts = Object.values(m.value).flatMap((x) => strList(x));
    if (texts.some((t) => /signing enabled and required/i.test(t))) signingRequired = true;
    else if (texts.some((t) => /not required/i.test(t))) signingRequired = false;
  }
  return {
    dialects: dialects.map((d) => safeText(d, 128)),
    smbv1: p && dialects.length > 0 ? dialects.some((d) => /SMBv1|NT LM 0\.12/i.test(d)) : unknown("smb-protocols gave no answer"),
    signingRequired,
  };
}

export function rdpFacts(scripts: NmapScript[]): Static<typeof Rdp> | null {
  const s = find(scripts, "rdp-enum-encryption");
  if (!s) return null;
  // rdp-enum-encryption 7.93 returns text only: "Security layer" then "CredSSP (NLA): SUCCESS" lines.
  const layers = [...s.output.matchAll(/^\s*(.+?):\s*(SUCCESS|FAILED.*|Unknown)\s*$/gm)]
    .filter((m) => /CredSSP|Native RDP|SSL|RDSTLS/.test(m[1]!))
    .map((m) => ({ name: m[1]!.trim(), ok: m[2] === "SUCCESS" }));
  const get = (re: RegExp, what: string) => {
    const l = layers.find((x) => re.test(x.name));
    return l ? l.ok : unknown(`rdp-enum-encryption did not report ${what}`);
  };
  return {
    nla: get(/^CredSSP \(NLA\)$/, "CredSSP (NLA)"),
    nativeRdp: get(/^Native RDP$/, "Native RDP"),
    securityLayers: layers.filter((l) => l.ok).map((l) => safeText(l.name, 64)),
  };
}

const LOGIN = /log\s?in|sign\s?in|logon|password|authenticat/i;

export function httpFacts(port: NmapPort): Static<typeof Http> | null {
  const title = find(port.scripts, "http-title");
  const auth = find(port.scripts, "http-auth");
  if (!title && !auth) return null;
  const titleText = title && isObj(title.value) ? str(title.value["title"]) : null;
  const redirect = title && isObj(title.value) ? str(title.value["redirect_url"]) : null;
  const redirectsToHttps =
    (redirect !== null && /^https:/i.test(redirect)) || /redirect to https:\/\//i.test(title?.output ?? "");
  const authRequired = auth !== undefined && /Basic|Digest|NTLM|Negotiate/i.test(auth.output);
  return {
    title: titleText,
    authRequired,
    redirectsToHttps,
    loginPage: authRequired || (titleText !== null && LOGIN.test(titleText)),
  };
}

export function ldapStartTls(port: NmapPort): boolean | null | Unknown {
  if (port.service?.name !== "ldap" || port.service.tunnel === "ssl") return null;
  const s = find(port.scripts, "ldap-rootdse");
  if (!s || !/supportedExtension/i.test(s.output)) return unknown("ldap-rootdse did not read the root DSE");
  return s.output.includes("1.3.6.1.4.1.1466.20037");
}

/** SNMP versions answering a community string, from nmap's version probe (e.g. "SNMPv1 server; … (public)"). */
export function snmpCommunityVersions(port: NmapPort): string[] {
  if (port.service?.name !== "snmp") return [];
  const text = `${port.service.product ?? ""} ${port.service.extrainfo ?? ""}`;
  const out: string[] = [];
  if (/SNMPv1/i.test(text)) out.push("v1");
  if (/SNMPv2c?/i.test(text)) out.push("v2c");
  return out;
}
