import { describe, expect, it } from "vitest";
import { collectWindowsHost } from "../../../src/collectors/host-windows.js";
import type { CollectContext } from "../../../src/collectors/types.js";
import { testContext } from "../../helpers/context.js";
import { parseTarget } from "../../../src/core/targets.js";
import { WINDOWS_PROBE_SCRIPT, scriptFromProbeStdin } from "../../../src/probes/windows/script.js";
import type { ExecResult, ProbeRunner } from "../../../src/transports/types.js";
import { probeDocument } from "../../support/winrm-server/profiles.js";
import { factsOf } from "../../helpers/facts.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const ctx: CollectContext = testContext({ options: { timeoutMs: 10_000 }, now: NOW });
const target = parseTarget("ssh://admin@win-fs1.clinic.test");

/** A runner as the OpenSSH path gives it: stdin goes to `powershell -Command -`, read line by line. */
function runner(answer: (script: string | undefined) => ExecResult): ProbeRunner & { stdins: string[] } {
  const stdins: string[] = [];
  const run: ProbeRunner = async (stdin) => {
    stdins.push(stdin);
    return answer(scriptFromProbeStdin(stdin));
  };
  return Object.assign(run, { stdins });
}

describe("collectWindowsHost over any runner (the OpenSSH path)", () => {
  it("sends the script as one stdin line and returns Windows facts under the caller's collector name", async () => {
    const run = runner((script) => ({ stdout: script === WINDOWS_PROBE_SCRIPT ? JSON.stringify(probeDocument("hardened", NOW)) : "", stderr: "", exitCode: 0, truncated: false }));
    const facts = await collectWindowsHost(target, run, ctx, "host/ssh");
    expect(run.stdins).toHaveLength(1);
    expect(run.stdins[0]!.trimEnd()).not.toContain("\n");
    expect(facts).toMatchObject({ status: "ok", collector: "host/ssh", target: { kind: "host", id: "ssh://admin@win-fs1.clinic.test" }, collectedAt: NOW.toISOString() });
    expect(factsOf(facts, "host").os).toMatchObject({ family: "windows", endOfLife: false });
  });

  it("a section that failed makes the target partial and names it", async () => {
    const doc = probeDocument("hardened", NOW) as { sections: Record<string, unknown> };
    doc.sections.auditPolicy = { ok: false, error: "auditpol exited with 1: A required privilege is not held by the client." };
    const facts = await collectWindowsHost(target, runner(() => ({ stdout: JSON.stringify(doc), stderr: "", exitCode: 0, truncated: false })), ctx, "host/ssh");
    expect(facts.status).toBe("partial");
    expect(facts.statusReason).toContain("auditPolicy");
    expect(factsOf(facts, "host").auditPolicy).toMatchObject({ unknown: true, reason: expect.stringContaining("required privilege") });
  });

  it("output that is not the probe's ends in error with the (cleaned) stderr, and os unknown", async () => {
    const facts = await collectWindowsHost(
      target,
      runner(() => ({ stdout: "", stderr: "'powershell' is not recognized\u001b[2J", exitCode: 1, truncated: false })),
      ctx,
      "host/ssh",
    );
    expect(facts.status).toBe("error");
    expect(facts.statusReason).toContain("'powershell' is not recognized");
    expect(facts.statusReason).not.toContain("\u001b");
    expect(factsOf(facts, "host").os).toMatchObject({ unknown: true });
  });

  it("a failed os section still marks the host as Windows", async () => {
    const doc = probeDocument("gappy", NOW) as { sections: Record<string, unknown> };
    doc.sections.os = { ok: false, error: "Invalid namespace" };
    const facts = await collectWindowsHost(target, runner(() => ({ stdout: JSON.stringify(doc), stderr: "", exitCode: 0, truncated: false })), ctx, "host/ssh");
    expect(factsOf(facts, "host").os).toMatchObject({ family: "windows", endOfLife: { unknown: true } });
    expect(facts.status).toBe("partial");
  });
});
