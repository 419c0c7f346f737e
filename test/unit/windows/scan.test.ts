import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { CollectOptions, SecretProvider } from "../../../src/collectors/types.js";
import { collectOptions } from "../../../src/collectors/options.js";
import { parseTarget } from "../../../src/core/targets.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { TARGET_FACTS_SCHEMAS } from "../../../src/facts/index.js";
import { collectFacts, scan } from "../../../src/pipeline.js";
import { fixtureCommands } from "../../support/winrm-server/responses.js";
import { startWinRmServer, type RunningServer } from "../../support/winrm-server/server.js";
import type { ProfileName } from "../../support/winrm-server/profiles.js";

const USER = "scanner";
const PASSWORD = "Clinic-W1nrm-Secret";
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const options: CollectOptions = collectOptions({ timeoutMs: 20_000 });
const secrets = (password: string | undefined): SecretProvider => ({ password: async () => password });

async function scanWinrm(profile: ProfileName, password: string | undefined, port?: number) {
  let p = port;
  if (p === undefined) {
    const s = await startWinRmServer({ users: { [USER]: PASSWORD }, commands: fixtureCommands({ profile }) });
    servers.push(s);
    p = s.port;
  }
  const target = parseTarget(`winrm://${USER}@127.0.0.1:${p}`);
  return scan({ rulePaths: [], params: {}, failOn: "high" }, { targets: [target], options, concurrency: 1, secrets: secrets(password) });
}

const status = (findings: { ruleId: string; status: string }[], id: string) => findings.find((f) => f.ruleId === id)?.status;

describe("scan winrm:// against the test server", () => {
  it("a clinic workstation with gaps: Windows findings with citations, gate fails", async () => {
    const report = await scanWinrm("gappy", PASSWORD);
    expect(report.targets[0]).toMatchObject({ status: "ok", collector: "host/winrm" });
    const f = report.findings;
    expect(status(f, "windows-bitlocker-fixed-volumes")).toBe("fail");
    expect(status(f, "windows-smb1-disabled")).toBe("fail");
    expect(status(f, "windows-guest-disabled")).toBe("fail");
    expect(status(f, "windows-shared-accounts")).toBe("fail");
    expect(status(f, "windows-inactivity-lock")).toBe("fail");
    expect(status(f, "windows-defender-signatures")).toBe("fail");
    expect(status(f, "windows-defender-realtime")).toBe("pass");
    expect(status(f, "windows-lm-hash")).toBe("pass");
    expect(status(f, "windows-supported-release")).toBe("fail");
    const bitlocker = f.find((x) => x.ruleId === "windows-bitlocker-fixed-volumes")!;
    expect(bitlocker.hipaa).toEqual(["164.312(a)(2)(iv)"]);
    expect(bitlocker.message).toContain("D:");
    expect(bitlocker.message).toContain("C:");
    expect(f.filter((x) => x.ruleId.startsWith("linux-"))).toEqual([]);
    expect(report.summary.gate.exitCode).toBe(1);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
  });

  it("a hardened server passes every Windows rule", async () => {
    const report = await scanWinrm("hardened", PASSWORD);
    const windows = report.findings.filter((x) => x.ruleId.startsWith("windows-"));
    expect(windows.length).toBeGreaterThanOrEqual(18);
    expect(windows.filter((x) => x.status !== "pass" && x.status !== "not_applicable").map((x) => `${x.ruleId}: ${x.status} ${x.message}`)).toEqual([]);
  });

  it("a wrong password ends as auth_failed, exit 3, and the password is nowhere in the report", async () => {
    const report = await scanWinrm("gappy", "Wrong-Password-77");
    expect(report.targets[0]).toMatchObject({ status: "auth_failed" });
    expect(report.summary.gate.exitCode).toBe(3);
    const text = JSON.stringify(report);
    expect(text).not.toContain("Wrong-Password-77");
    expect(text).not.toContain(PASSWORD);
  });

  it("no password configured ends as auth_failed with a hint", async () => {
    const report = await scanWinrm("gappy", undefined);
    expect(report.targets[0]).toMatchObject({ status: "auth_failed", statusReason: expect.stringContaining("--password-env") });
  });

  it("an unreachable WinRM target ends as unreachable, exit 3", async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, "127.0.0.1", r));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    const report = await scanWinrm("gappy", PASSWORD, port);
    expect(report.targets[0]).toMatchObject({ status: "unreachable" });
    expect(report.summary.gate.exitCode).toBe(3);
  });
});

describe("collected Windows facts match the published facts schema", () => {
  const validate = makeAjv().compile(TARGET_FACTS_SCHEMAS.host);
  for (const profile of ["gappy", "hardened"] as const) {
    it(`${profile} profile`, async () => {
      const s = await startWinRmServer({ users: { [USER]: PASSWORD }, commands: fixtureCommands({ profile }) });
      servers.push(s);
      const doc = await collectFacts({ targets: [parseTarget(`winrm://${USER}@127.0.0.1:${s.port}`)], options, concurrency: 1, secrets: secrets(PASSWORD) });
      const t = doc.targets[0]!;
      expect(t.status).toBe("ok");
      const ok = validate(t);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(Object.keys(t.facts).sort()).toEqual(
        ["activity", "auditPolicy", "bitlocker", "defender", "hotfixes", "localAccounts", "lsa", "os", "rdp", "schannel", "secureBoot", "securityLog", "sessionLock", "smb", "winFirewall"],
      );
    });
  }
});
