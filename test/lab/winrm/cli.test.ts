import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixtureCommands } from "../../support/winrm-server/responses.js";
import { startWinRmServer, type RunningServer, type ServerOptions } from "../../support/winrm-server/server.js";
import { selfSignedCert } from "../../support/winrm-server/tls.js";
import { requireLab } from "../prereqs.js";
import { reportFromJson } from "../../../src/report/read.js";

/**
 * The built CLI end to end: `hipaa-scan scan winrm://user@127.0.0.1:PORT --password-env VAR`
 * against the WinRM test server (loopback only), exit codes per DESIGN.md, the password never
 * printed.
 */

/** The JSON report on stdout, read (and validated) as merge and --baseline read it. */
const readReport = (stdout: string) => reportFromJson(JSON.parse(stdout), "stdout");

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = `${ROOT}bin/hipaa-scan.js`;
const USER = "scanner";
const PASSWORD = "Cl1-e2e-Secret!";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function cli(args: string[], password = PASSWORD): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", HSW_E2E_PW: password }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr }),
    );
  });
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

let tls: ReturnType<typeof selfSignedCert>;
beforeAll(() => {
  requireLab("winrm");
  if (!existsSync(`${ROOT}dist/cli/main.js`)) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  tls = selfSignedCert();
});
afterAll(() => tls.cleanup());

describe("hipaa-scan scan winrm:// (built CLI)", () => {
  it("produces Windows findings with citations and exits 1 when a high finding fails", async () => {
    const s = await server();
    const r = await cli(["scan", `winrm://${USER}@127.0.0.1:${s.port}`, "--password-env", "HSW_E2E_PW", "--format", "json"]);
    expect(r.code).toBe(1);
    const report = readReport(r.stdout);
    expect(report.targets[0]!.status).toBe("ok");
    expect(report.targets[0]!.notes.join(" ")).toContain("message encryption");
    const smb1 = report.findings.find((f) => f.ruleId === "windows-smb1-disabled");
    expect(smb1).toMatchObject({ status: "fail", hipaa: ["164.312(e)(1)"] });
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it("an unreachable WinRM target ends as unreachable with exit 3", async () => {
    const free = createServer();
    await new Promise<void>((res) => free.listen(0, "127.0.0.1", res));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((res) => free.close(() => res()));
    const r = await cli(["scan", `winrm://${USER}@127.0.0.1:${port}`, "--password-env", "HSW_E2E_PW", "--format", "json"]);
    expect(r.code).toBe(3);
    expect(readReport(r.stdout).targets[0]!.status).toBe("unreachable");
  });

  it("a wrong password ends as auth_failed with exit 3 and is never printed", async () => {
    const s = await server();
    const r = await cli(["scan", `winrm://${USER}@127.0.0.1:${s.port}`, "--password-env", "HSW_E2E_PW", "--format", "json"], "Not-The-Pw-42");
    expect(r.code).toBe(3);
    expect(readReport(r.stdout).targets[0]!.status).toBe("auth_failed");
    expect(r.stdout + r.stderr).not.toContain("Not-The-Pw-42");
  });

  it("winrms:// with --ca-file verifies the certificate; Basic-only server", async () => {
    const s = await server({ tls: { key: tls.key, cert: tls.cert }, auth: { negotiate: false, basic: true } });
    const r = await cli(["scan", `winrms://${USER}@127.0.0.1:${s.port}`, "--password-env", "HSW_E2E_PW", "--ca-file", tls.certFile, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(readReport(r.stdout).targets[0]!.status).toBe("ok");
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it("winrms:// without a trusted CA is an error; --insecure-tls is allowed and noted in the report", async () => {
    const s = await server({ tls: { key: tls.key, cert: tls.cert } });
    const untrusted = await cli(["scan", `winrms://${USER}@127.0.0.1:${s.port}`, "--password-env", "HSW_E2E_PW", "--format", "json"]);
    expect(untrusted.code).toBe(3);
    const t = readReport(untrusted.stdout).targets[0]!;
    expect(t.status).toBe("error");
    expect(t.statusReason).toMatch(/--ca-file/);
    const insecure = await cli(["scan", `winrms://${USER}@127.0.0.1:${s.port}`, "--password-env", "HSW_E2E_PW", "--insecure-tls", "--format", "json"]);
    const t2 = readReport(insecure.stdout).targets[0]!;
    expect(t2.status).toBe("ok");
    expect(t2.notes.join(" ")).toMatch(/insecure-tls/);
  });
});
