import { Type, type Static } from "@sinclair/typebox";
import { Bool, isUnknown, Known, Nullable, Num, Str, StrList, unknown, type Unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";

/** Days of login evidence read (the probe's journal `--since` and the parser's filter). */
export const ACTIVITY_WINDOW_DAYS = 30;
/** Most events of each kind kept in the facts (the newest). */
export const ACTIVITY_MAX_EVENTS = 500;

export const LoginEvent = Type.Object({
  user: Str,
  /** Remote host or address; `local` for a console login. */
  source: Str,
  /** ISO time. */
  time: Str,
  /** Terminal line (pts/0, tty1, ssh:notty). */
  line: Str,
  /** `user from source at time`, for findings. */
  label: Str,
  /** The user matches a name on the --roster file; unknown when no roster was given. Set by the collector. */
  onRoster: Type.Optional(Known(Bool)),
  /** This account logged in from this source in an earlier run in the history (src/history/login-sources.ts); unknown without history. Set before the rules run. */
  sourceSeenBefore: Type.Optional(Known(Bool)),
  /** Windows: the account's SID (TargetUserSid of 4624); the built-in Administrator's ends in -500. Unknown when the event had none. */
  sid: Type.Optional(Known(Str)),
  /** The account is locked, expired or gone now (Linux: shadow password locked, account expired, or no such account). Set by the collector from `accounts`. */
  accountDisabled: Type.Optional(Known(Bool)),
});

export const FailureSource = Type.Object({
  source: Str,
  /** Failed logins from this source within the window. */
  count: Num,
  /** Account names tried (at most 20). */
  users: StrList,
  first: Str,
  last: Str,
  /** The first successful login from the same source after its first failure, or null. */
  successAfter: Nullable(Type.Object({ user: Str, time: Str })),
  /** `N failures from source (users) first–last[, then user logged in at time]`, for findings. */
  label: Str,
});

/**
 * Login evidence the host already keeps: wtmp (successful logins), btmp and the journal or
 * auth.log (failures), sudo commands, and how far back the records reach. Counts and names only;
 * no message bodies.
 */
export const Activity = Type.Object({
  /** The probe run read login records (false: a run of a probe that predates this section). */
  recorded: Bool,
  /** The window read, in days, and its start (ISO). */
  windowDays: Num,
  windowStart: Str,
  /** ISO time of the oldest record any source still holds (wtmp, journal, auth.log); null when none holds any. */
  oldestRecord: Known(Nullable(Str)),
  /** Successful logins in the window (wtmp USER_PROCESS records), newest last. */
  logins: Known(Type.Array(LoginEvent)),
  /** Failed logins in the window (btmp, else sshd lines in the journal or auth.log). */
  failures: Known(Type.Array(Type.Object({ user: Str, source: Str, time: Str }))),
  /** Failures grouped by source, most first. */
  failureSources: Known(Type.Array(FailureSource)),
  /** sudo commands in the window per user (journal or auth.log). */
  sudo: Known(Type.Array(Type.Object({ user: Str, count: Num }))),
  /** A cap on records was reached: older events in the window may be missing. */
  capped: Bool,
  /** The --roster file the logins were matched against; null when none was given. Set by the collector. */
  roster: Type.Optional(Nullable(Str)),
  /** Windows: accounts locked out (4740) in the window. */
  lockouts: Type.Optional(Known(Type.Array(Type.Object({ user: Str, time: Str, label: Str })))),
  /** Windows: accounts created (4720) in the window. */
  accountsCreated: Type.Optional(Known(Type.Array(Type.Object({ user: Str, by: Str, time: Str, label: Str })))),
  /** Members added to groups in the window: Windows 4728/4732/4756 (security groups); Linux usermod/gpasswd log lines. */
  groupAdds: Type.Optional(Known(Type.Array(Type.Object({ member: Str, group: Str, by: Str, time: Str, label: Str })))),
  /** Windows: the Security log was cleared (1102) in the window. */
  logCleared: Type.Optional(Known(Type.Array(Type.Object({ by: Str, time: Str, label: Str })))),
});
export type ActivityFacts = Static<typeof Activity>;

export interface UtmpRecord {
  type: number;
  pid: number;
  user: string;
  line: string;
  host: string;
  addr: string;
  time: string;
}

const UTMP_LINE = /^\[(\d+)\] \[\s*(\d+)\] \[[^\]]*\] \[([^\]]*)\] \[([^\]]*)\] \[([^\]]*)\] \[([^\]]*)\] \[([^\]]*)\]\s*$/;

