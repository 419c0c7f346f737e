import { createServer, type AddressInfo, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { directoryCollector } from "../../../src/collectors/directory.js";
import { UsageError } from "../../../src/core/errors.js";
import { parseTarget } from "../../../src/core/targets.js";
import { collectFacts } from "../../../src/pipeline.js";
import { collectOptions } from "../../../src/collectors/options.js";
import { testContext } from "../../helpers/context.js";

/** Issue 10 #3: no bind password in cleartext on ldap:// without --starttls unless the user opts in. */

const PASSWORD = "Wire-Canary-7f3a9";

interface Recorder {
  server: Server;
  port: number;
  connections: number;
  bytes: () => Buffer;
}

/** A loopback listener that records every byte a client sends and closes after the first packet. */
async function recorder(): Promise<Recorder> {
  const chunks: Buffer[] = [];
  const rec = { connections: 0 } as Recorder;
  rec.server = createServer((sock) => {
    rec.connections++;
    sock.on("data", (d) => {
      chunks.push(d);
      sock.destroy();
    });
    sock.on("error", () => undefined);
  });
  await new Promise<void>((r) => rec.server.listen(0, "127.0.0.1", r));
  rec.port = (rec.server.address() as AddressInfo).port;
  rec.bytes = () => Buffer.concat(chunks);
  return rec;
}

let rec: Recorder | undefined;
afterEach(async () => {
  await new Promise((r) => rec?.server.close(r));
  rec = undefined;
});

const target = (port: number) => parseTarget(`ldap://127.0.0.1:${port}/dc=example,dc=org`);

describe("cleartext LDAP bind", () => {
  it("refuses the whole run before connecting, with the fix in the message", async () => {
    rec = await recorder();
    const run = collectFacts({
      targets: [target(rec.port)],
      options: collectOptions({ bindDN: "cn=auditor,dc=example,dc=org", timeoutMs: 2000 }),
      concurrency: 1,
      secrets: { password: async () => PASSWORD },
    });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(/ldaps:\/\/.*--starttls.*--allow-cleartext-bind/);
    expect(rec.connections).toBe(0);
  });

  it("the collector alone refuses too and never asks for or sends the password", async () => {
    rec = await recorder();
    let asked = 0;
    const ctx = testContext({ options: { bindDN: "cn=auditor,dc=example,dc=org", timeoutMs: 2000 } });
    ctx.secrets = { password: async () => (asked++, PASSWORD) };
    const facts = await directoryCollector.collect(target(rec.port), ctx);
    expect(facts.status).toBe("error");
    expect(facts.statusReason).toMatch(/refusing to send the bind password in cleartext/);
    expect(asked).toBe(0);
    expect(rec.connections).toBe(0);
    expect(rec.bytes().includes(PASSWORD)).toBe(false);
  });

  it("sends it only with --allow-cleartext-bind, and the report's notes say so", async () => {
    rec = await recorder();
    const ctx = testContext({ options: { bindDN: "cn=auditor,dc=example,dc=org", timeoutMs: 2000, allowCleartextBind: true }, password: PASSWORD });
    const facts = await directoryCollector.collect(target(rec.port), ctx);
    // The listener saw the password verbatim: this is what the default refuses.
    expect(rec.bytes().includes(PASSWORD)).toBe(true);
    expect(facts.notes.some((n) => n.startsWith("--allow-cleartext-bind:"))).toBe(true);
  });

  it("anonymous binds on ldap:// carry no password and are not refused", async () => {
    rec = await recorder();
    const facts = await directoryCollector.collect(target(rec.port), testContext({ options: { timeoutMs: 2000 } }));
    expect(rec.connections).toBe(1);
    expect(facts.statusReason ?? "").not.toMatch(/cleartext/);
  });
});
