import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  appendKnownHost,
  blobKeyType,
  fingerprint,
  hostsFieldMatches,
  knownHostsName,
  KnownHosts,
  loadKnownHosts,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
  verifyHostKey,
} from "../../../src/transports/ssh/known-hosts.js";

const fx = (f: string) => join(import.meta.dirname, "../../../fixtures/ssh", f);
const key = (k: string) => Buffer.from(readFileSync(fx(`key-${k}.pub`), "utf8").split(" ")[1]!, "base64");
const plain = parseKnownHosts(readFileSync(fx("known_hosts.plain"), "utf8"), "known_hosts.plain");
const hashed = parseKnownHosts(readFileSync(fx("known_hosts.hashed"), "utf8"), "known_hosts.hashed");

describe("parseKnownHosts", () => {
  it("reads every valid line and skips comments and malformed lines", () => {
    expect(plain.map((e) => [e.line, e.marker, e.keyType])).toEqual([
      [2, null, "ssh-ed25519"],
      [3, null, "ssh-ed25519"],
      [4, null, "ssh-ed25519"],
      [5, "revoked", "ssh-ed25519"],
      [6, "cert-authority", "ssh-ed25519"],
      [7, null, "ecdsa-sha2-nistp256"],
    ]);
  });
  it("skips a line whose declared type does not match the blob", () => {
    const b64 = key("a").toString("base64");
    expect(parseKnownHosts(`h ssh-rsa ${b64}\n`, "x")).toEqual([]);
  });
});

describe("fingerprint", () => {
  it("matches ssh-keygen -l (SHA256, unpadded base64)", () => {
    // ssh-keygen -lf fixtures/ssh/key-a.pub on this machine:
    expect(fingerprint(key("a"))).toBe("SHA256:9PhKVblUWv3UA1xjvwRF7kL2s3TOVue1EdZ4MJmha0s");
    expect(blobKeyType(key("ec"))).toBe("ecdsa-sha2-nistp256");
  });
});

describe("host matching", () => {
  it("uses [host]:port for ports other than 22, lower-cased", () => {
    expect(knownHostsName("Alpha.Example.org", 22)).toBe("alpha.example.org");
    expect(knownHostsName("beta.example.org", 2222)).toBe("[beta.example.org]:2222");
  });
  it("honours wildcards and negation", () => {
    expect(hostsFieldMatches("*.wild.example.org,!bad.wild.example.org", "ok.wild.example.org")).toBe(true);
    expect(hostsFieldMatches("*.wild.example.org,!bad.wild.example.org", "bad.wild.example.org")).toBe(false);
    expect(hostsFieldMatches("h?.lab", "h1.lab")).toBe(true);
    expect(hostsFieldMatches("h?.lab", "h10.lab")).toBe(false);
    expect(hostsFieldMatches("a.b", "axb")).toBe(false);
  });
  it("matches hashed names made by ssh-keygen -H, including [host]:port", () => {
    expect(verifyHostKey(hashed, "hashed.example.org", 22, key("a")).kind).toBe("match");
    expect(verifyHostKey(hashed, "hashed.example.org", 2200, key("b")).kind).toBe("match");
    expect(verifyHostKey(hashed, "hashed.example.org", 2201, key("b")).kind).toBe("unknown");
    expect(verifyHostKey(hashed, "other.example.org", 22, key("a")).kind).toBe("unknown");
  });
});

describe("verifyHostKey", () => {
  it("accepts the known key by name or by address", () => {
    expect(verifyHostKey(plain, "alpha.example.org", 22, key("a")).kind).toBe("match");
    expect(verifyHostKey(plain, "192.0.2.10", 22, key("a")).kind).toBe("match");
  });
  it("reports a changed key with the known entries", () => {
    const v = verifyHostKey(plain, "alpha.example.org", 22, key("b"));
    expect(v.kind).toBe("changed");
    if (v.kind === "changed") expect(v.known.map((e) => e.line)).toEqual([2]);
  });
  it("treats a key of another type for a known host as changed, not new", () => {
    expect(verifyHostKey(plain, "ecdsa.example.org", 22, key("a")).kind).toBe("changed");
  });
  it("does not use port-22 entries for another port", () => {
    expect(verifyHostKey(plain, "alpha.example.org", 2222, key("a")).kind).toBe("unknown");
    expect(verifyHostKey(plain, "beta.example.org", 2222, key("b")).kind).toBe("match");
  });
  it("refuses a @revoked key for any host, even one that lists it", () => {
    const entries = [...plain, ...parseKnownHosts(`alpha.example.org ${readFileSync(fx("key-d.pub"), "utf8")}`, "extra")];
    expect(verifyHostKey(entries, "alpha.example.org", 22, key("d")).kind).toBe("revoked");
  });
  it("never lets a @cert-authority line vouch for a plain key", () => {
    expect(verifyHostKey(plain, "x.ca.example.org", 22, key("e"))).toEqual({ kind: "unknown", certAuthorityOnly: true });
  });
});

