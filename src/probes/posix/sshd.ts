import { Type, type Static } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num, Str, StrList, unknown, type Unknown } from "../../facts/unknown.js";
import type { FileBlock } from "../sections.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

/**
 * OpenSSH server settings. With `sshd -T` these are the effective global values; from the config files
 * (non-root), the first value outside a Match block wins and OpenSSH's documented default fills in
 * settings that are not set (algorithm lists stay unknown: their default depends on the build).
 * Numbers are raw: since OpenSSH 8.2 `ClientAliveCountMax 0` disables termination, and
 * ClientAlive* only detect dead clients — an idle but connected user is only logged out by
 * ChannelTimeout/UnusedConnectionTimeout (9.2+) or a shell TMOUT.
 */
export const Sshd = Type.Object({
  /** The sshd binary is present. */
  installed: Bool,
  /** An sshd process runs (or systemd reports ssh/sshd active). */
  running: Known(Bool),
  /** `sshd -T` (effective, as root) or `config` (files read with their Include). */
  method: Type.Union([Type.Literal("sshd -T"), Type.Literal("config")]),
  /** e.g. `OpenSSH_9.2p1 Debian-2+deb12u3`. */
  version: Known(Nullable(Str)),
  /** yes, prohibit-password (the old name without-password is reported as prohibit-password), forced-commands-only, no. */
  permitRootLogin: Known(Str),
  passwordAuthentication: Known(Bool),
  kbdInteractiveAuthentication: Known(Bool),
  permitEmptyPasswords: Known(Bool),
  pubkeyAuthentication: Known(Bool),
  /** AuthenticationMethods as written; `any` when not set. */
  authenticationMethods: Known(Str),
  usePam: Known(Bool),
  clientAliveInterval: Known(Num),
  clientAliveCountMax: Known(Num),
  /**
   * ChannelTimeout (OpenSSH 9.2+) in seconds for interactive sessions: the smallest interval among the
   * `session`, `session:*`, `*` and `global` entries. The real idle logout for an interactive
   * session. null when not set or `none` (no limit).
   */
  channelTimeoutSession: Known(Nullable(Num)),
  /** UnusedConnectionTimeout (9.2+) in seconds; null when not set. */
  unusedConnectionTimeout: Known(Nullable(Num)),
  ciphers: Known(StrList),
  macs: Known(StrList),
  kexAlgorithms: Known(StrList),
  x11Forwarding: Known(Bool),
  maxAuthTries: Known(Num),
  logLevel: Known(Str),
});

export type SshdFacts = Static<typeof Sshd>;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * OpenSSH time format (sshd_config(5) TIME FORMATS): `600`, `10m`, `1h30m`, `1W`. Returns seconds,
 * or null when the text is not a time.
 */
export function parseSshTime(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === "") return null;
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^(\d+[smhdw])+$/.test(t)) return null;
  let total = 0;
  for (const m of t.matchAll(/(\d+)([smhdw])/g)) total += Number(m[1]) * (UNITS[m[2] ?? "s"] ?? 1);
  return total;
}

/**
 * ChannelTimeout value (`session=15m agent-connection=1h`, or `none`): the smallest timeout that
 * applies to interactive session channels (`session`, `session:*`, `*`, `global`); null when none.
 */
export function channelTimeoutSession(value: string): number | null {
  let best: number | null = null;
  for (const pair of value.trim().split(/[\s,]+/)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const type = pair.slice(0, eq).toLowerCase();
    if (!(type === "session" || type.startsWith("session:") || type === "*" || type === "global")) continue;
    const secs = parseSshTime(pair.slice(eq + 1));
    if (secs !== null && secs > 0 && (best === null || secs < best)) best = secs;
  }
  return best;
}

/** `sshd -T` output: lowercase keyword → values (repeated keywords such as listenaddress collected). */
export function parseSshdT(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m || !m[1]) continue;
    const k = m[1].toLowerCase();
    out.set(k, [...(out.get(k) ?? []), (m[2] ?? "").trim()]);
  }
  return out;
}

