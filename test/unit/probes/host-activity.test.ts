import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { joinAccountState, joinActivityRoster } from "../../../src/collectors/host-activity.js";

const NOW = new Date("2026-12-01T12:00:00Z");
const logins = () => [
  { user: "alice", source: "10.0.0.5" },
  { user: "tom", source: "10.0.0.8" },
  { user: "gone", source: "10.0.0.9" },
  { user: "temp", source: "10.0.0.7" },
];
const accounts = {
  users: [
    { name: "alice", password: "set", expires: null },
    { name: "tom", password: "locked", expires: null },
    { name: "temp", password: "set", expires: "2026-11-30" },
  ],
};

describe("host activity joins", () => {
  it("marks logins by accounts that are locked, expired or removed now", () => {
    const l = logins();
    joinAccountState(l, accounts, NOW);
    expect(l.map((x) => [x.user, (x as { accountDisabled?: unknown }).accountDisabled])).toEqual([["alice", false], ["tom", true], ["gone", true], ["temp", true]]);
  });

  it("is unknown when shadow could not be read", () => {
    const l = [{ user: "alice" }];
    joinAccountState(l, { users: [{ name: "alice", password: { unknown: true, reason: "needs root" }, expires: null }] }, NOW);
    expect(l[0]).toMatchObject({ accountDisabled: { unknown: true, reason: "needs root" } });
  });

  it("matches logins to the --roster file by name, and says when no roster was given", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hsp-roster-"));
    try {
      const file = join(dir, "staff.csv");
      writeFileSync(file, "username\nalice\n");
      const facts: Record<string, unknown> = { activity: { logins: logins() }, accounts };
      await joinActivityRoster(facts, file, NOW);
      const a = facts.activity as { roster: string; logins: { user: string; onRoster: boolean }[] };
      expect(a.roster).toBe(file);
      expect(a.logins.map((l) => l.onRoster)).toEqual([true, false, false, false]);
      const none: Record<string, unknown> = { activity: { logins: logins() } };
      await joinActivityRoster(none, undefined, NOW);
      expect((none.activity as { roster: unknown }).roster).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on Windows matches the name after DOMAIN\\ and leaves the POSIX account join out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hsp-roster-"));
    try {
      const file = join(dir, "staff.csv");
      writeFileSync(file, "username\nnurse1\n");
      const facts: Record<string, unknown> = { activity: { logins: [{ user: "CLINIC\\nurse1" }, { user: "CLINIC\\vendor" }, { user: "nurse1" }] }, accounts };
      await joinActivityRoster(facts, file, NOW, "windows");
      const a = facts.activity as { logins: { onRoster: boolean; accountDisabled?: unknown }[] };
      expect(a.logins.map((l) => l.onRoster)).toEqual([true, false, true]);
      expect(a.logins.every((l) => l.accountDisabled === undefined)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
