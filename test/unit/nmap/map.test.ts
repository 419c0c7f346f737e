import { describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { buildNetworkMap, NetworkMapSchema, renderNetworkMapText } from "../../../src/network/map.js";
import { buildNetworkFacts } from "../../../src/network/facts.js";
import { buildNmapArgs } from "../../../src/transports/nmap/profiles.js";
import { factsFromCapture, LAB_INVENTORY, readCapture } from "./helpers.js";
import type { TargetFacts } from "../../../src/core/model.js";
import { ofRuntimeKind } from "../../../src/core/target-facts.js";

describe("network map", () => {
  const flat = factsFromCapture("flat-standard.xml", { target: "10.77.1.0/24", inventory: LAB_INVENTORY });
  const seg = factsFromCapture("segmented-standard.xml", { target: "10.77.2.0/24", inventory: LAB_INVENTORY });
  const guest = factsFromCapture("guest-to-segmented-standard.xml", { target: "10.77.2.0/24", vantage: "guest", inventory: LAB_INVENTORY });

  it("groups segments → hosts → classes over several targets and matches its schema", () => {
    const map = buildNetworkMap([flat, seg, { ...guest, target: { kind: "network", id: "10.77.2.0/24 from guest" } }]);
    expect([...Value.Errors(NetworkMapSchema, map)]).toEqual([]);
    expect(map.segments.map((s) => s.subnet)).toEqual(["10.77.1.0/24", "10.77.2.0/24"]);
    expect(map.segments[0]!.classes).toEqual({ "ephi-server": 1, "medical-modality": 1, printer: 1, camera: 1, guest: 1 });
    // The vantage scan sees only 443 on the ePHI server; the ordinary scan's view wins.
    const ehr = map.segments[1]!.hosts.find((h) => h.address === "10.77.2.10")!;
    expect(ehr.openPorts).toEqual(["389/tcp", "443/tcp", "445/tcp", "5432/tcp"]);
    expect(map.segments[1]!.vantages).toEqual(["guest"]);
  });

  it("ignores non-network targets and network targets without host facts", () => {
    const host: TargetFacts = ofRuntimeKind({ ...flat, target: { kind: "host", id: "local" } });
    const failed: TargetFacts = { ...flat, status: "error", facts: { hosts: { unknown: true, reason: "nmap not found" } } };
    expect(buildNetworkMap([host, failed])).toEqual({ segments: [] });
  });

  it("renders a per-subnet table of classes", () => {
    const lines = renderNetworkMapText(buildNetworkMap([flat, seg]));
    expect(lines).toEqual([
      "Network map",
      "Subnet        Class             Hosts  Addresses",
      "------------  ----------------  -----  ----------",
      "10.77.1.0/24  ephi-server       1      10.77.1.10",
      "              medical-modality  1      10.77.1.30",
      "              printer           1      10.77.1.20",
      "              camera            1      10.77.1.40",
      "              guest             1      10.77.1.50",
      "              gateway           1      10.77.1.1",
      "10.77.2.0/24  ephi-server       1      10.77.2.10",
      "              workstation       1      10.77.2.20",
      "              gateway           1      10.77.2.1",
    ]);
    expect(renderNetworkMapText({ segments: [] })).toEqual(["Network map: no hosts seen."]);
  });

  it("marks on-link segments from an on-link scan", () => {
    const run = readCapture("onlink-quick.xml");
    const plan = buildNmapArgs({ profile: "quick", privileged: true, resolveNames: false, skipDiscovery: false, statsEverySeconds: 2 });
    const facts = buildNetworkFacts({
      hosts: run.hosts, run, plan, profile: "quick", privileged: true, vantage: null, target: "10.77.1.0/24", inventory: undefined, now: new Date(),
    });
    const segments = Array.isArray(facts.segments) ? facts.segments : [];
    expect(segments[0]!.onLink).toBe(true);
    expect(segments[0]!.evidence).toContain("5 host(s) answered ARP/ND with a MAC address: same broadcast domain as the scanner");
  });
});
