import { describe, expect, it } from "vitest";
import { isUnknown } from "../../../src/facts/unknown.js";
import { normaliseActivity } from "../../../src/probes/windows/activity.js";
import { parseWindowsProbe } from "../../../src/probes/windows/parse.js";
import { probeDocument } from "../../support/winrm-server/profiles.js";

const NOW = new Date("2026-12-01T12:00:00Z");

describe("Windows activity (Security log events, fixtures/windows/activity-events.json)", () => {
  const { facts, failed } = parseWindowsProbe(JSON.stringify(probeDocument("gappy", NOW)), NOW);
  const a = facts.activity as Record<string, unknown>;

  it("reads logons of types 2/3/10 only, failures by source with the success after them, lockouts, creations, group additions and a clear", () => {
    expect(failed).not.toContain("activity");
    expect((a.logins as { label: string }[]).map((l) => l.label)).toEqual([
      "CLINIC\\Administrator from 198.51.100.23 at 2026-12-01T02:20:00.000Z (logon type 10)",
      "CLINIC\\nurse1 from WIN-HSW at 2026-12-01T03:40:00.000Z (logon type 2)",
    ]);
    expect((a.logins as { sid: unknown }[]).map((l) => l.sid)).toEqual(["S-1-5-21-3457937927-2839227994-823803824-500", "S-1-5-21-3457937927-2839227994-823803824-1107"]);
    expect(a.failureSources).toEqual([
      expect.objectContaining({
        source: "198.51.100.23",
        count: 10,
        users: ["CLINIC\\Administrator", "CLINIC\\admin"],
        successAfter: { user: "CLINIC\\Administrator", time: "2026-12-01T02:20:00.000Z" },
      }),
    ]);
    expect((a.lockouts as unknown[]).length).toBe(1);
    expect(a.accountsCreated).toEqual([expect.objectContaining({ user: "WIN-HSW\\support2", by: "Administrator" })]);
    expect(a.groupAdds).toEqual([expect.objectContaining({ member: "S-1-5-21-3457937927-2839227994-823803824-1104", group: "Builtin\\Administrators" })]);
    expect(a.logCleared).toEqual([{ by: "Administrator", time: "2026-12-01T11:00:00.000Z", label: "Security log cleared by Administrator at 2026-12-01T11:00:00.000Z" }]);
    expect(a.oldestRecord).toBe("2026-11-28T12:00:00.000Z");
    expect(isUnknown(a.sudo)).toBe(true);
  });

  it("drops events before the window and says when -MaxEvents was reached", () => {
    const old = normaliseActivity({ windowDays: 30, maxEvents: 2, oldest: null, events: [{ id: 4625, time: "2026-10-01T00:00:00Z", IpAddress: "1.2.3.4" }, { id: 4625, time: "2026-11-30T00:00:00Z", IpAddress: "1.2.3.4" }] }, NOW);
    expect(old.failures).toEqual([{ user: "", source: "1.2.3.4", time: "2026-11-30T00:00:00.000Z" }]);
    expect(old.capped).toBe(true);
    expect(old.oldestRecord).toBeNull();
  });

  it("a logon event without TargetUserSid has an unknown sid, never a passing one", () => {
    const f = normaliseActivity({ windowDays: 30, maxEvents: 2000, oldest: null, events: [{ id: 4624, time: "2026-11-30T00:00:00Z", LogonType: "10", TargetUserName: "x", IpAddress: "10.0.0.1" }] }, NOW);
    expect((f.logins as { sid: unknown }[])[0]!.sid).toEqual({ unknown: true, reason: "the 4624 event carries no TargetUserSid" });
  });
});
