import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addressCount, expandCidr, parseCidr } from "../../../src/core/cidr.js";
import { UsageError } from "../../../src/core/errors.js";
import { isValidHost, parseNetworkTarget, parseTarget } from "../../../src/core/targets.js";
import { loadInventory } from "../../../src/inventory/load.js";
import { segmentOf } from "../../../src/network/subnet.js";
import { cli } from "../../helpers/cli.js";

describe("network targets are exactly an address, a CIDR or a host name", () => {
  it.each([
    "0-255.0-255.0-255.0-255",
    "10.0-255.0-255.0-255",
    "10.0.0.1-20",
    "10.0.0.*",
    "10.0.0.1,2",
    "10.1",
    "10",
    "0x0a.0.0.1",
    "010.0.0.1",
    "host[1-3].example.org",
    "-iL",
    "*.example.org",
    "a,b",
  ])("refuses %j, which nmap would read as a range or pattern", (t) => {
    expect(() => parseNetworkTarget(t, { allowLarge: true })).toThrow(UsageError);
  });

  it.each(["10.77.1.5", "10.77.1.0/24", "2001:db8::1", "2001:db8::/120", "ehr.clinic.local", "printer-2", "ehr.clinic.local."])("accepts %j", (t) => {
    expect(parseNetworkTarget(t).id).toBe(t);
  });

  it("host targets follow the same host-name rule", () => {
    expect(isValidHost("db1.example.org")).toBe(true);
    expect(isValidHost("10.1")).toBe(false);
    expect(() => parseTarget("ssh://0-255.0-255.0-255.0-255")).toThrow(UsageError);
  });

  it("the size guard counts what nmap scans", () => {
    expect(() => parseNetworkTarget("10.0.0.0/15")).toThrow(/131,072 addresses.*--yes-large-network/);
    expect(parseNetworkTarget("10.0.0.0/16").id).toBe("10.0.0.0/16");
    expect(() => parseNetworkTarget("2001:db8::/100")).toThrow(/268,435,456 addresses/);
  });

  it("an inventory network in nmap range syntax is refused at its line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hs-tgt-"));
    const file = join(dir, "site.yaml");
    writeFileSync(file, "networks:\n  - 10.0.0.0/24\n  - 10.0-255.0-255.0-255\n");
    await expect(loadInventory(file, { allowLarge: true })).rejects.toThrow(/site\.yaml:3:\d+: invalid target "10\.0-255\.0-255\.0-255"/);
  });

  it("the CLI exits 2 for range syntax on --network and in an inventory, scanning nothing", () => {
    // Should the check ever regress, nothing may be scanned: the only nmap on PATH is a stand-in
    // that records its arguments and exits.
    const fake = mkdtempSync(join(tmpdir(), "hs-fake-nmap-"));
    writeFileSync(join(fake, "nmap"), `#!/bin/sh\necho "$@" >> "${fake}/called"\nexit 1\n`, { mode: 0o755 });
    const env = { PATH: `${fake}:/usr/bin:/bin` };
    const r = cli(["scan", "--network=0-255.0-255.0-255.0-255"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid target "0-255\.0-255\.0-255\.0-255"/);
    expect(r.stdout).toBe("");
    const dir = mkdtempSync(join(tmpdir(), "hs-tgt-"));
    const file = join(dir, "site.yaml");
    writeFileSync(file, "networks: [10.0-255.0-255.0-255]\n");
    const r2 = cli(["scan", "--inventory", file], { env });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/invalid target "10\.0-255\.0-255\.0-255"/);
    expect(r2.stdout).toBe("");
    expect(existsSync(join(fake, "called"))).toBe(false);
  });
});

describe("CIDR arithmetic (src/core/cidr.ts)", () => {
  it("sizes, expansions and segments", () => {
    expect(parseCidr("192.168.0.0/16").count).toBe(65534n);
    expect(parseCidr("192.168.0.0/16").size).toBe(65536n);
    expect(parseCidr("10.0.0.77/24").base).toBe(0x0a000000n);
    expect(expandCidr("10.0.0.4/30")).toEqual(["10.0.0.5", "10.0.0.6"]);
    expect(expandCidr("2001:db8::fffe/127")).toEqual(["2001:db8::fffe", "2001:db8::ffff"]);
    expect(expandCidr("::ffff:10.0.0.1/128")).toEqual(["::ffff:a00:1"]);
    expect(addressCount("10.0.0.0/8")).toBe(16_777_216n);
    expect(addressCount("ehr.local")).toBe(1n);
    expect(segmentOf("10.77.1.200", "10.77.1.128/25")).toBe("10.77.1.128/25");
    expect(segmentOf("10.77.9.1", "10.77.1.128/25")).toBe("10.77.9.0/24");
    expect(segmentOf("2001:db8::20", "2001:db8::/48")).toBe("2001:db8:0:0::/64");
  });
});
