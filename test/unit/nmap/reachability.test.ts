import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { TargetFacts } from "../../../src/core/model.js";
import type { InventoryHost } from "../../../src/network/classify.js";
import type { NmapHost, NmapPort } from "../../../src/transports/nmap/host.js";
import { buildReachabilityArgs, EPHI_SERVICE_PORTS } from "../../../src/transports/nmap/profiles.js";
import {
  buildReachabilityMatrix, mergeProbe, probeTargets, reachableFrom, renderReachabilitySvg, renderReachabilityText, type ProbeFact,
} from "../../../src/network/reachability.js";
import { sketchFacts } from "../../helpers/facts.js";

const port = (p: number, state = "open"): NmapPort => ({ protocol: "tcp", port: p, state, reason: "syn-ack", service: null, scripts: [] });
const host = (address: string, ports: NmapPort[]): NmapHost => ({
  status: "up", address, mac: null, vendor: null, hostnames: [], distance: null, traceHops: null,
  osMatches: [], osClasses: [], ports, extraPorts: [], hostScripts: [],
});

describe("segmentation probe that does not trust discovery", () => {
  it("probes the ePHI service ports with -Pn, the same list as the rule's ephi_service_ports default", () => {
    const args = buildReachabilityArgs({ privileged: true, ports: EPHI_SERVICE_PORTS, statsEverySeconds: 2 });
    expect(args.slice(0, 4)).toEqual(["-sS", "-Pn", "-p", `T:${EPHI_SERVICE_PORTS.join(",")}`]);
    const rule = parse(readFileSync(new URL("../../../rules/hipaa/network/network-segmentation-vantage.yaml", import.meta.url), "utf8")) as {
      params: { ephi_service_ports: { default: string[] } };
    };
    expect(rule.params.ephi_service_ports.default).toEqual(EPHI_SERVICE_PORTS.map((p) => `${p}/tcp`));
  });

  it("puts the inventory's ePHI hosts inside the target first, then the whole target", () => {
    const inv = new Map<string, InventoryHost>([
      ["10.77.2.10", { address: "10.77.2.10", tags: { ephi: true } }],
      ["10.77.1.10", { address: "10.77.1.10", tags: { ephi: true } }],
      ["10.77.2.20", { address: "10.77.2.20", tags: { class: "workstation" } }],
    ]);
    expect(probeTargets("10.77.2.0/24", inv)).toEqual(["10.77.2.10", "10.77.2.0/24"]);
    expect(probeTargets("10.77.2.0/24", undefined)).toEqual(["10.77.2.0/24"]);
  });

  it("adds a host discovery missed (it dropped the pings) with the ports that answered, once", () => {
    const discovery = [host("10.77.2.1", [port(22, "closed")])];
    const probe = [
      host("10.77.2.10", [port(5432), port(443, "filtered")]),
      host("10.77.2.10", [port(5432)]),
      host("10.77.2.99", [port(22, "filtered")]),
      host("10.77.2.1", [port(22, "closed"), port(5432, "closed")]),
    ];
    const merged = mergeProbe(discovery, probe);
    expect(merged.map((h) => `${h.address} ${h.ports.map((p) => `${p.port}:${p.state}`).join(",")}`)).toEqual([
      "10.77.2.1 22:closed,5432:closed",
      "10.77.2.10 5432:open",
    ]);
    expect(reachableFrom("guest", probe, "10.77.2.0/24").map((r) => r.label)).toEqual([
      "guest → 10.77.2.1:22/tcp closed",
      "guest → 10.77.2.1:5432/tcp closed",
      "guest → 10.77.2.10:5432/tcp open",
    ]);
  });

  it("combines several vantage points into one vantage × segment × port matrix, as text and as an SVG heatmap", () => {
    const t = (vantage: string, target: string, reachable: ProbeFact["reachable"]): TargetFacts => ({
      target: { kind: "network", id: target }, status: "ok", collector: "network/nmap", collectedAt: "2026-12-01T00:00:00Z",
      tags: {}, sources: {}, notes: [],
      facts: { probe: { vantage, ports: ["443/tcp", "5432/tcp"], targets: [target], args: [], finished: true, error: null, addressesProbed: 256, reachable } },
    });
    const m = buildReachabilityMatrix([
      t("guest", "10.77.2.0/24", [{ label: "x", address: "10.77.2.10", port: "5432/tcp", state: "open", segment: "10.77.2.0/24" }]),
      t("devices", "10.77.2.0/24", []),
      { ...t("guest", "10.77.4.0/24", []), target: { kind: "network", id: "10.77.4.0/24" } },
    ])!;
    expect(m.vantages).toEqual(["devices", "guest"]);
    expect(m.segments).toEqual(["10.77.2.0/24", "10.77.4.0/24"]);
    expect(m.cells.filter((c) => c.addresses.length > 0)).toEqual([{ vantage: "guest", segment: "10.77.2.0/24", port: "5432/tcp", addresses: ["10.77.2.10"] }]);
    expect(renderReachabilityText(m).slice(3)).toEqual([
      "devices  10.77.2.0/24  2             none",
      "guest    10.77.2.0/24  2             5432/tcp (10.77.2.10)",
      "guest    10.77.4.0/24  2             none",
    ]);
    const svg = renderReachabilitySvg(m);
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg.match(/fill="#c62828"/g)).toHaveLength(1);
    expect(svg.match(/fill="#2e7d32"/g)).toHaveLength(5);
    expect(svg).toContain("<title>guest → 10.77.2.0/24 5432/tcp: reachable: 10.77.2.10</title>");
    expect(buildReachabilityMatrix([])).toBeNull();
  });

  it("escapes vantage names in the SVG", () => {
    const svg = renderReachabilitySvg({ vantages: ["<b>"], segments: ["s"], ports: ["1/tcp"], cells: [{ vantage: "<b>", segment: "s", port: "1/tcp", addresses: [] }] });
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("&lt;b&gt;");
  });
});

