import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { parseRoster } from "../../src/directory/roster.js";
import * as enc from "../../src/directory/encodings.js";
import { loadRuleSet, type RuleSet } from "../../src/engine/packs.js";
import { loadInventory } from "../../src/inventory/load.js";
import { readFactsFile } from "../../src/pipeline.js";
import { loadAlternatives } from "../../src/policy/alternatives.js";
import { parseLinux } from "../../src/probes/linux/index.js";
import * as mac from "../../src/probes/macos/parsers.js";
import { parseOpenStepPlist } from "../../src/probes/macos/plist.js";
import { splitSections } from "../../src/probes/sections.js";
import { parseWindowsProbe } from "../../src/probes/windows/parse.js";
import { toNmapHost } from "../../src/transports/nmap/host.js";
import { NmapXmlStream } from "../../src/transports/nmap/xml.js";
import { parseKnownHosts } from "../../src/transports/ssh/known-hosts.js";
import { parseXml, readFault, relatesTo } from "../../src/transports/winrm/soap.js";
import { decodeStderr } from "../../src/transports/winrm/streams.js";

/**
 * Fuzz targets: every loader and parser of text that comes from a user's file or a remote system.
 * Each gets inputs mutated from real captures under fixtures/ (and plain random text); the
 * invariant, checked by test/unit/fuzz/fuzz.test.ts and bench/fuzz.js, is "returns a value or throws
 * one of our typed errors (isKnownError), within a time bound". Targets call the parsers' exported
 * entry points only, so the probe modules can be reorganised underneath.
 */

export interface FuzzTarget {
  name: string;
  input: fc.Arbitrary<string>;
  run(input: string): unknown;
  /** File-based loaders are slower per case. */
  slow?: boolean;
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const read = (rel: string) => readFileSync(join(ROOT, rel), "utf8");
const NOW = new Date("2026-06-01T00:00:00Z");

/** A seed with a few edits: truncate, cut, insert random text, duplicate or drop lines, flip characters. */
export function mutated(seeds: string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    op: fc.constantFrom("truncate", "cut", "insert", "dupLine", "dropLine", "flip", "insertSpecial"),
    at: fc.nat(),
    len: fc.nat({ max: 64 }),
    text: fc.oneof(fc.string({ maxLength: 24 }), fc.string({ unit: "binary", maxLength: 24 })),
    special: fc.constantFrom("\u0000", "\r", "\n", "\uFEFF", "\u001b[2J", "{", "}", "[", "]", "<", ">", "&", "&amp;", "\"", "'", ":", ",", "=", "*", "&a", "*a", "- ", "\t", "\\", "%", "\uD800", "9".repeat(40), "-1", "1e400", "NaN"),
  });
  return fc.tuple(fc.nat({ max: Math.max(0, seeds.length - 1) }), fc.array(edit, { maxLength: 6 })).map(([i, edits]) => {
    let s = seeds[i] ?? "";
    for (const e of edits) {
      const at = s.length === 0 ? 0 : e.at % (s.length + 1);
      switch (e.op) {
        case "truncate": s = s.slice(0, at); break;
        case "cut": s = s.slice(0, at) + s.slice(at + e.len * 8); break;
        case "insert": s = s.slice(0, at) + e.text + s.slice(at); break;
        case "insertSpecial": s = s.slice(0, at) + e.special + s.slice(at); break;
        case "flip": s = s.slice(0, at) + String.fromCharCode((s.charCodeAt(at) ^ (1 + (e.len % 127))) & 0xffff) + s.slice(at + 1); break;
        case "dupLine":
        case "dropLine": {
          const lines = s.split("\n");
          const n = e.at % Math.max(1, lines.length);
          if (e.op === "dupLine") lines.splice(n, 0, lines[n] ?? "");
          else lines.splice(n, 1);
          s = lines.join("\n");
        }
      }
    }
    return s;
  });
}

const withRandom = (seeds: string[]) => fc.oneof({ weight: 4, arbitrary: mutated(seeds) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) });

function dirFiles(rel: string, filter: (f: string) => boolean): string[] {
  return readdirSync(join(ROOT, rel)).filter(filter).map((f) => read(join(rel, f)));
}

// ---- seeds from real captures ----
const linuxCaptures = ["debian12-root", "debian12-nonroot", "debian12-hardened"].map((d) => ({
  mark: read(`fixtures/linux/${d}/mark.txt`).trim(),
  text: read(`fixtures/linux/${d}/probe-output.txt`),
}));
const LINUX_MARK = linuxCaptures[0]!.mark;
// One marker for all seeds, so mutated seeds still split into sections.
const linuxSeeds = linuxCaptures.map((c) => c.text.split(c.mark).join(LINUX_MARK));
const macSeeds = dirFiles("fixtures/macos", (f) => f.endsWith(".txt"));
const nmapSeeds = dirFiles("fixtures/nmap", (f) => f.endsWith(".xml"));
const windowsSeeds = dirFiles("fixtures/windows", (f) => f.endsWith(".txt") || f.endsWith(".csv"));
const knownHostsSeeds = [read("fixtures/ssh/known_hosts.plain"), read("fixtures/ssh/known_hosts.hashed")];
const rosterSeeds = [read("test/lab/ldap/roster.csv"), read("test/lab/ldap/roster-openldap.csv")];
const ruleSeeds = readdirSync(join(ROOT, "rules/hipaa/linux")).slice(0, 12).map((f) => read(`rules/hipaa/linux/${f}`));
const factsSeed = read("test/data/golden-facts.json");