/** One `utmpdump` line (`[7] [01234] [ts/0] [alice] [pts/0] [host] [addr] [2026-12-01T10:00:00,000000+00:00]`). */
export function parseUtmpLine(line: string): UtmpRecord | null {
  const m = UTMP_LINE.exec(line);
  if (!m) return null;
  const t = Date.parse(m[7]!.trim().replace(",", "."));
  if (!Number.isFinite(t)) return null;
  return { type: Number(m[1]), pid: Number(m[2]), user: m[3]!.trim(), line: m[4]!.trim(), host: m[5]!.trim(), addr: m[6]!.trim(), time: new Date(t).toISOString() };
}

/** The act-wtmp/act-btmp section: `absent`, or `first <record>`, the newest records and `total N`. */
export function parseUtmpSection(text: string): { absent: boolean; first: UtmpRecord | null; records: UtmpRecord[]; total: number } {
  if (text.trim() === "absent") return { absent: true, first: null, records: [], total: 0 };
  let first: UtmpRecord | null = null;
  let total = 0;
  const records: UtmpRecord[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("first ")) first = parseUtmpLine(line.slice(6));
    else if (/^total \d+$/.test(line)) total = Number(line.slice(6));
    else {
      const r = parseUtmpLine(line);
      if (r) records.push(r);
    }
  }
  return { absent: false, first, records, total };
}

export interface LogEvent {
  kind: "failure" | "sudo" | "group-add";
  user: string;
  /** The source address (failures) or the group (group additions). */
  source: string;
  time: string;
  /** Who made a group addition (gpasswd says; usermod does not). */
  by?: string;
}

/** A journal `short-iso` or syslog line's time: `2026-12-01T10:00:00+0000` / `2026-12-01T10:00:00.123456+00:00`. */
function lineTime(line: string): string | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d:?\d\d|Z)?/.exec(line);
  if (!m) return null;
  const zone = m[2] ? (m[2] === "Z" ? "Z" : m[2].replace(/^([+-]\d\d)(\d\d)$/, "$1:$2")) : "Z";
  const t = Date.parse(`${m[1]}${zone}`);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/** sshd failure and sudo lines (journal short-iso or RFC 3339 syslog) into events; other lines are skipped. */
export function parseAuthLines(text: string): { first: string | null; events: LogEvent[] } {
  let first: string | null = null;
  const events: LogEvent[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("first ")) {
      first = lineTime(line.slice(6));
      continue;
    }
    const time = lineTime(line);
    if (!time) continue;
    const f = /sshd(?:-session)?\[\d+\]: (?:Failed \S+ for (?:invalid user )?(\S+)|Invalid user (\S*)) from (\S+)/.exec(line);
    if (f) {
      events.push({ kind: "failure", user: f[1] ?? f[2] ?? "", source: f[3]!, time });
      continue;
    }
    const s = /sudo(?:\[\d+\])?:\s+(\S+) : .*COMMAND=/.exec(line);
    if (s) {
      events.push({ kind: "sudo", user: s[1]!, source: "", time });
      continue;
    }
    const u = /usermod\[\d+\]: add '([^']+)' to (?:shadow )?group '([^']+)'/.exec(line);
    if (u) {
      events.push({ kind: "group-add", user: u[1]!, source: u[2]!, time, by: "" });
      continue;
    }
    const g = /gpasswd\[\d+\]: user (\S+) added by (\S+) to group (\S+)/.exec(line);
    if (g) events.push({ kind: "group-add", user: g[1]!, source: g[3]!, time, by: g[2]! });
  }
  return { first, events };
}

/** Groups failures by source and finds the first success from that source after its first failure. */
export function failureSources(
  failures: { user: string; source: string; time: string }[],
  logins: { user: string; source: string; time: string }[],
): Static<typeof FailureSource>[] {
  const by = new Map<string, { user: string; source: string; time: string }[]>();
  for (const f of failures) by.set(f.source, [...(by.get(f.source) ?? []), f]);
  const out: Static<typeof FailureSource>[] = [];
  for (const [source, list] of by) {
    const times = list.map((f) => f.time).sort();
    const first = times[0]!;
    const success = logins.filter((l) => l.source === source && l.time >= first).sort((a, b) => (a.time < b.time ? -1 : 1))[0];
    const users = [...new Set(list.map((f) => f.user))].slice(0, 20);
    const last = times[times.length - 1]!;
    out.push({
      source,
      count: list.length,
      users,
      first,
      last,
      successAfter: success ? { user: success.user, time: success.time } : null,
      label: `${list.length} failed logins from ${source} (${users.join(", ")}) ${first} to ${last}${success ? `, then ${success.user} logged in from ${source} at ${success.time}` : ""}`,
    });
  }
  return out.sort((a, b) => b.count - a.count);
}

