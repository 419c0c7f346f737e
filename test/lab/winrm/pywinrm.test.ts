import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../../support/winrm-server/fixtures.js";
import { fixtureCommands } from "../../support/winrm-server/responses.js";
import { startWinRmServer, type RunningServer, type ServerOptions } from "../../support/winrm-server/server.js";
import { selfSignedCert } from "../../support/winrm-server/tls.js";
import { requireLab } from "../prereqs.js";

/**
 * Proves the WinRM test server protocol-faithful with an independent client: pywinrm 0.3.0 from
 * Debian (python3-winrm, with requests_ntlm/ntlm-auth and its own encryption.py). Needs the Debian
 * package (listed in .ci/apt-packages.txt); loopback only.
 */

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./pywinrm_client.py", import.meta.url));
const USER = "scanner";
const PASSWORD = "pyW1nrm-proof!";

interface PyResult {
  winrm_module: string;
  cmd?: { status: number; out: string; err: string };
  cmd_err?: { status: number; out: string; err: string };
  ps?: { status: number; out: string; err: string };
  ps_err?: { status: number; out: string; err: string };
  encrypted?: boolean;
  error?: { type: string; message: string };
}

/**
 * ntlm-auth (under requests_ntlm) hashes with hashlib's MD4, which Debian 12's OpenSSL 3 keeps in
 * its legacy provider; this config turns that provider on for the python process only.
 */
const OPENSSL_LEGACY = [
  "openssl_conf = openssl_init",
  "[openssl_init]",
  "providers = provider_sect",
  "[provider_sect]",
  "default = default_sect",
  "legacy = legacy_sect",
  "[default_sect]",
  "activate = 1",
  "[legacy_sect]",
  "activate = 1",
  "",
].join("\n");
let tmp: string;
beforeAll(() => {
  requireLab("winrm");
  tmp = mkdtempSync(join(tmpdir(), "hsw-py-"));
  writeFileSync(join(tmp, "openssl.cnf"), OPENSSL_LEGACY);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function pywinrm(url: string, transport: string, password: string, ca?: string): Promise<{ result: PyResult; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HSW_USER: USER,
    HSW_PASSWORD: password,
    NO_PROXY: "*",
    no_proxy: "*",
    OPENSSL_CONF: join(tmp, "openssl.cnf"),
  };
  const { stdout, stderr } = await run(PYTHON, [SCRIPT, url, transport, ...(ca ? [ca] : [])], { env, timeout: 60_000 });
  return { result: JSON.parse(stdout) as PyResult, stdout, stderr };
}

const servers: RunningServer[] = [];
async function server(extra: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const s = await startWinRmServer({ users: { [USER]: PASSWORD }, commands: fixtureCommands(), ...extra });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function expectFaithful(r: PyResult): void {
  expect(r.error).toBeUndefined();
  expect(r.cmd).toEqual({ status: 0, out: fixture("auditpol-r-assembled.csv"), err: "" });
  expect(r.cmd_err?.status).toBe(1);
  expect(r.cmd_err?.err).toBe("'nosuchcommand' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n");
  expect(r.ps?.status).toBe(0);
  expect(r.ps?.out).toContain("EnableSMB1Protocol              : True");
  expect(r.ps_err?.status).toBe(1);
  // The raw PowerShell error stream arrives byte for byte (CLIXML as captured).
  expect(r.ps_err?.err).toBe(fixture("clixml-error-command-not-found.txt"));
}

describe("pywinrm (python3-winrm 0.3.0) against the WinRM test server", () => {
  it("is the Debian package", () => {
    expect(existsSync("/usr/lib/python3/dist-packages/winrm/encryption.py")).toBe(true);
  });

  it("run_cmd and run_ps with transport ntlm over HTTP, every message encrypted", async () => {
    const s = await server();
    const { result, stdout, stderr } = await pywinrm(s.url, "ntlm", PASSWORD);
    expect(result.winrm_module).toMatch(/^\/usr\/lib\/python3\/dist-packages\/winrm\//);
    expectFaithful(result);
    expect(result.encrypted).toBe(true);
    expect(s.stats.encryptedRequests).toBeGreaterThan(0);
    expect(s.stats.plainRequests).toBe(0);
    expect(s.stats.actions).toContain("signal");
    expect(s.stats.actions).toContain("delete");
    expect(stdout + stderr).not.toContain(PASSWORD);
  });

  it("run_cmd and run_ps through Receive timeouts (fault 2150858793) that pywinrm retries", async () => {
    const s = await server({ faults: { receiveTimeouts: 2 } });
    const { result } = await pywinrm(s.url, "ntlm", PASSWORD);
    expectFaithful(result);
    expect(s.stats.actions.filter((a) => a === "receive").length).toBeGreaterThanOrEqual(6);
  });

  it("a wrong password is InvalidCredentialsError for pywinrm", async () => {
    const s = await server();
    const { result } = await pywinrm(s.url, "ntlm", "not-the-password");
    expect(result.error?.type).toBe("InvalidCredentialsError");
  });

  describe("over HTTPS", () => {
    let tls: ReturnType<typeof selfSignedCert>;
    beforeAll(() => {
      tls = selfSignedCert();
    });
    afterAll(() => tls.cleanup());

    it("run_cmd and run_ps with transport basic over HTTPS (certificate validated)", async () => {
      const s = await server({ tls: { key: tls.key, cert: tls.cert } });
      const { result } = await pywinrm(s.url, "basic", PASSWORD, tls.certFile);
      expectFaithful(result);
      expect(result.encrypted).toBe(false);
      expect(s.stats.auth.Basic).toBeGreaterThan(0);
    });

    it("run_cmd and run_ps with transport ntlm over HTTPS", async () => {
      const s = await server({ tls: { key: tls.key, cert: tls.cert } });
      const { result } = await pywinrm(s.url, "ntlm", PASSWORD, tls.certFile);
      expectFaithful(result);
      expect(s.stats.auth.Negotiate ?? s.stats.auth.NTLM).toBeGreaterThan(0);
    });
  });
});
