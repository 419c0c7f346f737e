import { Type, type Static } from "@sinclair/typebox";
import { Bool, Known, Str, StrList, unknown, type Unknown } from "../../facts/unknown.js";
import type { FileBlock } from "../sections.js";
import { keyValues, type ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

export const Audit = Type.Object({
  auditd: Type.Object({
    installed: Bool,
    active: Known(Bool),
    /** `auditctl -s` enabled flag (1 or 2 = on). */
    enabled: Known(Bool),
    rules: Known(StrList),
    /**
     * Which kinds of event the loaded rules watch: logins (lastlog/faillog/wtmp/btmp/faillock),
     * sudo (sudoers files or the sudo binary), identity (passwd/group/shadow/gshadow/opasswd),
     * time (adjtimex/settimeofday/clock_settime/localtime).
     */
    watches: Known(
      Type.Object({ logins: Bool, sudo: Bool, identity: Bool, time: Bool }),
    ),
  }),
  journald: Type.Object({
    /** Storage= as configured: persistent, volatile, auto, none. */
    storage: Known(Str),
    /** Logs survive reboot: Storage=persistent, or auto with /var/log/journal present. */
    persistent: Known(Bool),
  }),
  /**
   * Remote log destinations of running log daemons, as `<daemon> <protocol>://<host>[:port]`, e.g.
   * `rsyslog tcp://logs.example:514`, `syslog-ng udp://10.0.0.5`, `journal-upload https://…`.
   */
  forwarding: Known(StrList),
});

export type AuditFacts = Static<typeof Audit>;

/** `auditctl -l` lines; "No rules" gives []. */
export function parseAuditRules(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^No rules$/i.test(l));
}

/** Which kinds of event the loaded audit rules cover (by watched path, syscall or key). */
export function auditWatches(rules: string[]): { logins: boolean; sudo: boolean; identity: boolean; time: boolean } {
  const has = (re: RegExp) => rules.some((r) => re.test(r));
  return {
    logins: has(/\/var\/log\/(lastlog|faillog|wtmp|btmp)\b|\/var\/run\/faillock|\/run\/faillock|\/var\/log\/tallylog|(-k|key=)\s*logins\b/),
    sudo: has(/\/etc\/sudoers|\/usr\/bin\/sudo\b|(-k|key=)\s*(scope|actions|sudo\w*)\b/),
    identity: has(/\/etc\/(passwd|group|shadow|gshadow|security\/opasswd)\b|(-k|key=)\s*identity\b/),
    time: has(/\b(adjtimex|settimeofday|clock_settime|stime)\b|\/etc\/localtime\b|(-k|key=)\s*time[-_]change\b/),
  };
}

/** journald's effective Storage=: main file, then drop-ins by file name; the last assignment wins. */
export function journaldStorage(files: FileBlock[]): string {
  const main = files.filter((f) => f.path.endsWith("/journald.conf"));
  const dropins = files.filter((f) => !f.path.endsWith("/journald.conf"));
  const rank = (p: string) => (p.startsWith("/etc/") ? 3 : p.startsWith("/run/") ? 2 : 1);
  const byName = new Map<string, FileBlock>();
  for (const f of dropins) {
    const base = f.path.slice(f.path.lastIndexOf("/") + 1);
    const prev = byName.get(base);
    if (!prev || rank(f.path) > rank(prev.path)) byName.set(base, f);
  }
  const ordered = [...main, ...[...byName.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, f]) => f)];
  let storage = "auto";
  for (const f of ordered) {
    let section = "";
    for (const raw of f.content.split("\n")) {
      const line = raw.trim();
      const s = /^\[(.+)\]$/.exec(line);
      if (s?.[1]) section = s[1];
      else if (section === "Journal") {
        const m = /^Storage\s*=\s*(\S*)/.exec(line);
        if (m) storage = m[1] || "auto";
      }
    }
  }
  return storage.toLowerCase();
}

const hostPort = (host: string, port: string | undefined) => {
  const h = host.includes(":") ? `[${host}]` : host;
  return port ? `${h}:${port}` : h;
};

/** Remote destinations in rsyslog configuration (legacy @/@@ and :omrelp:, RainerScript omfwd/omrelp). */
export function rsyslogDestinations(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const l = line.trim();
    const legacy = /^[^\s#]+\s+(?:-\s*)?(@@?)(?:\([^)]*\))?\[?([A-Za-z0-9_.:-]+?)\]?(?::(\d+))?(?:;\S*)?\s*$/.exec(l);
    if (legacy?.[2]) out.push(`rsyslog ${legacy[1] === "@@" ? "tcp" : "udp"}://${hostPort(legacy[2], legacy[3])}`);
    const relp = /:omrelp:([A-Za-z0-9_.-]+)(?::(\d+))?/.exec(l);
    if (relp?.[1]) out.push(`rsyslog relp://${hostPort(relp[1], relp[2])}`);
  }
  for (const m of text.matchAll(/action\s*\(([^)]*)\)/gs)) {
    const body = m[1] ?? "";
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, "i").exec(body)?.[1];
    const type = attr("type")?.toLowerCase();
    if (type !== "omfwd" && type !== "omrelp") continue;
    const target = attr("target");
    if (!target) continue;
    const proto = type === "omrelp" ? "relp" : (attr("protocol") ?? "udp").toLowerCase();
    out.push(`rsyslog ${proto}://${hostPort(target, attr("port"))}`);
  }
  return out;
}

