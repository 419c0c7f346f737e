import type { Static } from "@sinclair/typebox";
import { Accounts, type Account } from "../../facts/host-common.js";
import { unknown, isUnknown, type Unknown } from "../../facts/unknown.js";
import type { FileBlock } from "../sections.js";
import { keyValues, type ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

export type AccountsFacts = Static<typeof Accounts>;
type AccountFacts = Static<typeof Account>;

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length < 7 || !f[0] || f[0].startsWith("+") || f[0].startsWith("-")) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    out.push({ name: f[0], uid, gid, gecos: f[4] ?? "", home: f[5] ?? "", shell: f.slice(6).join(":") });
  }
  return out;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export function parseGroup(text: string): GroupEntry[] {
  return text
    .split("\n")
    .map((l) => l.split(":"))
    .filter((f) => f.length >= 4 && f[0] && Number.isInteger(Number(f[2])))
    .map((f) => ({
      name: f[0] ?? "",
      gid: Number(f[2]),
      members: (f[3] ?? "").split(",").map((m) => m.trim()).filter(Boolean),
    }));
}

export interface ShadowEntry {
  status: "set" | "empty" | "locked";
  lastChange: string | null;
  expires: string | null;
}

const dayToIso = (days: string | undefined): string | null => {
  if (days === undefined || !/^\d+$/.test(days.trim())) return null;
  return new Date(Number(days) * 86_400_000).toISOString().slice(0, 10);
};

/** The probe's reduced shadow: name:status:lastchange:max:inactive:expire (no hashes ever). */
export function parseShadow(text: string): Map<string, ShadowEntry> {
  const out = new Map<string, ShadowEntry>();
  for (const line of text.split("\n")) {
    const f = line.split(":");
    const status = f[1];
    if (!f[0] || (status !== "set" && status !== "empty" && status !== "locked")) continue;
    out.set(f[0], { status, lastChange: dayToIso(f[2]), expires: dayToIso(f[5]) });
  }
  return out;
}

const MONTHS: Record<string, string> = {
  Jan: "01", Feb: "02", Mar: "03", Apr: "04", May: "05", Jun: "06",
  Jul: "07", Aug: "08", Sep: "09", Oct: "10", Nov: "11", Dec: "12",
};

