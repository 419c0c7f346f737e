import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

/** Issue 10 #6 end to end: SIGINT to the CLI stops a stalled LDAPS scan within a second and keeps the report. */

const sockets: Socket[] = [];
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await close?.();
});

describe("Ctrl-C on the CLI", () => {
  it("keeps the partial report, with the target interrupted", async () => {
    expect(existsSync(`${ROOT}dist/cli/main.js`)).toBe(true);
    let accepted = 0;
    const server = createServer((s) => {
      accepted++;
      sockets.push(s);
      s.resume();
      s.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    close = () => new Promise((r) => server.close(() => r()));
    const port = (server.address() as AddressInfo).port;
    const child = spawn(process.execPath, [`${ROOT}bin/hipaa-scan.js`, "scan", `ldaps://127.0.0.1:${port}/dc=example,dc=org`, "--format", "json", "--timeout", "60", "--quiet"], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    for (let i = 0; i < 200 && accepted === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(accepted).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    child.kill("SIGINT");
    const code = await exited;
    const took = Date.now() - t0;
    expect(took, stderr).toBeLessThan(1500);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as { targets: { id?: string; status: string; statusReason?: string }[] };
    expect(report.targets).toHaveLength(1);
    expect(report.targets[0]!.statusReason).toMatch(/interrupted/);
    expect(JSON.stringify(report.targets)).not.toMatch(/deadline/);
  }, 30_000);
});