const newest = <T>(list: T[]): T[] => list.slice(-ACTIVITY_MAX_EVENTS);

const SECTIONS = ["act-wtmp", "act-btmp", "act-journal", "act-authlog"];

/** The window the probe read (`act-window`: the collector's --activity-window), else the default 30 days. */
export function probeWindowDays(probe: ProbeOutput): number {
  const text = probe.section("act-window") ? probe.text("act-window", "window") : undefined;
  const n = typeof text === "string" ? Number(text.trim()) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 3650 ? n : ACTIVITY_WINDOW_DAYS;
}

export function parseActivity(probe: ProbeOutput, now: Date): ActivityFacts | Unknown {
  const windowDays = probeWindowDays(probe);
  const windowStart = new Date(now.getTime() - windowDays * 86_400_000).toISOString();
  if (SECTIONS.every((s) => !probe.section(s))) {
    if (!probe.split.done) return unknown("activity: sections missing from probe output (truncated?)");
    // A complete run of a probe without these sections: an older probe, so the rules do not apply.
    const none = unknown("this probe run read no login records (the probe predates the activity section)");
    return { recorded: false, windowDays, windowStart, oldestRecord: none, logins: none, failures: none, failureSources: none, sudo: none, capped: false };
  }
  const inWindow = (t: string) => t >= windowStart;
  let capped = false;

  const wtmpText = probe.text("act-wtmp", "utmpdump /var/log/wtmp");
  const wtmp = typeof wtmpText === "string" ? parseUtmpSection(wtmpText) : wtmpText;
  const btmpText = probe.text("act-btmp", "utmpdump /var/log/btmp");
  const btmp = typeof btmpText === "string" ? parseUtmpSection(btmpText) : btmpText;
  const journalText = probe.text("act-journal", "journalctl (sshd, sudo)");
  const journal = typeof journalText === "string" && journalText.trim() !== "absent" ? parseAuthLines(journalText) : null;
  const authText = probe.text("act-authlog", "/var/log/auth.log");
  const auth = typeof authText === "string" && authText.trim() !== "absent" ? parseAuthLines(authText) : null;

  let logins: ActivityFacts["logins"];
  if (isUnknown(wtmp)) logins = wtmp;
  else {
    if (wtmp.total > wtmp.records.length) capped = true;
    const all = wtmp.records
      .filter((r) => r.type === 7 && r.user !== "" && inWindow(r.time))
      .map((r) => {
        const source = r.host || r.addr || "local";
        return { user: r.user, source, time: r.time, line: r.line, label: `${r.user} from ${source} at ${r.time}` };
      });
    if (all.length > ACTIVITY_MAX_EVENTS) capped = true;
    logins = newest(all);
  }

  // btmp is the record sshd and login(1) write for every failure; the logs are the fallback.
  const logEvents = [...(journal?.events ?? []), ...(auth?.events ?? [])];
  let failures: ActivityFacts["failures"];
  if (!isUnknown(btmp) && !btmp.absent) {
    if (btmp.total > btmp.records.length) capped = true;
    failures = btmp.records.filter((r) => r.user !== "" && inWindow(r.time)).map((r) => ({ user: r.user, source: r.host || r.addr || "local", time: r.time }));
  } else if (journal || auth) {
    failures = logEvents.filter((e) => e.kind === "failure" && inWindow(e.time)).map(({ user, source, time }) => ({ user, source, time }));
  } else if (isUnknown(btmp)) failures = btmp;
  else failures = unknown("no btmp, journal or auth.log to read login failures from");
  if (Array.isArray(failures) && failures.length > ACTIVITY_MAX_EVENTS) {
    capped = true;
    failures = newest(failures);
  }

  const grouped = Array.isArray(failures) ? failureSources(failures, Array.isArray(logins) ? logins : []) : failures;
  const failureSourcesFact: ActivityFacts["failureSources"] = Array.isArray(grouped) && isUnknown(logins) && grouped.length > 0 ? logins : grouped;

  let sudo: ActivityFacts["sudo"];
  if (journal || auth) {
    const counts = new Map<string, number>();
    for (const e of logEvents) if (e.kind === "sudo" && inWindow(e.time)) counts.set(e.user, (counts.get(e.user) ?? 0) + 1);
    sudo = [...counts].map(([user, count]) => ({ user, count })).sort((a, b) => b.count - a.count);
  } else sudo = unknown(typeof journalText !== "string" ? journalText.reason : "no journal or auth.log to read sudo use from");

  const groupAdds: ActivityFacts["groupAdds"] =
    journal || auth
      ? logEvents
          .filter((e) => e.kind === "group-add" && inWindow(e.time))
          .map((e) => ({ member: e.user, group: e.source, by: e.by ?? "", time: e.time, label: `${e.user} added to ${e.source}${e.by ? ` by ${e.by}` : ""} at ${e.time}` }))
          // usermod -aG logs each group (and its shadow twin): one entry per member, group and time.
          .filter((e, i, all) => all.findIndex((o) => o.member === e.member && o.group === e.group && o.time === e.time) === i)
      : unknown(typeof journalText !== "string" ? journalText.reason : "no journal or auth.log to read group changes from");

  const oldestCandidates: (string | null)[] = [];
  const problems: Unknown[] = [];
  if (isUnknown(wtmp)) problems.push(wtmp);
  else if (wtmp.first) oldestCandidates.push(wtmp.first.time);
  if (journal) oldestCandidates.push(journal.first);
  if (auth) oldestCandidates.push(auth.first);
  const known = oldestCandidates.filter((t): t is string => t !== null).sort();
  const oldestRecord: ActivityFacts["oldestRecord"] = known.length > 0 ? known[0]! : problems[0] ?? null;

  return { recorded: true, windowDays, windowStart, oldestRecord, logins, failures, failureSources: failureSourcesFact, sudo, capped, groupAdds };
}

