import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectHostOverShell } from "../../../src/collectors/host-shell.js";
import { TransportError } from "../../../src/core/errors.js";
import { isUnknown } from "../../../src/facts/unknown.js";
import type { ExecResult, ProbeRunner } from "../../../src/transports/types.js";
import { FIXTURES, localTarget, testContext } from "./helpers.js";
import { factsOf } from "../../helpers/facts.js";

/** Replays a captured run under the marker of the script it is handed, as a remote host would answer. */
function replay(name: string, edit: (out: string) => string = (o) => o, result: Partial<ExecResult> = {}): ProbeRunner {
  const oldMark = readFileSync(`${FIXTURES}${name}/mark.txt`, "utf8").trim();
  const output = readFileSync(`${FIXTURES}${name}/probe-output.txt`, "utf8");
  return async (script) => {
    const mark = /^HS_MARK='([^']+)'/.exec(script)?.[1] ?? "";
    return { stdout: edit(output.split(oldMark).join(mark)), stderr: "", exitCode: 0, truncated: false, ...result };
  };
}

describe("collectHostOverShell", () => {
  it("turns a full run into ok facts with sources", async () => {
    const f = await collectHostOverShell(localTarget, replay("debian12-hardened"), testContext(), "host/test");
    expect(f.status).toBe("ok");
    expect(f.collector).toBe("host/test");
    expect(f.sources.sshd).toBe("sshd -T");
    expect(f.sources.storage).toMatch(/^lsblk -J/);
    expect(f.notes).toEqual([]);
  });

  it("notes a non-root run and names the sshd source it fell back to", async () => {
    const f = await collectHostOverShell(localTarget, replay("debian12-nonroot"), testContext(), "host/test");
    expect(f.status).toBe("ok");
    expect(f.notes.join("\n")).toMatch(/not root/);
    expect(f.sources.sshd).toMatch(/sshd_config/);
  });

  it("ignores output that does not carry this run's nonce (a replay of another run)", async () => {
    const stale: ProbeRunner = async () => ({
      stdout: readFileSync(`${FIXTURES}debian12-root/probe-output.txt`, "utf8"),
      stderr: "",
      exitCode: 0,
      truncated: false,
    });
    const f = await collectHostOverShell(localTarget, stale, testContext(), "host/test");
    expect(f.status).toBe("error");
  });

  it("keeps what parsed when the output was truncated: partial, later sections unknown", async () => {
    const cutAt = (o: string) => o.slice(0, o.indexOf(" begin group"));
    const f = await collectHostOverShell(localTarget, replay("debian12-root", cutAt, { truncated: true }), testContext(), "host/test");
    expect(f.status).toBe("partial");
    expect(f.statusReason).toMatch(/cut/);
    const facts = f.facts as Record<string, Record<string, unknown>>;
    expect(isUnknown(facts.os)).toBe(false);
    expect(facts.storage?.filesystems).toBeInstanceOf(Array);
    expect(isUnknown(facts.firewall?.ruleCount)).toBe(true);
  });

  it("is partial when the run ended without an exit status", async () => {
    const f = await collectHostOverShell(localTarget, replay("debian12-root", (o) => o.slice(0, o.length / 2), { exitCode: null }), testContext(), "host/test");
    expect(f.status).toBe("partial");
  });

  it("is an error when nothing usable came back, with the transport's status when it failed", async () => {
    const empty: ProbeRunner = async () => ({ stdout: "", stderr: "sh: 1: syntax error\n", exitCode: 2, truncated: false });
    const f = await collectHostOverShell(localTarget, empty, testContext(), "host/test");
    expect(f.status).toBe("error");
    expect(f.statusReason).toMatch(/syntax error/);
    expect(isUnknown(factsOf(f, "host").os)).toBe(true);
    const refused: ProbeRunner = async () => {
      throw new TransportError("unreachable", "connect ECONNREFUSED");
    };
    expect((await collectHostOverShell(localTarget, refused, testContext(), "host/test")).status).toBe("unreachable");
  });

  it("strips terminal escapes from remote text", async () => {
    const evil = (o: string) => o.replace("Front desk (shared)", "Front desk \u001b]0;pwned\u0007\u001b[31m(shared)");
    const f = await collectHostOverShell(localTarget, replay("debian12-hardened", evil), testContext(), "host/test");
    const users = (factsOf(f, "host").accounts as { users: { name: string; gecos: string }[] }).users;
    expect(users.find((u) => u.name === "hspshared")?.gecos).toBe("Front desk (shared)");
    expect(JSON.stringify(f)).not.toContain("\u001b");
  });
});