const WINDOWS_SECTIONS = ["os", "bitlocker", "sessionLock", "rdp", "localUsers", "administrators", "auditPolicy", "securityLog", "defender", "firewall", "smb", "schannel", "lsa", "secureBoot", "hotfixes"];
/** Windows probe documents whose sections hold arbitrary JSON: the normalisers must cope with any shape. */
const windowsDoc = fc
  .record({
    sections: fc.dictionary(fc.constantFrom(...WINDOWS_SECTIONS), fc.oneof(
      fc.record({ ok: fc.constant(true), data: fc.jsonValue({ maxDepth: 3 }) }),
      fc.record({ ok: fc.constant(false), error: fc.string() }),
      fc.jsonValue({ maxDepth: 2 }),
    )),
    garble: fc.boolean(),
    cut: fc.nat(),
  })
  .map(({ sections, garble, cut }) => {
    const text = JSON.stringify({ probe: "hipaa-scan-windows-probe", version: 1, sections });
    return garble ? text.slice(0, cut % (text.length + 1)) : text;
  });

const SOAP_SEED = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header><a:RelatesTo>uuid:1</a:RelatesTo></s:Header><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">The WS-Management service cannot complete the operation within the time specified in OperationTimeout.</s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858793" Machine="win"><f:Message/></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>`;

// ---- file-based loaders write each case to a scratch file ----
let scratch: string | undefined;
let n = 0;
function scratchFile(name: string, text: string): string {
  scratch ??= mkdtempSync(join(tmpdir(), "hs-fuzz-"));
  const f = join(scratch, `${n++}-${name}`);
  writeFileSync(f, text);
  return f;
}
let builtin: RuleSet | undefined;
export async function prepareTargets(): Promise<void> {
  builtin ??= await loadRuleSet();
}

export const TARGETS: FuzzTarget[] = [
  { name: "linux probe output (every section parser)", input: withRandom(linuxSeeds), run: (s) => parseLinux(splitSections(s, LINUX_MARK), NOW) },
  {
    name: "macOS command parsers and plist",
    input: withRandom(macSeeds),
    run: (s) => [
      mac.parseSwVers(s), mac.parseFdesetup(s), mac.parseFirewallState(s), mac.parseStealthMode(s), mac.parseCsrutil(s),
      mac.parseSpctl(s), mac.parseDsclList(s), mac.parseGroupMembership(s), mac.parseScreenLock(s), parseOpenStepPlist(s),
    ],
  },
  { name: "windows probe document", input: fc.oneof(windowsDoc, withRandom(windowsSeeds)), run: (s) => parseWindowsProbe(s, NOW) },
  {
    name: "nmap XML stream",
    input: withRandom(nmapSeeds),
    run: (s) => {
      const hosts: unknown[] = [];
      const stream = new NmapXmlStream((e) => { if (e.type === "host") hosts.push(toNmapHost(e.node)); });
      stream.push(s);
      return hosts;
    },
  },
  {
    name: "WinRM SOAP and CLIXML",
    input: withRandom([SOAP_SEED, ...windowsSeeds.filter((t) => t.includes("CLIXML"))]),
    run: (s) => {
      const clixml = decodeStderr(s);
      const doc = parseXml(s);
      return [clixml, readFault(doc), relatesTo(doc)];
    },
  },
  {
    name: "LDAP entry decoding",
    input: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("133485408000000000", "-9223372036854775808", "9223372036854775807", "20240101120000Z", "20240101120000.5+0100", "19700", "0", "")),
    run: (s) => [
      enc.fileTimeToIso(s), enc.durationTo(s, "days"), enc.durationTo(s, "seconds", false), enc.generalizedTimeToIso(s),
      enc.epochDaysToIso(s), enc.intOrNull(s), enc.sidToString(Buffer.from(s, "latin1")), enc.ridOf(s), enc.escapeFilter(s),
      enc.uacFlags(Number.parseInt(s, 10) || 0),
    ],
  },
  { name: "known_hosts", input: withRandom(knownHostsSeeds), run: (s) => parseKnownHosts(s, "known_hosts") },
  { name: "roster CSV", input: withRandom(rosterSeeds), run: (s) => parseRoster(s, "roster.csv") },
  {
    name: "rule file",
    slow: true,
    input: withRandom(ruleSeeds),
    run: (s) => loadRuleSet([scratchFile("linux-fuzz-rule.yaml", s)], { builtin: false }),
  },
  {
    name: "inventory",
    slow: true,
    input: withRandom(["defaults: { user: auditor, tags: { ephi: true } }\nhosts:\n  - ssh://10.0.0.5\n  - target: winrm://fs1\n    tags: { site: main }\ngroups:\n  clinic:\n    tags: { ephi: false }\n    hosts: [ssh://10.0.0.6, ldaps://dc1/DC=x,DC=y]\nnetworks: [10.0.0.0/24]\n"]),
    run: (s) => loadInventory(scratchFile("inventory.yaml", s), { allowLarge: false }),
  },
  {
    name: "alternatives",
    slow: true,
    input: withRandom(["alternatives:\n  - rule: linux-shell-timeout\n    targets: [\"ssh://admin@frontdesk-pc\"]\n    justification: The kiosk locks itself when the badge is removed.\n    owner: Practice manager\n    reviewBy: 2999-01-01\n"]),
    run: (s) => loadAlternatives(scratchFile("alternatives.yaml", s), builtin!),
  },
  { name: "facts file", slow: true, input: withRandom([factsSeed]), run: (s) => readFactsFile(scratchFile("facts.json", s)) },
];