/** `Sun Nov 22 20:49:56 +0000 2026` (lastlog) or `Sun Nov 22 20:49:56 2026` (last -F, taken as UTC). */
function parseCtime(text: string): string | null {
  const m = /(\w{3})\s+(\w{3})\s+(\d{1,2})\s+(\d{2}:\d{2}:\d{2})\s+(?:([+-]\d{4})\s+)?(\d{4})/.exec(text);
  if (!m) return null;
  const month = MONTHS[m[2] ?? ""];
  if (!month) return null;
  const tz = m[5] ? `${m[5].slice(0, 3)}:${m[5].slice(3)}` : "Z";
  const d = new Date(`${m[6]}-${month}-${(m[3] ?? "").padStart(2, "0")}T${m[4]}${tz}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * Last login per user from the `lastlogin` section: `tool=lastlog|lastlog2|last` then that tool's
 * output. Users lastlog lists as never logged in map to null.
 */
export function parseLastLogin(text: string): { tool: string; logins: Map<string, string | null> } {
  const lines = text.split("\n");
  const tool = (lines[0] ?? "").replace(/^tool=/, "").trim();
  const logins = new Map<string, string | null>();
  for (const line of lines.slice(1)) {
    const name = line.split(/\s+/)[0];
    if (!name || name === "Username" || logins.has(name)) continue;
    if (tool === "last") {
      if (name === "reboot" || name === "shutdown" || name === "wtmp" || name === "btmp") continue;
      const when = parseCtime(line);
      if (when) logins.set(name, when);
      continue;
    }
    if (/never logged in/i.test(line)) logins.set(name, null);
    else {
      const when = parseCtime(line);
      if (when) logins.set(name, when);
    }
  }
  return { tool, logins };
}

/** Users and groups granted ALL commands in sudoers (aliases expanded one level). */
export function parseSudoersAll(files: FileBlock[]): { users: string[]; groups: string[] } {
  const aliases = new Map<string, string[]>();
  const users = new Set<string>();
  const groups = new Set<string>();
  const lines = files
    .flatMap((f) => f.content.replace(/\\\n/g, " ").split("\n"))
    .map((l) => l.replace(/(^|\s)#(?![0-9]).*$/, "").trim())
    .filter(Boolean);
  for (const line of lines) {
    const a = /^User_Alias\s+(.+)$/.exec(line);
    if (a?.[1]) {
      for (const def of a[1].split(":")) {
        const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.+)$/.exec(def);
        if (m?.[1] && m[2]) aliases.set(m[1], m[2].split(",").map((x) => x.trim()));
      }
    }
  }
  for (const line of lines) {
    if (/^(Defaults|User_Alias|Runas_Alias|Host_Alias|Cmnd_Alias|Cmd_Alias|@include|#include)/.test(line)) continue;
    const m = /^(\S+(?:\s*,\s*\S+)*)\s+(.+?)=(.*)$/.exec(line);
    if (!m || !m[1] || m[3] === undefined) continue;
    // Commands after an optional (runas) and TAG: list; one of them must be ALL.
    const cmds = m[3].replace(/^\s*\([^)]*\)/, "").replace(/\b[A-Z_]+:/g, "").split(",").map((c) => c.trim());
    if (!cmds.includes("ALL")) continue;
    for (const who of m[1].split(",").map((w) => w.trim())) {
      const expanded = aliases.get(who) ?? [who];
      for (const w of expanded) {
        if (w.startsWith("%")) groups.add(w.slice(1).replace(/^:/, ""));
        else if (w !== "" && !w.startsWith("!")) users.add(w);
      }
    }
  }
  return { users: [...users], groups: [...groups] };
}

const NON_INTERACTIVE = /(^|\/)(nologin|false|sync|halt|shutdown)$/;
const ADMIN_GROUPS = ["sudo", "wheel", "admin"];

export function parseAccounts(probe: ProbeOutput): AccountsFacts {
  const passwdText = probe.text("passwd", "getent passwd");
  const groupText = probe.text("group", "getent group");
  const groups = typeof groupText === "string" ? parseGroup(groupText) : [];
  const groupByGid = new Map(groups.map((g) => [g.gid, g.name]));
  const passwd = typeof passwdText === "string" ? parsePasswd(passwdText) : null;

  const shadowText = probe.text("shadow", "/etc/shadow");
  const shadow =
    typeof shadowText === "string"
      ? parseShadow(shadowText)
      : unknown(shadowText.reason.includes("needs root") ? "needs root: /etc/shadow not readable" : shadowText.reason);

  const llText = probe.text("lastlogin", "last login (lastlog/last)");
  const lastLogins = typeof llText === "string" ? parseLastLogin(llText) : llText;

  const membersOf = (groupName: string): string[] => {
    const g = groups.find((x) => x.name === groupName);
    if (!g) return [];
    const primary = (passwd ?? []).filter((p) => p.gid === g.gid).map((p) => p.name);
    return [...new Set([...g.members, ...primary])];
  };

  let users: AccountsFacts["users"];
  if (passwd === null) users = passwdText as Unknown;
  else {
    users = passwd.map((p): AccountFacts => {
      const sh = isUnknown(shadow) ? undefined : shadow.get(p.name);
      const fromShadow = <T>(pick: (e: ShadowEntry) => T): T | Unknown =>
        isUnknown(shadow) ? shadow : sh ? pick(sh) : unknown(`${p.name} has no /etc/shadow entry (directory account?)`);
      const primary = groupByGid.get(p.gid);
      const supplementary = groups.filter((g) => g.members.includes(p.name)).map((g) => g.name);
      let lastLogin: AccountFacts["lastLogin"];
      if (isUnknown(lastLogins)) lastLogin = lastLogins;
      else lastLogin = lastLogins.logins.get(p.name) ?? null;
      return {
        name: p.name,
        uid: p.uid,
        gid: p.gid,
        gecos: p.gecos,
        home: p.home,
        shell: p.shell,
        interactive: p.shell !== "" && !NON_INTERACTIVE.test(p.shell),
        password: fromShadow((e) => e.status),
        passwordChanged: fromShadow((e) => e.lastChange),
        expires: fromShadow((e) => e.expires),
        lastLogin,
        groups: [...new Set([...(primary ? [primary] : []), ...supplementary])],
      };
    });
  }

  const adminGroupMembers: AccountsFacts["adminGroupMembers"] =
    typeof groupText === "string" ? [...new Set(ADMIN_GROUPS.flatMap(membersOf))].sort() : groupText;

  let privileged: AccountsFacts["privileged"];
  const sudoers = probe.files("sudoers", "/etc/sudoers");
  if (!Array.isArray(sudoers)) privileged = sudoers.reason.startsWith("needs root") ? unknown("needs root: /etc/sudoers not readable") : sudoers;
  else if (sudoers.some((f) => f.denied)) privileged = unknown("needs root: /etc/sudoers not readable");
  else if (passwd === null || typeof groupText !== "string") privileged = unknown("accounts or groups not readable");
  else {
    const grants = parseSudoersAll(sudoers);
    const names = new Set<string>([
      ...passwd.filter((p) => p.uid === 0).map((p) => p.name),
      ...(Array.isArray(adminGroupMembers) ? adminGroupMembers : []),
      ...grants.users.filter((u) => u !== "ALL"),
      ...grants.groups.flatMap(membersOf),
    ]);
    privileged = [...names].sort();
  }

  const ua = probe.text("useradd", "useradd -D");
  let defaultInactiveDays: AccountsFacts["defaultInactiveDays"];
  if (typeof ua !== "string") defaultInactiveDays = ua;
  else {
    const v = keyValues(ua).get("INACTIVE");
    defaultInactiveDays = v !== undefined && /^-?\d+$/.test(v) ? Number(v) : null;
  }
  return { users, privileged, adminGroupMembers, defaultInactiveDays };
}

/** The `accounts` probe section: accounts.sh beside this module, parsed by parseAccounts. */
export const accountsSection = defineSection({
  key: "accounts",
  schema: Accounts,
  source: "getent passwd; /etc/shadow (status only); getent group; /etc/sudoers(.d); lastlog; useradd -D",
  script: new URL("./accounts.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseAccounts(probe),
  doc: {
    heading: "`getent passwd`, `/etc/shadow` (reduced on the target), `getent group`, `/etc/sudoers(.d)` (root), `lastlog` (else `lastlog2`, else `last -F -w`), `useradd -D`",
    body: [
      "| fact | meaning |",
      "|---|---|",
      "| `users[]` | `{name, uid, gid, gecos, home, shell, interactive, password, passwordChanged, expires, lastLogin, groups[]}` |",
      "| `users[].interactive` | shell is not nologin/false/sync/halt/shutdown |",
      "| `users[].password` | `set`, `empty`, `locked` (`!`/`*` prefix). The probe's awk turns /etc/shadow into `name:status:lastchange:max:inactive:expire` on the target: hashes never leave it. Unknown (needs root) when shadow is unreadable |",
      "| `users[].passwordChanged`, `expires` | ISO dates from shadow fields 3 and 8; `null` when empty |",
      "| `users[].lastLogin` | ISO time; `null` when never logged in (for `last`: not in wtmp) |",
      "| `privileged` | uid 0 users, sudo/wheel/admin members, users and group members granted `ALL` in sudoers (aliases expanded); unknown without root |",
      "| `adminGroupMembers` | sudo/wheel/admin members (incl. primary group), readable without root |",
      "| `defaultInactiveDays` | `useradd -D` INACTIVE (-1 = never) |",
    ].join("\n"),
  },
});
