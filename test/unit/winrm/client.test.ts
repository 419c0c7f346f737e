import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TransportError } from "../../../src/core/errors.js";
import { windowsProbeCommand, windowsProbeStdin } from "../../../src/probes/windows/script.js";
import { MAX_COMMAND_LINE, WinRmClient, WsmanFaultError, type WinRmOptions } from "../../../src/transports/winrm/client.js";
import { fixtureCommands } from "../../support/winrm-server/responses.js";
import { startWinRmServer, type RunningServer, type ServerOptions } from "../../support/winrm-server/server.js";
import { selfSignedCert } from "../../support/winrm-server/tls.js";

const USER = "scanner";
const PASSWORD = "Tr0ub4dor&3-hsw";
const servers: RunningServer[] = [];

async function server(extra: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const s = await startWinRmServer({ users: { [USER]: PASSWORD }, commands: fixtureCommands(), ...extra });
  servers.push(s);
  return s;
}

function client(s: RunningServer, o: Partial<WinRmOptions> = {}): WinRmClient {
  return new WinRmClient({
    host: "127.0.0.1",
    port: s.port,
    https: s.url.startsWith("https"),
    user: USER,
    password: PASSWORD,
    signal: AbortSignal.timeout(15_000),
    ...o,
  });
}

const probe = windowsProbeCommand();
const runProbe = (c: WinRmClient, max = 1 << 24) => c.run(probe.command, probe.args, Buffer.from(windowsProbeStdin()), max);
const ps = (script: string) => ({ command: "powershell", args: ["-EncodedCommand", Buffer.from(script, "utf16le").toString("base64")] });

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("WinRM client over HTTP with NTLM message encryption", () => {
  it("runs the probe in one shell: 8 HTTP requests, every SOAP message sealed, BOM stripped", async () => {
    const s = await server();
    const c = client(s);
    const r = await runProbe(c);
    c.close();
    expect(r.exitCode).toBe(0);
    expect(r.truncated).toBe(false);
    expect(r.stdout.charCodeAt(0)).toBe("{".charCodeAt(0));
    expect(JSON.parse(r.stdout).probe).toBe("hipaa-scan-windows-probe");
    expect(c.requests).toBe(8);
    expect(s.stats.requests).toBe(8);
    expect(s.stats.actions).toEqual(["create", "command", "send", "receive", "signal", "delete"]);
    expect(s.stats.encryptedRequests).toBe(6);
    expect(s.stats.plainRequests).toBe(0);
  });

  it("keeps asking when Receive times out with fault 2150858793", async () => {
    const s = await server({ faults: { receiveTimeouts: 3 } });
    const c = client(s);
    const r = await runProbe(c);
    c.close();
    expect(r.exitCode).toBe(0);
    expect(s.stats.actions.filter((a) => a === "receive")).toHaveLength(4);
  });

  it("gives up at the deadline when every Receive times out", async () => {
    const s = await server({ faults: { receiveAlwaysTimesOut: true } });
    const c = client(s, { signal: AbortSignal.timeout(700) });
    await expect(runProbe(c)).rejects.toMatchObject({ status: "error", message: expect.stringMatching(/deadline/) });
    c.close();
  });

  it("keeps to a small MaxEnvelopeSize: stdin in several Sends, output in several Receives", async () => {
    const s = await server();
    const c = client(s, { maxEnvelopeSize: 8192 });
    const r = await runProbe(c);
    c.close();
    expect(JSON.parse(r.stdout).probe).toBe("hipaa-scan-windows-probe");
    expect(s.stats.stdinChunks).toBeGreaterThan(3);
    expect(s.stats.maxEnvelopeSizes.every((m) => m === 8192)).toBe(true);
    expect(s.stats.actions.filter((a) => a === "receive").length).toBeGreaterThan(1);
  });

  it("rejects a reply whose RelatesTo is not the request's MessageID", async () => {
    const s = await server({ faults: { wrongRelatesTo: true } });
    const c = client(s);
    await expect(runProbe(c)).rejects.toMatchObject({ status: "error", message: expect.stringMatching(/RelatesTo/) });
    c.close();
  });

  it("collects output that spans several Receive replies, in order", async () => {
    const s = await server({ receiveChunk: 2000 });
    const c = client(s);
    const r = await runProbe(c);
    c.close();
    expect(JSON.parse(r.stdout).sections.os.ok).toBe(true);
    expect(s.stats.actions.filter((a) => a === "receive").length).toBeGreaterThan(2);
  });

  it("stops at maxOutputBytes and says the output was truncated", async () => {
    const s = await server({ receiveChunk: 1000 });
    const c = client(s);
    const r = await runProbe(c, 3000);
    c.close();
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(3000);
    expect(r.exitCode).toBeNull();
    expect(s.stats.actions.at(-1)).toBe("delete");
  });

  it("decodes PowerShell CLIXML stderr to text and returns the exit code", async () => {
    const s = await server();
    const c = client(s);
    const cmd = ps("$ProgressPreference='SilentlyContinue';Bogus");
    const r = await c.run(cmd.command, cmd.args, undefined, 1 << 20);
    c.close();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Bogus : The term 'Bogus' is not recognized as the name of a cmdlet, function, \r\n");
    expect(r.stderr).not.toContain("CLIXML");
    expect(r.stderr).not.toContain("_x000D_");
  });

  it("maps an HTTP 500 with a WS-Man fault body to a WsmanFaultError with its code and reason", async () => {
    const s = await server({ faults: { failAction: { action: "command", wsmanCode: "2147942405", reason: "Access is denied." } } });
    const c = client(s);
    const err = await runProbe(c).catch((e: unknown) => e);
    c.close();
    expect(err).toBeInstanceOf(WsmanFaultError);
    expect((err as WsmanFaultError).fault.wsmanCode).toBe("2147942405");
    expect((err as WsmanFaultError).message).toContain("Access is denied.");
    // The shell is still deleted after the failed command.
    expect(s.stats.actions.at(-1)).toBe("delete");
  });

  it("a server that always answers 401 ends in auth_failed", async () => {
    const s = await server({ faults: { always401: true } });
    const c = client(s);
    await expect(runProbe(c)).rejects.toMatchObject({ status: "auth_failed" });
    c.close();
  });

  it("a wrong password ends in auth_failed and the message does not carry the password", async () => {
    const s = await server();
    const c = client(s, { password: "wrong-password-123" });
    const err = (await runProbe(c).catch((e: unknown) => e)) as TransportError;
    c.close();
    expect(err).toBeInstanceOf(TransportError);
    expect(err.status).toBe("auth_failed");
    expect(err.message).not.toContain("wrong-password-123");
    expect(err.message).not.toContain(PASSWORD);
  });

  it("a connection reset in the middle of a reply ends in error", async () => {
    const s = await server({ faults: { resetOn: "receive" } });
    const c = client(s);
    await expect(runProbe(c)).rejects.toMatchObject({ status: "error", message: expect.stringMatching(/reset|closed|hang up|aborted/i) });
    c.close();
  });

  it("a closed port is unreachable", async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, "127.0.0.1", r));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    const c = new WinRmClient({ host: "127.0.0.1", port, https: false, user: USER, password: PASSWORD, signal: AbortSignal.timeout(5000) });
    await expect(runProbe(c)).rejects.toMatchObject({ status: "unreachable" });
    c.close();
  });

  it("refuses a command line longer than the limit before sending anything", async () => {
    const s = await server();
    const c = client(s);
    await expect(c.run("powershell.exe", ["-Command", "x".repeat(MAX_COMMAND_LINE)], undefined, 1000)).rejects.toThrow(/refusing/);
    expect(c.requests).toBe(0);
    c.close();
  });

  it("refuses Basic authentication over plain HTTP", () => {
    expect(() => new WinRmClient({ host: "127.0.0.1", port: 1, https: false, user: USER, password: PASSWORD, auth: "basic", signal: AbortSignal.timeout(1000) })).toThrow(/only used over HTTPS/);
  });
});