/** Turns a glob from an Include line into a matcher of absolute paths (relative ones are under /etc/ssh). */
function globMatcher(pattern: string): RegExp {
  const abs = pattern.startsWith("/") ? pattern : `/etc/ssh/${pattern}`;
  let re = "";
  for (let i = 0; i < abs.length; i++) {
    const c = abs[i] as string;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const close = abs.indexOf("]", i + 1);
      if (close > i) {
        re += `[${abs.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = close;
      } else re += "\\[";
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * The global settings of sshd_config with Include files spliced in where they are included; the
 * first value of a keyword wins, as in sshd. Lines after a Match (until the end of that file)
 * are conditional and skipped.
 */
export function parseSshdConfig(files: FileBlock[], root = "/etc/ssh/sshd_config"): Map<string, string[]> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out = new Map<string, string[]>();
  const visit = (path: string, depth: number) => {
    const file = byPath.get(path);
    if (!file || file.denied || depth > 4) return;
    let inMatch = false;
    for (const raw of file.content.split("\n")) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
      if (!m || !m[1]) continue;
      const key = m[1].toLowerCase();
      const value = (m[2] ?? "").trim().replace(/^"(.*)"$/, "$1");
      if (key === "match") {
        inMatch = true;
        continue;
      }
      if (key === "include") {
        for (const pat of value.split(/\s+/)) {
          const re = globMatcher(pat);
          files
            .map((f) => f.path)
            .filter((p) => re.test(p))
            .sort()
            .forEach((p) => visit(p, depth + 1));
        }
        continue;
      }
      if (inMatch) continue;
      if (!out.has(key)) out.set(key, [value]);
    }
  };
  visit(root, 0);
  return out;
}

/** Defaults of OpenSSH (sshd_config(5)) for settings that do not vary by build. */
const DEFAULTS: Record<string, string> = {
  permitrootlogin: "prohibit-password",
  passwordauthentication: "yes",
  kbdinteractiveauthentication: "yes",
  permitemptypasswords: "no",
  pubkeyauthentication: "yes",
  authenticationmethods: "any",
  usepam: "no",
  clientaliveinterval: "0",
  clientalivecountmax: "3",
  channeltimeout: "none",
  unusedconnectiontimeout: "none",
  x11forwarding: "no",
  maxauthtries: "6",
  loglevel: "INFO",
};

const ALIASES: Record<string, string> = { challengeresponseauthentication: "kbdinteractiveauthentication" };

export function parseSshd(probe: ProbeOutput): SshdFacts {
  const installed = probe.has("sshd") ?? probe.section("sshd-t")?.missing === undefined;
  const procs = probe.processes();
  const units = probe.units();
  let running: SshdFacts["running"];
  if (procs?.has("sshd") || units?.get("ssh") === "active" || units?.get("sshd") === "active") running = true;
  else if (procs) running = false;
  else running = unknown("process list not readable");

  const vText = probe.text("ssh-version", "ssh -V");
  const version =
    typeof vText === "string" ? (/OpenSSH_[^\s,]+(?:\s+[^\s,]+)?/.exec(vText)?.[0] ?? null) : vText;

  const tText = probe.text("sshd-t", "sshd -T");
  let settings: Map<string, string[]>;
  let method: SshdFacts["method"];
  let configNote: Unknown | null = null;
  if (typeof tText === "string" && tText.trim() !== "") {
    settings = parseSshdT(tText);
    method = "sshd -T";
  } else {
    method = "config";
    const files = probe.files("sshd-config", "/etc/ssh/sshd_config");
    if (!Array.isArray(files)) {
      settings = new Map();
      configNote = files;
    } else {
      const main = files.find((f) => f.path === "/etc/ssh/sshd_config");
      if (!main) {
        settings = new Map();
        configNote = unknown("/etc/ssh/sshd_config not found");
      } else if (main.denied) {
        settings = new Map();
        configNote = unknown("needs root: /etc/ssh/sshd_config not readable");
      } else settings = parseSshdConfig(files);
    }
  }
  for (const [alias, key] of Object.entries(ALIASES)) {
    const v = settings.get(alias);
    if (v && !settings.has(key)) settings.set(key, v);
  }

  const notInstalled = installed ? null : unknown("sshd not installed");
  const raw = (key: string, fromDefault = true): string | Unknown => {
    if (notInstalled) return notInstalled;
    if (configNote) return configNote;
    const v = settings.get(key)?.[0];
    if (v !== undefined) return v;
    if (method === "config" && fromDefault && DEFAULTS[key] !== undefined) return DEFAULTS[key];
    // sshd -T leaves these out when unset (and OpenSSH before 9.2 has no such option at all).
    if (method === "sshd -T" && (key === "channeltimeout" || key === "unusedconnectiontimeout")) return "none";
    return method === "sshd -T"
      ? unknown(`${key} missing from sshd -T output (older OpenSSH?)`)
      : unknown(`${key} not set in sshd_config; its default depends on the OpenSSH build (run as root for sshd -T)`);
  };
  const s = (key: string): string | Unknown => raw(key);
  const b = (key: string): boolean | Unknown => {
    const v = raw(key);
    return typeof v === "string" ? v.toLowerCase() === "yes" : v;
  };
  const n = (key: string): number | Unknown => {
    const v = raw(key);
    if (typeof v !== "string") return v;
    const secs = parseSshTime(v);
    return secs ?? unknown(`${key} value not understood: ${v.slice(0, 80)}`);
  };
  const list = (key: string): string[] | Unknown => {
    const v = raw(key, false);
    return typeof v === "string" ? v.split(",").map((x) => x.trim()).filter(Boolean) : v;
  };
  const ct = raw("channeltimeout");
  const uct = raw("unusedconnectiontimeout");

  return {
    installed,
    running: installed ? running : false,
    method,
    // Without sshd the probe can only see the ssh client's version, which says nothing about a server.
    version: installed ? version : unknown("sshd not installed"),
    // `without-password` is OpenSSH's old name for `prohibit-password` (sshd -T in 9.2 still prints it).
    permitRootLogin: ((v) => (v === "without-password" ? "prohibit-password" : v))(s("permitrootlogin")),
    passwordAuthentication: b("passwordauthentication"),
    kbdInteractiveAuthentication: b("kbdinteractiveauthentication"),
    permitEmptyPasswords: b("permitemptypasswords"),
    pubkeyAuthentication: b("pubkeyauthentication"),
    authenticationMethods: s("authenticationmethods"),
    usePam: b("usepam"),
    clientAliveInterval: n("clientaliveinterval"),
    clientAliveCountMax: n("clientalivecountmax"),
    channelTimeoutSession: typeof ct === "string" ? channelTimeoutSession(ct) : ct,
    unusedConnectionTimeout:
      typeof uct === "string" ? (uct.toLowerCase() === "none" ? null : parseSshTime(uct) || null) : uct,
    ciphers: list("ciphers"),
    macs: list("macs"),
    kexAlgorithms: list("kexalgorithms"),
    x11Forwarding: b("x11forwarding"),
    maxAuthTries: n("maxauthtries"),
    logLevel: s("loglevel"),
  };
}

/** The `sshd` probe section: sshd.sh beside this module, parsed by parseSshd. */
export const sshdSection = defineSection({
  key: "sshd",
  schema: Sshd,
  source: "sshd -T",
  script: new URL("./sshd.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseSshd(probe),
  sourceOf: (fact) => ("method" in fact && fact.method === "config" ? "/etc/ssh/sshd_config and its Include files" : undefined),
  doc: {
    heading: "`sshd -T` as root, else `/etc/ssh/sshd_config` with its `Include` files; `sshd -V`/`ssh -V`; running processes",
    body: [
      "| fact | meaning |",
      "|---|---|",
      "| `installed`, `running` | sshd binary present; an `sshd` process runs (or systemd says ssh/sshd active) |",
      "| `method` | `sshd -T` (effective values) or `config` (files: first value outside `Match` wins; OpenSSH's documented defaults fill unset stable settings; algorithm lists unset stay unknown) |",
      "| `version` | e.g. `OpenSSH_9.2` (sshd's own banner) |",
      "| `permitRootLogin` | `yes`, `prohibit-password` (also for the old name `without-password`), `forced-commands-only`, `no` |",
      "| `passwordAuthentication`, `kbdInteractiveAuthentication` (ChallengeResponseAuthentication on old versions), `permitEmptyPasswords`, `pubkeyAuthentication`, `usePam`, `x11Forwarding` | booleans |",
      "| `authenticationMethods`, `logLevel` | as written (`any` when unset) |",
      "| `clientAliveInterval`, `clientAliveCountMax`, `maxAuthTries` | numbers (seconds for the interval) |",
      "| `channelTimeoutSession` | ChannelTimeout (9.2+) for interactive sessions in seconds: smallest of `session`, `session:*`, `*`, `global`; `null` when unset/`none` |",
      "| `unusedConnectionTimeout` | seconds, `null` when unset/`none` |",
      "| `ciphers`, `macs`, `kexAlgorithms` | lists |",
      "",
      "Raw numbers, no verdicts. Since OpenSSH 8.2 `ClientAliveCountMax 0` disables termination, and the",
      "ClientAlive* pair only detects dead clients; an idle but connected user is logged out only by",
      "`ChannelTimeout`/`UnusedConnectionTimeout` or a shell `TMOUT`.",
    ].join("\n"),
  },
});