describe("preferredHostKeyAlgorithms", () => {
  it("puts the types already known for the host first", () => {
    expect(preferredHostKeyAlgorithms(plain, "ecdsa.example.org", 22)[0]).toBe("ecdsa-sha2-nistp256");
    expect(preferredHostKeyAlgorithms(plain, "nowhere", 22)[0]).toBe("ssh-ed25519");
  });
});

describe("appendKnownHost", () => {
  it("appends once per key, in OpenSSH's format, creating the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hss-kh-"));
    const file = join(dir, "sub", "known_hosts");
    await Promise.all([appendKnownHost(file, "10.0.0.1", 2222, key("a")), appendKnownHost(file, "10.0.0.1", 2222, key("a"))]);
    const text = readFileSync(file, "utf8");
    expect(text).toBe(`[10.0.0.1]:2222 ssh-ed25519 ${key("a").toString("base64")}\n`);
    const entries = await loadKnownHosts([file, join(dir, "missing")]);
    expect(verifyHostKey(entries, "10.0.0.1", 2222, key("a")).kind).toBe("match");
  });
  it("adds a newline when the file did not end with one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hss-kh-"));
    const file = join(dir, "known_hosts");
    writeFileSync(file, "# no newline");
    await appendKnownHost(file, "h", 22, key("b"));
    expect(readFileSync(file, "utf8").split("\n")).toEqual(["# no newline", `h ssh-ed25519 ${key("b").toString("base64")}`, ""]);
  });
});

describe("KnownHosts index", () => {
  it("finds for each name the same entries, in file order, as matching every line", () => {
    const entries = [...plain, ...hashed];
    const index = new KnownHosts(entries);
    const names = ["alpha.example.org", "[beta.example.org]:2222", "ok.wild.example.org", "bad.wild.example.org", "hashed.example.org", "[hashed.example.org]:2222", "nobody.example.org", "ALPHA.example.org".toLowerCase()];
    for (const name of names) {
      const linear = entries.filter((e) => e.marker !== "revoked" && hostsFieldMatches(e.hosts, name));
      expect(index.forName(name), name).toEqual(linear);
    }
    const revoked = plain.find((e) => e.marker === "revoked")!;
    expect(index.revoked(revoked.key)).toBe(revoked);
  });

  it("keeps the index of a file this process appends to current without parsing it again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hss-kh-"));
    const file = join(dir, "known_hosts");
    writeFileSync(file, `# fleet\n\nseed ssh-ed25519 ${key("b").toString("base64")}`);
    const first = await loadKnownHosts([file]);
    await appendKnownHost(file, "10.0.0.1", 22, key("a"));
    await appendKnownHost(file, "10.0.0.2", 2222, key("a"));
    await appendKnownHost(file, "10.0.0.1", 22, key("a")); // already there
    const after = await loadKnownHosts([file]);
    expect(after).toBe(first);
    expect(readFileSync(file, "utf8").split("\n")).toEqual(["# fleet", "", `seed ssh-ed25519 ${key("b").toString("base64")}`, `10.0.0.1 ssh-ed25519 ${key("a").toString("base64")}`, `[10.0.0.2]:2222 ssh-ed25519 ${key("a").toString("base64")}`, ""]);
    // The cached entries are what parsing the file now gives, line numbers included.
    expect(after.entries).toEqual(parseKnownHosts(readFileSync(file, "utf8"), file));
    expect(verifyHostKey(after, "10.0.0.2", 2222, key("a")).kind).toBe("match");
    // A change made by someone else is read again.
    writeFileSync(file, `10.0.0.1 ssh-ed25519 ${key("b").toString("base64")}\n`);
    expect(verifyHostKey(await loadKnownHosts([file]), "10.0.0.1", 22, key("a")).kind).toBe("changed");
  });
  it("does not parse the file again when hosts in flight read it while others append (a fleet scan)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hss-kh-"));
    const file = join(dir, "known_hosts");
    writeFileSync(file, `seed ssh-ed25519 ${key("b").toString("base64")}\n`);
    const first = await loadKnownHosts([file]);
    const loads = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const loaded = loadKnownHosts([file]);
        await appendKnownHost(file, `10.0.${i >> 8}.${i & 255}`, 2200 + i, key("a"));
        return [await loaded, await loadKnownHosts([file])];
      }),
    );
    expect(loads.flat().every((l) => l === first)).toBe(true);
    expect(first.entries).toEqual(parseKnownHosts(readFileSync(file, "utf8"), file));
    expect(first.entries).toHaveLength(201);
  });
});
