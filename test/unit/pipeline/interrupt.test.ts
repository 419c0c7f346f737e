import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collectors } from "../../../src/collectors/index.js";
import { collectOptions } from "../../../src/collectors/options.js";
import type { CollectorRegistry } from "../../../src/collectors/types.js";
import { UsageError } from "../../../src/core/errors.js";
import { parseTarget } from "../../../src/core/targets.js";
import { collectFacts } from "../../../src/pipeline.js";

/**
 * Issue 10 #6: Ctrl-C stops every collector within a second (LDAP included, stalled TLS handshakes
 * too) and the reasons say "interrupted"; one target's fatal error stops the others at once.
 * The servers are real loopback listeners that accept and then stall.
 */

interface Stall {
  server: Server;
  port: number;
  sockets: Socket[];
  closed: () => number;
}

/** Accepts, optionally answers the first packet with `reply`, then never says anything again. */
async function stallServer(reply?: Buffer): Promise<Stall> {
  const st = { sockets: [] as Socket[] } as Stall;
  let closed = 0;
  st.server = createServer((sock) => {
    st.sockets.push(sock);
    sock.on("error", () => undefined);
    sock.on("close", () => closed++);
    if (reply) sock.once("data", () => sock.write(reply));
    sock.resume(); // read and drop what arrives, so the client closing is seen (end, then close)
  });
  await new Promise<void>((r) => st.server.listen(0, "127.0.0.1", r));
  st.port = (st.server.address() as AddressInfo).port;
  st.closed = () => closed;
  return st;
}

/** LDAP ExtendedResponse, messageID 1, resultCode success: the server agrees to StartTLS, then stalls the handshake. */
const STARTTLS_OK = Buffer.from("300c02010178070a010004000400", "hex");

const stalls: Stall[] = [];
afterEach(async () => {
  for (const s of stalls.splice(0)) {
    for (const sock of s.sockets) sock.destroy();
    await new Promise((r) => s.server.close(r));
  }
});
const stall = async (reply?: Buffer) => {
  const s = await stallServer(reply);
  stalls.push(s);
  return s;
};

describe("stopping a run", () => {
  it("Ctrl-C stops LDAPS, StartTLS, SSH and WinRM collectors within a second, reasons say interrupted", async () => {
    const ldaps = await stall();
    const starttls = await stall(STARTTLS_OK);
    const ssh = await stall();
    const winrm = await stall();
    const knownHosts = join(mkdtempSync(join(tmpdir(), "hs-int-")), "known_hosts");
    writeFileSync(knownHosts, "");
    const controller = new AbortController();
    const run = collectFacts({
      targets: [
        parseTarget(`ldaps://127.0.0.1:${ldaps.port}/dc=example,dc=org`),
        parseTarget(`ldap://127.0.0.1:${starttls.port}/dc=example,dc=org`),
        parseTarget(`ssh://auditor@127.0.0.1:${ssh.port}`),
        parseTarget(`winrm://auditor@127.0.0.1:${winrm.port}`),
      ],
      options: collectOptions({ timeoutMs: 60_000, starttls: true, bindDN: "cn=auditor,dc=example,dc=org", knownHostsFile: knownHosts, insecureTls: true }),
      concurrency: 8,
      secrets: { password: async () => "Interrupt-Canary-1" },
      signal: controller.signal,
    });
    // Wait until every collector is connected and waiting on its stalled server.
    for (let i = 0; i < 100 && [ldaps, starttls, ssh, winrm].some((s) => s.sockets.length === 0); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    expect([ldaps, starttls, ssh, winrm].map((s) => s.sockets.length)).toEqual([1, 1, 1, 1]);
    const t0 = Date.now();
    controller.abort(new Error("interrupted by the user"));
    const doc = await run;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(doc.targets).toHaveLength(4); // the partial report keeps every target
    for (const t of doc.targets) {
      expect(t.status, t.target.id).not.toBe("ok");
      expect(t.statusReason, t.target.id).toMatch(/interrupted/);
      expect(t.statusReason, t.target.id).not.toMatch(/deadline/);
    }
    // The LDAP connections were dropped, not left open behind the report.
    await new Promise((r) => setTimeout(r, 100));
    expect(ldaps.closed()).toBe(1);
    expect(starttls.closed()).toBe(1);
  }, 15_000);

  it("one collector's usage error stops the others at once, and the run ends with it", async () => {
    const ldaps = await stall();
    const registry: CollectorRegistry = {
      ...collectors,
      ssh: async () => ({
        name: "fatal",
        collect: async () => {
          await new Promise((r) => setTimeout(r, 300));
          throw new UsageError("--identity /nope: no such file");
        },
      }),
    };
    const t0 = Date.now();
    const run = collectFacts({
      targets: [parseTarget(`ldaps://127.0.0.1:${ldaps.port}/dc=example,dc=org`), parseTarget("ssh://bad-host")],
      options: collectOptions({ timeoutMs: 60_000 }),
      concurrency: 4,
      secrets: { password: async () => undefined },
      registry,
    });
    await expect(run).rejects.toThrow(/--identity \/nope/);
    expect(Date.now() - t0).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 100));
    expect(ldaps.closed()).toBe(1);
  }, 15_000);

  it("targets not yet started when the run stops are reported as interrupted, not collected", async () => {
    const ldaps = await stall();
    const controller = new AbortController();
    const run = collectFacts({
      targets: [parseTarget(`ldaps://127.0.0.1:${ldaps.port}/dc=a`), parseTarget(`ldaps://127.0.0.1:${ldaps.port}/dc=b`)],
      options: collectOptions({ timeoutMs: 60_000 }),
      concurrency: 1,
      secrets: { password: async () => undefined },
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 300));
    controller.abort(new Error("interrupted by the user"));
    const doc = await run;
    expect(doc.targets.map((t) => t.statusReason)).toEqual(["interrupted before this target finished", "interrupted before this target finished"]);
    expect(ldaps.sockets).toHaveLength(1);
  }, 15_000);
});

describe("the deadline", () => {
  it("ends a stalled LDAPS handshake at --timeout, and says deadline (not interrupted)", async () => {
    const ldaps = await stall();
    const t0 = Date.now();
    const doc = await collectFacts({
      targets: [parseTarget(`ldaps://127.0.0.1:${ldaps.port}/dc=example,dc=org`)],
      // The TLS handshake never completes: the target must still end at its deadline.
      options: collectOptions({ timeoutMs: 600 }),
      concurrency: 1,
      secrets: { password: async () => undefined },
    });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(doc.targets[0]!.status).not.toBe("ok");
    expect(doc.targets[0]!.statusReason).not.toMatch(/interrupted/);
  }, 15_000);
});
