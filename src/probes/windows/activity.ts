import type { Static } from "@sinclair/typebox";
import { unknown } from "../../facts/unknown.js";
import { Activity, failureSources } from "../linux/activity.js";
import { arr, isoDate, num, rec, str, type Rec } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

/**
 * Windows login evidence (Security log) in the same `activity` shape as Linux (src/probes/linux/
 * activity.ts), plus lockouts, accounts created, privileged group additions and log clearing.
 */
type ActivityFacts = Static<typeof Activity>;

/** Logon types an activity review looks at: 2 interactive (console), 3 network (SMB, WinRM), 10 remote interactive (RDP). */
const LOGON_TYPES = new Set([2, 3, 10]);

const who = (domain: string, user: string) => (domain && domain !== "-" ? `${domain}\\${user}` : user);
const addr = (ip: string, ws: string) => (ip && ip !== "-" && ip !== "::1" && ip !== "127.0.0.1" ? ip : ws && ws !== "-" ? ws : "local");

export function normaliseActivity(data: Rec, now: Date): ActivityFacts {
  const days = num(data.windowDays) ?? 30;
  const windowStart = new Date(now.getTime() - days * 86_400_000).toISOString();
  const events = arr(data.events).map(rec);
  const maxEvents = num(data.maxEvents);
  const logins: ActivityFacts["logins"] = [];
  const failures: { user: string; source: string; time: string }[] = [];
  const lockouts: { user: string; time: string; label: string }[] = [];
  const accountsCreated: { user: string; by: string; time: string; label: string }[] = [];
  const groupAdds: { member: string; group: string; by: string; time: string; label: string }[] = [];
  const logCleared: { by: string; time: string; label: string }[] = [];
  for (const e of events) {
    const time = isoDate(e.time);
    if (!time || time < windowStart) continue;
    const id = num(e.id);
    const user = who(str(e.TargetDomainName, 256), str(e.TargetUserName, 256));
    const by = str(e.SubjectUserName, 256);
    if (id === 4624) {
      const type = num(e.LogonType);
      if (type === null || !LOGON_TYPES.has(type)) continue;
      const source = addr(str(e.IpAddress, 64), str(e.WorkstationName, 256));
      const sid = str(e.TargetUserSid, 256);
      logins.push({
        user, source, time, line: `logon type ${type}`, label: `${user} from ${source} at ${time} (logon type ${type})`,
        sid: sid && sid !== "-" ? sid : unknown("the 4624 event carries no TargetUserSid"),
      });
    } else if (id === 4625) failures.push({ user, source: addr(str(e.IpAddress, 64), str(e.WorkstationName, 256)), time });
    else if (id === 4740) lockouts.push({ user, time, label: `${user} locked out at ${time}` });
    else if (id === 4720) accountsCreated.push({ user, by, time, label: `${user} created by ${by} at ${time}` });
    else if (id === 4728 || id === 4732 || id === 4756) {
      // Local group additions (4732) carry MemberName "-" and only the SID.
      const name = str(e.MemberName, 512);
      const member = name && name !== "-" ? name : str(e.MemberSid, 256);
      groupAdds.push({ member, group: user, by, time, label: `${member} added to ${user} by ${by} at ${time}` });
    } else if (id === 1102) logCleared.push({ by, time, label: `Security log cleared by ${by} at ${time}` });
  }
  const byTime = <T extends { time: string }>(l: T[]) => l.sort((a, b) => (a.time < b.time ? -1 : 1));
  byTime(logins);
  byTime(failures);
  const oldest = isoDate(data.oldest);
  return {
    recorded: true,
    windowDays: days,
    windowStart,
    oldestRecord: oldest,
    logins,
    failures,
    failureSources: failureSources(failures, logins),
    sudo: unknown("Windows has no sudo log; privileged group additions are in groupAdds"),
    capped: maxEvents !== null && events.length >= maxEvents,
    lockouts,
    accountsCreated,
    groupAdds,
    logCleared,
  };
}

/** The `activity` probe section (Windows): activity.ps1 beside this module (Add-Section 'activity'). */
export const activitySection = defineWindowsSection({
  key: "activity",
  schema: Activity,
  source: "Get-WinEvent -FilterHashtable @{LogName='Security'; Id=4624,4625,4740,4720,4728,4732,4756,1102; StartTime=30 days ago} -MaxEvents 2000; the oldest Security event",
  script: new URL("./activity.ps1", import.meta.url),
  psSection: "activity",
  parse: ({ data }, now) => normaliseActivity(data, now),
  doc: {
    heading: "`Get-WinEvent -FilterHashtable` on the Security log (4624, 4625, 4740, 4720, 4728/4732/4756, 1102; 30 days; `-MaxEvents 2000`), and the oldest event",
    body: [
      "The Linux `activity` shape: `logins[]` are 4624 with logon type 2, 3 or 10 (`line` says which; `sid` the TargetUserSid, -500 for the built-in Administrator), `failures[]` 4625,",
      "`failureSources[]` grouped by `IpAddress` (else `WorkstationName`), `oldestRecord` the oldest event the Security log",
      "still holds; plus `lockouts[]` (4740), `accountsCreated[]` (4720), `groupAdds[]` (4728/4732/4756: member, group, by) and",
      "`logCleared[]` (1102). `sudo` is unknown. Only names, addresses and times leave the host.",
    ].join("\n"),
  },
});