/** Network destinations in syslog-ng configuration. */
export function syslogNgDestinations(text: string): string[] {
  const out: string[] = [];
  for (const d of text.matchAll(/destination\s+[\w-]+\s*\{([\s\S]*?)\}\s*;/g)) {
    for (const m of (d[1] ?? "").matchAll(/\b(network|tcp6?|udp6?|syslog)\s*\(\s*"?([^"\s)]+)"?([^;]*)/g)) {
      const opts = m[3] ?? "";
      const transport = /transport\s*\(\s*"?(\w+)"?\s*\)/.exec(opts)?.[1];
      const port = /port\s*\(\s*(\d+)\s*\)/.exec(opts)?.[1];
      const kind = m[1] ?? "network";
      const proto = transport ?? (kind.startsWith("tcp") || kind === "syslog" ? "tcp" : "udp");
      out.push(`syslog-ng ${proto}://${hostPort(m[2] ?? "", port)}`);
    }
  }
  return out;
}

export function parseAudit(probe: ProbeOutput): AuditFacts {
  const installed = (probe.has("auditd") ?? false) || (probe.has("auditctl") ?? false);
  const procs = probe.processes();
  const units = probe.units();
  const notInstalled = unknown("auditd not installed");
  let active: AuditFacts["auditd"]["active"];
  if (!installed) active = false;
  else if (procs?.has("auditd") || units?.get("auditd") === "active") active = true;
  else if (procs) active = false;
  else active = unknown("process list not readable");

  let enabled: AuditFacts["auditd"]["enabled"];
  const st = installed ? probe.text("auditctl-s", "auditctl -s") : notInstalled;
  if (typeof st === "string") {
    const v = keyValues(st, " ").get("enabled");
    enabled = v === undefined ? unknown("auditctl -s printed no enabled line") : v === "1" || v === "2";
  } else enabled = st;

  const rl = installed ? probe.text("auditctl-l", "auditctl -l") : notInstalled;
  const rules = typeof rl === "string" ? parseAuditRules(rl) : rl;
  const watches = Array.isArray(rules) ? auditWatches(rules) : rules;

  const jf = probe.files("journald", "journald.conf");
  let storage: string | Unknown;
  if (!Array.isArray(jf)) storage = jf;
  else if (jf.some((f) => f.denied)) storage = unknown("journald.conf not readable");
  else storage = journaldStorage(jf);
  let persistent: boolean | Unknown;
  const dirs = probe.text("journal-dirs", "/var/log/journal");
  if (typeof storage !== "string") persistent = storage;
  else if (storage === "persistent") persistent = true;
  else if (storage !== "auto") persistent = false;
  else if (typeof dirs !== "string") persistent = dirs;
  else persistent = keyValues(dirs).get("/var/log/journal") === "dir";

  return {
    auditd: { installed, active, enabled, rules, watches },
    journald: { storage, persistent },
    forwarding: parseForwarding(probe, procs, units),
  };
}

function parseForwarding(
  probe: ProbeOutput,
  procs: Set<string> | null,
  units: Map<string, string> | null,
): string[] | Unknown {
  const out: string[] = [];
  const running = (comm: string, unit: string) => procs === null || procs.has(comm) || units?.get(unit) === "active";
  const rs = probe.files("rsyslog", "rsyslog.conf");
  const ng = probe.files("syslog-ng", "syslog-ng.conf");
  const ju = probe.files("journal-upload", "journal-upload.conf");
  for (const part of [rs, ng, ju]) {
    if (!Array.isArray(part)) return part;
    const denied = part.find((f) => f.denied);
    if (denied) return unknown(`cannot read ${denied.path}`);
  }
  if (Array.isArray(rs) && running("rsyslogd", "rsyslog")) out.push(...rsyslogDestinations(rs.map((f) => f.content).join("\n")));
  if (Array.isArray(ng) && running("syslog-ng", "syslog-ng")) out.push(...syslogNgDestinations(ng.map((f) => f.content).join("\n")));
  if (Array.isArray(ju) && units?.get("systemd-journal-upload") === "active") {
    for (const f of ju) {
      const url = /^URL\s*=\s*(\S+)/m.exec(f.content)?.[1];
      if (url) out.push(`journal-upload ${url}`);
    }
  }
  return [...new Set(out)];
}

/** The `audit` probe section: audit.sh beside this module, parsed by parseAudit. */
export const auditSection = defineSection({
  key: "audit",
  schema: Audit,
  source: "auditctl -s; auditctl -l; journald.conf(.d); /var/log/journal; rsyslog/syslog-ng/journal-upload config",
  script: new URL("./audit.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseAudit(probe),
  doc: {
    heading: "`auditctl -s`, `auditctl -l` (root); journald.conf and drop-ins; `/var/log/journal`; rsyslog, syslog-ng and journal-upload configuration; running processes",
    body: [
      "| fact | meaning |",
      "|---|---|",
      "| `auditd.installed`, `auditd.active` | auditd/auditctl present; auditd process runs |",
      "| `auditd.enabled` | `auditctl -s` enabled is 1 or 2 |",
      "| `auditd.rules[]` | `auditctl -l` lines (`[]` for \"No rules\") |",
      "| `auditd.watches` | `{logins, sudo, identity, time}`: loaded rules cover lastlog/faillog/wtmp/btmp/faillock, sudoers/sudo, passwd/group/shadow/gshadow/opasswd, adjtimex/settimeofday/clock_settime/localtime (or the usual keys) |",
      "| `journald.storage` | effective `Storage=` (main file then drop-ins by name; `auto` when unset) |",
      "| `journald.persistent` | `persistent`, or `auto` with `/var/log/journal` present |",
      "| `forwarding[]` | remote destinations of *running* daemons: `rsyslog tcp://host:port` (`@@`), `udp://` (`@`), `relp://`, RainerScript omfwd/omrelp; `syslog-ng <proto>://host:port`; `journal-upload <URL>` when systemd-journal-upload is active |",
    ].join("\n"),
  },
});
