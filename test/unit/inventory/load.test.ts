import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadInventory } from "../../../src/inventory/load.js";
import { expandCidr, parseCidr } from "../../../src/core/cidr.js";
import { UsageError } from "../../../src/core/errors.js";

function inv(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "hss-inv-"));
  const file = join(dir, "site.yaml");
  writeFileSync(file, text);
  return file;
}

async function problem(text: string, allowLarge = false): Promise<string> {
  const file = inv(text);
  try {
    await loadInventory(file, { allowLarge });
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message.replaceAll(file, "FILE");
  }
  throw new Error("expected the inventory to be refused");
}

describe("loadInventory", () => {
  it("merges defaults, group and host settings and tags", async () => {
    const file = inv(`
defaults:
  user: scan
  sudo: true
  identity: keys/scan_ed25519
  tags: { site: main, ephi: false }
groups:
  front-desk:
    tags: { ephi: true }
    timeout: 30
    hosts:
      - ssh://10.0.0.5
      - { host: 10.0.0.6, user: admin, port: 2222, sudo: false, tags: { room: "12" } }
targets:
  - ssh://root@db.clinic.example:2200
  - ldaps://dc1.clinic.example/DC=clinic,DC=example
networks:
  - { cidr: 10.0.0.0/24, tags: { ephi: true } }
`);
    const dir = join(file, "..");
    const t = await loadInventory(file, { allowLarge: false });
    expect(t).toEqual([
      {
        kind: "host", scheme: "ssh", id: "ssh://10.0.0.5", host: "10.0.0.5", port: 22, user: "scan",
        tags: { group: "front-desk", site: "main", ephi: true },
        options: { identityFiles: [join(dir, "keys/scan_ed25519")], sudo: true, timeoutMs: 30_000 },
      },
      {
        kind: "host", scheme: "ssh", id: "ssh://admin@10.0.0.6:2222", host: "10.0.0.6", port: 2222, user: "admin",
        tags: { group: "front-desk", site: "main", ephi: true, room: "12" },
        options: { identityFiles: [join(dir, "keys/scan_ed25519")], sudo: false, timeoutMs: 30_000, port: 2222 },
      },
      {
        kind: "host", scheme: "ssh", id: "ssh://root@db.clinic.example:2200", host: "db.clinic.example", port: 2200, user: "root",
        tags: { site: "main", ephi: false },
        options: { identityFiles: [join(dir, "keys/scan_ed25519")], sudo: true },
      },
      {
        kind: "directory", scheme: "ldaps", id: "ldaps://dc1.clinic.example/DC=clinic,DC=example", host: "dc1.clinic.example",
        port: 636, user: undefined, baseDN: "DC=clinic,DC=example", tags: { site: "main", ephi: false },
        options: { identityFiles: [join(dir, "keys/scan_ed25519")], sudo: true },
      },
      { kind: "network", scheme: "network", id: "10.0.0.0/24", host: "10.0.0.0", tags: { site: "main", ephi: true } },
    ]);
  });

  it("expands a CIDR into SSH targets without network and broadcast addresses", async () => {
    const t = await loadInventory(inv(`targets: [10.1.2.0/29]\n`), { allowLarge: false });
    expect(t.map((x) => x.id)).toEqual(["10.1.2.1", "10.1.2.2", "10.1.2.3", "10.1.2.4", "10.1.2.5", "10.1.2.6"].map((a) => `ssh://${a}`));
    expect(t[0]!.tags).toEqual({ cidr: "10.1.2.0/29" });
  });

  it("reports an unknown key at its line and column", async () => {
    expect(await problem(`defaults:\n  user: scan\n  sudoo: true\n`)).toBe(`inventory FILE is invalid:\nFILE:3:3: unknown key "sudoo"`);
  });

  it("reports an unknown key inside a host entry, not the union noise", async () => {
    expect(await problem(`targets:\n  - ssh://a\n  - { host: b, identityfile: x }\n`)).toBe(
      `inventory FILE is invalid:\nFILE:3:16: unknown key "identityfile"`,
    );
  });

  it("reports duplicate hosts with both locations, across groups and CIDRs", async () => {
    const msg = await problem(`groups:\n  a:\n    hosts: [10.0.0.1]\ntargets:\n  - 10.0.0.0/30\n`);
    expect(msg).toBe(`inventory FILE is invalid:\nFILE:5:5: duplicate target 10.0.0.1:22 (first at FILE:3:13)`);
  });

  it("treats the same host on another port as another target", async () => {
    const t = await loadInventory(inv(`targets: [ssh://a, "ssh://a:2222"]\n`), { allowLarge: false });
    expect(t.map((x) => x.port)).toEqual([22, 2222]);
  });

  it("refuses a range larger than a /16 unless allowed", async () => {
    expect(await problem(`targets: [{ cidr: 10.0.0.0/15 }]\n`)).toMatch(/FILE:1:11: 10\.0\.0\.0\/15 has 131,070 addresses .*--yes-large-network/);
  });

  it("reports a malformed target and a YAML duplicate key with positions", async () => {
    expect(await problem(`targets:\n  - ssh://-oProxyCommand=x\n`)).toMatch(/^inventory FILE is invalid:\nFILE:2:5: invalid target/);
    expect(await problem(`defaults: { user: a }\ndefaults: { user: b }\n`)).toMatch(/FILE:2:1: duplicate key "defaults"/);
  });

  it("reports a bad value with its path", async () => {
    expect(await problem(`defaults:\n  port: 70000\n`)).toBe(`inventory FILE is invalid:\nFILE:2:9: defaults.port must be <= 65535`);
  });

  it("says when the file cannot be read", async () => {
    await expect(loadInventory("/nonexistent/site.yaml", { allowLarge: false })).rejects.toThrow(/cannot read inventory/);
  });
});

describe("cidr", () => {
  it("sizes IPv4 and IPv6 ranges", () => {
    expect(parseCidr("192.168.0.0/16").count).toBe(65534n);
    expect(parseCidr("10.0.0.7/32").count).toBe(1n);
    expect(parseCidr("2001:db8::/126").count).toBe(4n);
  });
  it("expands /31, /32 and IPv6 ranges", () => {
    expect(expandCidr("10.0.0.0/31")).toEqual(["10.0.0.0", "10.0.0.1"]);
    expect(expandCidr("10.0.0.9/32")).toEqual(["10.0.0.9"]);
    expect(expandCidr("2001:db8::4/126")).toEqual(["2001:db8::4", "2001:db8::5", "2001:db8::6", "2001:db8::7"]);
  });
  it("rejects what is not a CIDR", () => {
    expect(() => parseCidr("10.0.0.0")).toThrow(/not a CIDR/);
    expect(() => parseCidr("10.0.0.0/33")).toThrow(/prefix/);
  });
});
