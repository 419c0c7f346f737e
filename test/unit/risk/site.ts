import { readFileSync } from "node:fs";
import type { FactsDocument, TargetFacts } from "../../../src/core/model.js";
import { adAccountFromEntry, adComputerFromEntry } from "../../../src/directory/ad.js";
import { factsFromCapture, LAB_INVENTORY } from "../nmap/helpers.js";
import { loadEntries } from "../ldap/fixtures.js";

/**
 * A whole site from captured data, as one facts document: the two lab network scans
 * (fixtures/nmap/flat-standard.xml, segmented-standard.xml, see fixtures/nmap/PROVENANCE.md), the
 * golden hosts (test/data/golden-facts.json) and a directory whose accounts and computers are the
 * Samba 4.17 captures (fixtures/ldap/samba-4.17, see fixtures/ldap/PROVENANCE.md), with Administrator
 * made a Domain Admins member the way the AD collector records membership.
 */
export function siteFacts(): FactsDocument {
  const golden = JSON.parse(readFileSync(new URL("../../data/golden-facts.json", import.meta.url), "utf8")) as FactsDocument;
  const flat = factsFromCapture("flat-standard.xml", { target: "10.77.1.0/24", inventory: LAB_INVENTORY });
  const seg = factsFromCapture("segmented-standard.xml", { target: "10.77.2.0/24", inventory: LAB_INVENTORY });
  const accounts = loadEntries("samba-4.17/users.json").map((e) => adAccountFromEntry(e));
  for (const a of accounts) {
    if (a.name === "Administrator") {
      a.privilegedGroups = ["Domain Admins"];
      a.privileged = true;
    }
  }
  const computers = loadEntries("samba-4.17/computers.json").map((e) => adComputerFromEntry(e));
  const directory: TargetFacts = {
    target: { kind: "directory", id: "ldaps://dc1.hsl.lab/DC=hsl,DC=lab" },
    status: "ok",
    collector: "directory/ldap",
    collectedAt: "2026-11-22T21:00:00.000Z",
    tags: {},
    facts: {
      accounts,
      computers,
      privilegedGroups: [
        { name: "Domain Admins", dn: "CN=Domain Admins,CN=Users,DC=hsl,DC=lab", sid: null, members: ["Administrator"], enabledMembers: ["Administrator"], memberCount: 1, enabledMemberCount: 1, directMemberCount: 1 },
      ],
    },
    sources: {},
    notes: [],
  };
  return { ...golden, targets: [...golden.targets.filter((t) => t.status === "ok"), directory, flat, seg] };
}
