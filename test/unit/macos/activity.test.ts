import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bsdTime, parseBsdLast, parseMacActivity, parseUnifiedAuth } from "../../../src/probes/macos/activity.js";
import { ProbeOutput } from "../../../src/probes/posix/probe-output.js";
import { splitSections } from "../../../src/probes/sections.js";

const fx = (n: string) => readFileSync(new URL(`../../../fixtures/macos/${n}`, import.meta.url), "utf8");
const NOW = new Date("2026-12-01T12:00:00Z");
const M = `@@hs:${"e".repeat(32)}`;
const run = (sections: Record<string, string>) =>
  new ProbeOutput(splitSections(Object.entries(sections).map(([n, out]) => `\n${M} begin ${n}\n${out}\n${M} end ${n} rc=0\n`).join("") + `\n${M} done\n`, M), 0);

describe("macOS activity (fixtures/macos/last.txt, log-show-sshd.txt)", () => {
  it("BSD last: logins with sources and times (the year inferred), reboots skipped, and where wtmp begins", () => {
    const { logins, begins } = parseBsdLast(fx("last.txt"), NOW);
    expect(logins.map((l) => `${l.user}@${l.source} ${l.time}`)).toEqual([
      "bob@192.168.1.21 2026-10-01T09:00:00.000Z",
      "alice@local 2026-11-30T08:00:00.000Z",
      "alice@192.168.1.20 2026-11-30T09:15:00.000Z",
      "mallory@203.0.113.50 2026-11-30T21:20:00.000Z",
    ]);
    expect(begins).toBe("2026-10-01T08:55:00.000Z");
    expect(bsdTime("Tue Dec 29 10:00", NOW)).toBe("2025-12-29T10:00:00.000Z");
  });

  it("unified-log sshd failures, grouped with the login that followed", () => {
    expect(parseUnifiedAuth(fx("log-show-sshd.txt")).map((f) => f.user)).toEqual(["admin", "mallory", "oracle"]);
    const a = parseMacActivity(run({ "act-last": fx("last.txt"), "act-unified": fx("log-show-sshd.txt") }), NOW);
    if ("unknown" in a) throw new Error(a.reason);
    expect(a.recorded).toBe(true);
    expect(Array.isArray(a.logins) && a.logins.map((l) => l.user)).toEqual(["alice", "alice", "mallory"]); // bob is before the window
    expect(a.failures, JSON.stringify(a.failures)).not.toHaveProperty("unknown");
    expect(a.failureSources).toEqual([
      expect.objectContaining({ source: "203.0.113.50", count: 3, successAfter: { user: "mallory", time: "2026-11-30T21:20:00.000Z" } }),
    ]);
    expect(a.oldestRecord).toBe("2026-10-01T08:55:00.000Z");
  });
});