describe("WinRM client over HTTPS", () => {
  let tls: ReturnType<typeof selfSignedCert>;
  beforeAll(() => {
    tls = selfSignedCert();
  });
  afterAll(() => tls.cleanup());

  it("uses Basic when the server offers only Basic, verifying the certificate against --ca-file", async () => {
    const s = await server({ tls: { key: tls.key, cert: tls.cert }, auth: { negotiate: false, basic: true } });
    const c = client(s, { ca: tls.cert });
    const r = await runProbe(c);
    c.close();
    expect(r.exitCode).toBe(0);
    expect(s.stats.auth.Basic).toBeGreaterThan(0);
    expect(s.stats.encryptedRequests).toBe(0);
    // Negotiate probe, then create, command, send, receive, signal, delete.
    expect(c.requests).toBe(7);
  });

  it("uses NTLM over TLS (no message sealing) and sends the first message with the AUTHENTICATE token", async () => {
    const s = await server({ tls: { key: tls.key, cert: tls.cert } });
    const c = client(s, { ca: tls.cert, auth: "ntlm" });
    const r = await runProbe(c);
    c.close();
    expect(r.exitCode).toBe(0);
    expect(s.stats.auth.Negotiate).toBe(2);
    expect(s.stats.encryptedRequests).toBe(0);
    expect(c.requests).toBe(7);
  });

  it("refuses an untrusted certificate with a message naming --ca-file and --insecure-tls", async () => {
    const s = await server({ tls: { key: tls.key, cert: tls.cert } });
    const c = client(s);
    await expect(runProbe(c)).rejects.toMatchObject({ status: "error", message: expect.stringMatching(/--ca-file.*--insecure-tls/) });
    c.close();
  });

  it("accepts the certificate when --insecure-tls is given", async () => {
    const s = await server({ tls: { key: tls.key, cert: tls.cert } });
    const c = client(s, { insecureTls: true });
    expect((await runProbe(c)).exitCode).toBe(0);
    c.close();
  });
});
