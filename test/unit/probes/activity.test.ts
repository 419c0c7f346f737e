import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isUnknown } from "../../../src/facts/unknown.js";
import { failureSources, parseActivity, parseAuthLines, parseUtmpSection } from "../../../src/probes/linux/activity.js";
import { ProbeOutput } from "../../../src/probes/posix/probe-output.js";
import { splitSections } from "../../../src/probes/sections.js";
import { activityDaysLine, buildProbeScript, newMark, type ProbeSettings } from "../../../src/probes/script.js";
import { FIXTURES, loadProbe } from "./helpers.js";

const POSIX = fileURLToPath(new URL("../../../src/probes/", import.meta.url));
const NOW = new Date("2026-12-01T12:00:00Z");
const utmp = (type: number, pid: number, user: string, line: string, host: string, time: string) =>
  `[${type}] [${String(pid).padStart(5, "0")}] [${line.slice(-4).padEnd(4)}] [${user.padEnd(32)}] [${line.padEnd(32)}] [${host.padEnd(256)}] [${"0.0.0.0".padEnd(15)}] [${time}]\n`;

/** Real wtmp/btmp files (written by utmpdump -r), read back by the probe's own fragment and the real utmpdump. */
function probeRun(wtmp: string, btmp: string, authLog: string | null, settings: ProbeSettings = {}): ProbeOutput {
  const dir = mkdtempSync(join(tmpdir(), "hsp-act-"));
  try {
    for (const [name, text] of [["wtmp", wtmp], ["btmp", btmp]] as const) {
      const r = spawnSync("utmpdump", ["-r", "-o", join(dir, name)], { input: text });
      expect(r.status, `utmpdump -r ${name}`).toBe(0);
    }
    let fragment = readFileSync(join(POSIX, "linux/activity.sh"), "utf8")
      .replaceAll("/var/log/wtmp", join(dir, "wtmp"))
      .replaceAll("/var/log/btmp", join(dir, "btmp"))
      .replaceAll("/var/log/journal", join(dir, "no-journal"))
      .replaceAll("/run/log/journal", join(dir, "no-journal"))
      .replaceAll("/var/log/secure", join(dir, "no-secure"));
    if (authLog !== null) writeFileSync(join(dir, "auth.log"), authLog);
    fragment = fragment.replaceAll("/var/log/auth.log", join(dir, "auth.log"));
    const mark = newMark();
    const common = readFileSync(join(POSIX, "posix/common.sh"), "utf8");
    const r = spawnSync("sh", ["-s"], { input: `HS_MARK='${mark}'\n${activityDaysLine(settings, (d) => `HS_ACT_DAYS='${d}'`)}${common}\n${fragment}\nhs_sec ident - hs_ident\nhs_linux_activity\nhs_mk done\n`, encoding: "utf8" });
    const split = splitSections(r.stdout, mark);
    return new ProbeOutput(split, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("activity: login records", () => {
  const wtmp =
    utmp(2, 0, "reboot", "~", "6.1.0", "2026-10-01T08:00:00,000000+00:00") +
    utmp(7, 900, "alice", "pts/0", "10.0.0.5", "2026-11-20T09:00:00,000000+00:00") +
    utmp(8, 900, "", "pts/0", "", "2026-11-20T17:00:00,000000+00:00") +
    utmp(7, 901, "mallory", "pts/1", "203.0.113.50", "2026-11-30T21:20:00,000000+00:00") +
    utmp(7, 100, "bob", "pts/2", "10.0.0.6", "2026-10-15T09:00:00,000000+00:00"); // before the window
  const btmp = Array.from({ length: 12 }, (_, i) =>
    utmp(6, 2200 + i, i % 2 ? "root" : "mallory", "ssh:notty", "203.0.113.50", `2026-11-30T21:1${Math.floor(i / 6)}:${String(10 + i).padStart(2, "0")},000000+00:00`),
  ).join("") + utmp(6, 3000, "alice", "ssh:notty", "10.0.0.5", "2026-11-20T08:59:00,000000+00:00");

  it("reads logins, failures, the brute-force source with the success after it, and how far back wtmp reaches", () => {
    const facts = parseActivity(probeRun(wtmp, btmp, null), NOW);
    if (isUnknown(facts)) throw new Error(facts.reason);
    expect(facts.recorded).toBe(true);
    expect(facts.windowStart).toBe("2026-11-01T12:00:00.000Z");
    expect(facts.oldestRecord).toBe("2026-10-01T08:00:00.000Z");
    expect(facts.logins).toEqual([
      { user: "alice", source: "10.0.0.5", time: "2026-11-20T09:00:00.000Z", line: "pts/0", label: "alice from 10.0.0.5 at 2026-11-20T09:00:00.000Z" },
      { user: "mallory", source: "203.0.113.50", time: "2026-11-30T21:20:00.000Z", line: "pts/1", label: "mallory from 203.0.113.50 at 2026-11-30T21:20:00.000Z" },
    ]);
    expect(Array.isArray(facts.failures) && facts.failures.length).toBe(13);
    expect(facts.failureSources).toEqual([
      {
        source: "203.0.113.50",
        count: 12,
        users: ["mallory", "root"],
        first: "2026-11-30T21:10:10.000Z",
        last: "2026-11-30T21:11:21.000Z",
        successAfter: { user: "mallory", time: "2026-11-30T21:20:00.000Z" },
        label: "12 failed logins from 203.0.113.50 (mallory, root) 2026-11-30T21:10:10.000Z to 2026-11-30T21:11:21.000Z, then mallory logged in from 203.0.113.50 at 2026-11-30T21:20:00.000Z",
      },
      expect.objectContaining({ source: "10.0.0.5", count: 1, successAfter: { user: "alice", time: "2026-11-20T09:00:00.000Z" } }),
    ]);
    expect(facts.capped).toBe(false);
    expect(isUnknown(facts.sudo)).toBe(true);
  });

  it("a wtmp that starts 3 days ago says so (retention), and sudo and failures come from auth.log when there is no btmp", () => {
    const recent = utmp(2, 0, "reboot", "~", "6.1.0", "2026-11-28T12:00:00,000000+00:00");
    const facts = parseActivity(probeRun(recent, "", readFileSync(`${FIXTURES}activity/auth.log`, "utf8")), NOW);
    if (isUnknown(facts)) throw new Error(facts.reason);
    // The oldest of wtmp (3 days) and auth.log (its first line, 30 Nov) wins.
    expect(facts.oldestRecord).toBe("2026-11-28T12:00:00.000Z");
    expect(facts.logins).toEqual([]);
    // btmp exists but is empty: it is the record of failures, so the log lines are not added to it.
    expect(facts.failures).toEqual([]);
    expect(facts.sudo).toEqual([{ user: "alice", count: 2 }, { user: "bob", count: 1 }]);
    // usermod logs the group and its shadow twin: one addition.
    expect(facts.groupAdds).toEqual([
      { member: "temp", group: "sudo", by: "", time: "2026-12-01T09:10:00.000Z", label: "temp added to sudo at 2026-12-01T09:10:00.000Z" },
      { member: "carol", group: "adm", by: "root", time: "2026-12-01T09:12:00.000Z", label: "carol added to adm by root at 2026-12-01T09:12:00.000Z" },
    ]);
  });

  it("reads the window the collector set (--activity-window): 60 days takes in the October login", () => {
    const facts = parseActivity(probeRun(wtmp, btmp, null, { activityDays: 60 }), NOW);
    if (isUnknown(facts)) throw new Error(facts.reason);
    expect(facts.windowDays).toBe(60);
    expect(facts.windowStart).toBe("2026-10-02T12:00:00.000Z");
    expect(Array.isArray(facts.logins) && facts.logins.map((l) => l.user)).toEqual(["alice", "mallory", "bob"]);
    const week = parseActivity(probeRun(wtmp, btmp, null, { activityDays: 7 }), NOW);
    if (isUnknown(week)) throw new Error(week.reason);
    expect(week.windowDays).toBe(7);
    expect(Array.isArray(week.logins) && week.logins.map((l) => l.user)).toEqual(["mallory"]);
  });

  it("the probe script carries the window only as a checked whole number of days", () => {
    const mark = newMark();
    expect(buildProbeScript(mark).script).not.toContain("HS_ACT_DAYS=");
    expect(buildProbeScript(mark, { activityDays: 90 }).script.split("\n")[1]).toBe("HS_ACT_DAYS='90'");
    expect(() => buildProbeScript(mark, { activityDays: 0 })).toThrow(/1–3650 days/);
    expect(() => buildProbeScript(mark, { activityDays: 1.5 })).toThrow(/1–3650 days/);
  });

  it("unreadable btmp is unknown, never an empty list", () => {
    const out = splitSections(`\n@@hs:${"c".repeat(32)} begin act-btmp\n\n@@hs:${"c".repeat(32)} stderr act-btmp\n/var/log/btmp: Permission denied\n@@hs:${"c".repeat(32)} end act-btmp rc=13\n@@hs:${"c".repeat(32)} done\n`, `@@hs:${"c".repeat(32)}`);
    const facts = parseActivity(new ProbeOutput(out, 1000), NOW);
    if (isUnknown(facts)) throw new Error(facts.reason);
    expect(isUnknown(facts.failures)).toBe(true);
    expect(isUnknown(facts.failureSources)).toBe(true);
    expect(isUnknown(facts.logins)).toBe(true);
  });

  it("a complete run of an older probe has no records (the rules do not apply); a cut-off run is unknown", () => {
    const old = parseActivity(loadProbe("debian12-root"), NOW);
    expect(!isUnknown(old) && old.recorded).toBe(false);
    const cut = splitSections(`\n@@hs:${"d".repeat(32)} begin ident\nuid=0\n`, `@@hs:${"d".repeat(32)}`);
    expect(isUnknown(parseActivity(new ProbeOutput(cut, 0), NOW))).toBe(true);
  });
});

describe("activity: log lines", () => {
  it("reads sshd failures and sudo commands from auth.log and journal lines, nothing else", () => {
    const { first, events } = parseAuthLines(`first ${readFileSync(`${FIXTURES}activity/auth.log`, "utf8")}`);
    expect(first).toBe("2026-11-30T08:00:01.123Z");
    expect(events.filter((e) => e.kind === "failure")).toEqual([
      { kind: "failure", user: "admin", source: "203.0.113.50", time: "2026-11-30T21:14:02.000Z" },
      { kind: "failure", user: "root", source: "203.0.113.50", time: "2026-11-30T21:14:05.000Z" },
      { kind: "failure", user: "oracle", source: "203.0.113.50", time: "2026-11-30T21:14:09.000Z" },
      { kind: "failure", user: "bob", source: "198.51.100.7", time: "2026-12-01T09:06:00.000Z" },
    ]);
    expect(events.filter((e) => e.kind === "sudo").map((e) => e.user)).toEqual(["alice", "alice", "bob"]);
  });

  it("groups failures by source without a success when none followed", () => {
    expect(failureSources([{ user: "x", source: "a", time: "2026-01-01T00:00:00.000Z" }], [])[0]!.successAfter).toBeNull();
  });

  it("utmpdump's absent marker is not a record", () => {
    expect(parseUtmpSection("absent\n")).toEqual({ absent: true, first: null, records: [], total: 0 });
  });
});