describe("several saved runs evaluated as one", () => {
  it("keeps both vantage points' tests of the same subnet apart and combines them in one matrix", async () => {
    const { mergeFactsDocuments } = await import("../../../src/report/merge-facts.js");
    const doc = (vantage: string, reachable: ProbeFact["reachable"], at: string) => ({
      format: "hipaa-scan-facts" as const, schemaVersion: 1 as const, tool: { name: "hipaa-scan", version: "0.1.0" },
      startedAt: at, finishedAt: at,
      targets: [{
        target: { kind: "network" as const, id: "10.77.2.0/24" }, status: "ok" as const, collector: "network/nmap", collectedAt: at, tags: {}, sources: {}, notes: [],
        facts: sketchFacts("network", { scan: { vantage }, probe: { vantage, ports: ["5432/tcp"], targets: ["10.77.2.0/24"], args: [], finished: true, error: null, addressesProbed: 256, reachable } }),
      }],
    });
    const merged = mergeFactsDocuments([
      doc("guest", [{ label: "x", address: "10.77.2.10", port: "5432/tcp", state: "open", segment: "10.77.2.0/24" }], "2026-12-01T22:00:00.000Z"),
      doc("devices", [], "2026-12-01T21:00:00.000Z"),
    ]);
    expect(merged.targets.map((t) => t.target.id)).toEqual(["10.77.2.0/24", "10.77.2.0/24 from devices"]);
    expect(merged.startedAt).toBe("2026-12-01T21:00:00.000Z");
    const m = buildReachabilityMatrix(merged.targets)!;
    expect(m.cells).toEqual([
      { vantage: "devices", segment: "10.77.2.0/24", port: "5432/tcp", addresses: [] },
      { vantage: "guest", segment: "10.77.2.0/24", port: "5432/tcp", addresses: ["10.77.2.10"] },
    ]);
  });
});