/** The `activity` probe section: activity.sh beside this module, parsed by parseActivity. */
export const activitySection = defineSection({
  key: "activity",
  schema: Activity,
  source: "utmpdump /var/log/wtmp, /var/log/btmp; journalctl (sshd, sudo; the window, 30 days unless --activity-window); /var/log/auth.log or /var/log/secure",
  script: new URL("./activity.sh", import.meta.url),
  parse: (probe: ProbeOutput, now: Date) => parseActivity(probe, now),
  doc: {
    heading: "`utmpdump /var/log/wtmp` and `/var/log/btmp` (newest 2000 records, and the oldest), `journalctl` sshd/sudo lines for 30 days, `/var/log/auth.log` or `/var/log/secure`",
    body: [
      "| fact | meaning |",
      "|---|---|",
      "| `recorded` | the probe run read login records (`false` for a run of a probe that predates this section; the activity rules then do not apply) |",
      "| `windowDays`, `windowStart` | the window read (30 days, or `--activity-window`) and its start |",
      "| `oldestRecord` | ISO time of the oldest record wtmp, the journal or auth.log (or its oldest rotation) still holds: how far back a review can reach; `null` when none holds any |",
      "| `logins[]` | `{user, source, time, line, onRoster}` per successful login (wtmp USER_PROCESS) in the window, at most 500 (the newest); `onRoster` when `--roster` was given |",
      "| `failures[]` | `{user, source, time}` per failed login in the window: btmp (sshd and login write it), else sshd `Failed …`/`Invalid user` lines in the journal or auth.log |",
      "| `failureSources[]` | failures grouped by source: `count`, `users[]` tried, `first`, `last`, `successAfter` (`{user, time}` of the first login from that source after its first failure, or `null`) |",
      "| `sudo[]` | `{user, count}` of sudo commands in the window (journal or auth.log) |",
      "| `groupAdds[]` | `{member, group, by, time}` per group addition logged by usermod or gpasswd in the window |",
      "| `logins[].sourceSeenBefore` | an earlier run of the same targets in the history saw this account log in from this source (`src/history/login-sources.ts`, set before the rules run); unknown without history |",
      "| `logins[].accountDisabled` | the account is locked (shadow `!`/`*`), expired or no longer exists now (joined by the collector from `accounts`) |",
      "| `capped` | a cap was reached, so older events in the window may be missing |",
      "| `roster` | the `--roster` file logins were matched against; `null` when none |",
      "",
      "Only names, addresses and times leave the host; message bodies do not. btmp and auth.log need root.",
    ].join("\n"),
  },
});
