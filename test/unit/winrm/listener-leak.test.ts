import { afterEach, describe, expect, it } from "vitest";
import { windowsProbeCommand, windowsProbeStdin } from "../../../src/probes/windows/script.js";
import { WinRmClient } from "../../../src/transports/winrm/client.js";
import { fixtureCommands } from "../../support/winrm-server/responses.js";
import { startWinRmServer, type RunningServer } from "../../support/winrm-server/server.js";

/** Issue 10 #10: requests on a kept-alive socket must not pile up connect/secureConnect listeners. */

const USER = "scanner";
const PASSWORD = "Tr0ub4dor&3-leak";
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("WinRM client on a kept-alive socket", () => {
  it("sends 20+ requests without a MaxListenersExceededWarning", async () => {
    // 16 Receive timeouts make the one probe run take 24 requests on the same connection.
    server = await startWinRmServer({ users: { [USER]: PASSWORD }, commands: fixtureCommands(), faults: { receiveTimeouts: 16 } });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const c = new WinRmClient({ host: "127.0.0.1", port: server.port, https: false, user: USER, password: PASSWORD, signal: AbortSignal.timeout(20_000) });
      const probe = windowsProbeCommand();
      const r = await c.run(probe.command, probe.args, Buffer.from(windowsProbeStdin()), 1 << 24);
      c.close();
      expect(r.exitCode).toBe(0);
      expect(c.requests).toBeGreaterThanOrEqual(20);
      await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on a later tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message)).toEqual([]);
  });
});
