import { describe, expect, it } from "vitest";
import { homedir } from "node:os";
import { join } from "node:path";
import { expandPath, loadSshConfig, parseJump, resolveHostConfig } from "../../../src/transports/ssh/config.js";

const file = join(import.meta.dirname, "../../../fixtures/ssh/ssh_config");

describe("ssh_config resolution", () => {
  it("takes HostName, User, Port, IdentityFile and ProxyJump with first-match-wins", async () => {
    const cfg = await loadSshConfig(file);
    expect(resolveHostConfig(cfg, "clinic-fd")).toEqual({
      hostName: "10.20.0.5",
      user: "scanner",
      port: 2200,
      identityFiles: ["~/.ssh/clinic_ed25519", "~/.ssh/id_default"],
      proxyJump: "jump@bastion.example.org:2222",
    });
  });
  it("gives nothing but the catch-all for an unrelated host", async () => {
    const cfg = await loadSshConfig(file);
    expect(resolveHostConfig(cfg, "10.9.9.9")).toEqual({
      hostName: undefined,
      user: undefined,
      port: undefined,
      identityFiles: ["~/.ssh/id_default"],
      proxyJump: undefined,
    });
  });
  it("treats a missing config file as empty", async () => {
    const cfg = await loadSshConfig(join(import.meta.dirname, "no-such-config"));
    expect(cfg).toBeNull();
    expect(resolveHostConfig(cfg, "x")).toEqual({ identityFiles: [] });
  });
  it("expands ~ and the %d %r %h tokens", () => {
    expect(expandPath("%d/.ssh/bastion_%r", { host: "b", user: "jumpuser" })).toBe(join(homedir(), ".ssh/bastion_jumpuser"));
    expect(expandPath("~/.ssh/k_%h", { host: "h1" })).toBe(join(homedir(), ".ssh/k_h1"));
  });
});

describe("parseJump", () => {
  it("parses [user@]host[:port] hops", () => {
    expect(parseJump("jump@bastion.example.org:2222")).toEqual([{ host: "bastion.example.org", port: 2222, user: "jump" }]);
    expect(parseJump("a,b@[fe80::1]:22")).toEqual([
      { host: "a", port: 22 },
      { host: "fe80::1", port: 22, user: "b" },
    ]);
  });
  it("rejects host names that could become options", () => {
    expect(() => parseJump("-oProxyCommand=x")).toThrow(/bad jump host/);
    expect(() => parseJump("a b")).toThrow(/bad jump host/);
  });
});
