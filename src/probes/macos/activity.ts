import type { Static } from "@sinclair/typebox";
import { unknown, type Unknown } from "../../facts/unknown.js";
import { Activity, ACTIVITY_MAX_EVENTS, failureSources, probeWindowDays } from "../linux/activity.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";

type ActivityFacts = Static<typeof Activity>;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Mon Nov 30 09:15` (BSD `last` prints no year): the latest such time not after `now`, in UTC. */
export function bsdTime(text: string, now: Date): string | null {
  const m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) +(\d{1,2}) (\d\d):(\d\d)(?::(\d\d))?$/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  for (const year of [now.getUTCFullYear(), now.getUTCFullYear() - 1]) {
    const t = Date.UTC(year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0));
    if (t <= now.getTime() + 86_400_000) return new Date(t).toISOString();
  }
  return null;
}

/** BSD `last`: `user tty [host] Www Mmm dd hh:mm …`; `wtmp begins Www Mmm dd hh:mm`. */
export function parseBsdLast(text: string, now: Date): { logins: { user: string; source: string; time: string; line: string }[]; begins: string | null } {
  const logins: { user: string; source: string; time: string; line: string }[] = [];
  let begins: string | null = null;
  for (const line of text.split("\n")) {
    const b = /^wtmp begins (.*)$/.exec(line.trim());
    if (b) {
      begins = bsdTime(b[1]!, now);
      continue;
    }
    const m = /^(\S+)\s+(\S+)\s+(?:(\S+)\s+)?((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d{1,2} \d\d:\d\d)/.exec(line);
    if (!m || m[1] === "reboot" || m[1] === "shutdown") continue;
    const time = bsdTime(m[4]!, now);
    if (time) logins.push({ user: m[1]!, line: m[2]!, source: m[3] ?? "local", time });
  }
  return { logins: logins.reverse(), begins };
}

/** Unified log syslog-style lines: `2026-11-30 21:14:02.123456+0000  host sshd[812]: Failed password for x from 1.2.3.4 …`. */
export function parseUnifiedAuth(text: string): { user: string; source: string; time: string }[] {
  const out: { user: string; source: string; time: string }[] = [];
  for (const line of text.split("\n")) {
    const t = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.\d+)?([+-]\d\d)(\d\d)/.exec(line);
    const f = /sshd(?:-session)?\[\d+\]: (?:Failed \S+ for (?:invalid user )?(\S+)|Invalid user (\S*)) from (\S+)/.exec(line);
    if (!t || !f) continue;
    const ms = Date.parse(`${t[1]}T${t[2]}${t[3]}:${t[4]}`);
    if (Number.isFinite(ms)) out.push({ user: f[1] ?? f[2] ?? "", source: f[3]!, time: new Date(ms).toISOString() });
  }
  return out;
}

export function parseMacActivity(probe: ProbeOutput, now: Date): ActivityFacts | Unknown {
  const windowDays = probeWindowDays(probe);
  const windowStart = new Date(now.getTime() - windowDays * 86_400_000).toISOString();
  if (!probe.section("act-last") && !probe.section("act-unified")) {
    if (!probe.split.done) return unknown("activity: sections missing from probe output (truncated?)");
    const none = unknown("this probe run read no login records (the probe predates the activity section)");
    return { recorded: false, windowDays, windowStart, oldestRecord: none, logins: none, failures: none, failureSources: none, sudo: none, capped: false };
  }
  const lastText = probe.text("act-last", "last");
  const last = typeof lastText === "string" ? parseBsdLast(lastText, now) : lastText;
  const logins: ActivityFacts["logins"] =
    "unknown" in last ? last : last.logins.filter((l) => l.time >= windowStart).slice(-ACTIVITY_MAX_EVENTS).map((l) => ({ ...l, label: `${l.user} from ${l.source} at ${l.time}` }));
  const unifiedText = probe.text("act-unified", "log show (sshd failures)");
  const failures: ActivityFacts["failures"] =
    typeof unifiedText === "string" ? parseUnifiedAuth(unifiedText).filter((f) => f.time >= windowStart).slice(-ACTIVITY_MAX_EVENTS) : unifiedText;
  return {
    recorded: true,
    windowDays,
    windowStart,
    oldestRecord: "unknown" in last ? last : last.begins,
    logins,
    failures,
    failureSources: Array.isArray(failures) ? failureSources(failures, Array.isArray(logins) ? logins : []) : failures,
    sudo: unknown("sudo use is not read on macOS"),
    capped: false,
  };
}

/** The `activity` probe section (macOS): activity.sh beside this module. */
export const activitySection = defineSection({
  key: "activity",
  schema: Activity,
  source: "last; log show --last <window>d (sshd failures; 30 days unless --activity-window)",
  script: new URL("./activity.sh", import.meta.url),
  parse: (probe: ProbeOutput, now: Date) => parseMacActivity(probe, now),
  doc: {
    heading: "`last` (newest 2000 lines and `wtmp begins`), `log show --last 30d` sshd failures (root)",
    body: "The Linux `activity` shape: `logins[]` from `last` (BSD format, no year: the latest such date not after the scan), `oldestRecord` from `wtmp begins`, `failures[]`/`failureSources[]` from sshd lines in the unified log (needs root; `log show` over 30 days can pass the 20 s command limit, and the fact is then unknown). `sudo` is unknown.",
  },
});
