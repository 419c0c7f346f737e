import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildNmapArgs, type NetworkProfile } from "../../../src/transports/nmap/profiles.js";
import { assertSafeTarget } from "../../../src/transports/nmap/run.js";
import { parseNetworkTarget } from "../../../src/core/targets.js";
import { addressCount } from "../../../src/collectors/network.js";

const base = { resolveNames: false, skipDiscovery: false, statsEverySeconds: 2 };

describe("scan profiles", () => {
  it("uses SYN scan, UDP, OS detection and traceroute as root (standard)", () => {
    const p = buildNmapArgs({ ...base, profile: "standard", privileged: true });
    expect(p.args.slice(0, 2)).toEqual(["-sS", "-sU"]);
    expect(p.args).toContain("-O");
    expect(p.args).toContain("--traceroute");
    expect(p.args.slice(-2)).toEqual(["-oX", "-"]);
    expect(p.notes).toEqual(["reverse DNS was off (-n): host names come from the inventory only"]);
  });

  it("falls back to a connect scan without UDP or OS detection when not root, and says so", () => {
    for (const profile of ["quick", "standard", "thorough"] as NetworkProfile[]) {
      const p = buildNmapArgs({ ...base, profile, privileged: false });
      expect(p.args[0]).toBe("-sT");
      expect(p.args).not.toContain("-sS");
      expect(p.args).not.toContain("-sU");
      expect(p.args).not.toContain("-O");
      expect(p.scanType).toBe("connect");
      expect(p.notes[0]).toMatch(/without root: TCP connect scan \(-sT\)/);
    }
  });

  it("documents every profile's exact arguments in docs/network.md", () => {
    const doc = readFileSync(new URL("../../../docs/network.md", import.meta.url), "utf8");
    for (const profile of ["quick", "standard", "thorough"] as NetworkProfile[]) {
      for (const privileged of [true, false]) {
        const args = buildNmapArgs({ ...base, profile, privileged }).args.join(" ");
        expect(doc, `${profile} privileged=${privileged}`).toContain(`nmap ${args} -- TARGET`);
      }
    }
  });
});

describe("targets never become nmap options", () => {
  it("refuses option-like and spaced targets at the transport", () => {
    for (const bad of ["-oN/tmp/x", "--script=evil", "10.0.0.1 -p1", "", "a;b", "10.0.0.0/24/8", "`x`"]) {
      expect(() => assertSafeTarget(bad), bad).toThrow(/refusing/);
    }
    for (const good of ["10.77.1.0/24", "10.77.1.10", "fe80::1", "2001:db8::/64", "ehr.clinic.local"]) {
      expect(() => assertSafeTarget(good)).not.toThrow();
    }
  });

  it("refuses networks larger than a /16 without confirmation", () => {
    expect(() => parseNetworkTarget("10.0.0.0/8")).toThrow(/more than a \/16.*--yes-large-network/);
    expect(parseNetworkTarget("10.0.0.0/8", { allowLarge: true }).id).toBe("10.0.0.0/8");
    expect(addressCount("10.0.0.0/8")).toBe(16_777_216);
    expect(addressCount("10.77.1.0/24")).toBe(256);
    expect(addressCount("ehr.local")).toBe(1);
  });
});
