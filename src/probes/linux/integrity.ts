import { Type, type Static } from "@sinclair/typebox";
import { Bool, Known, Nullable, unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

export const Integrity = Type.Object({
  aide: Type.Object({
    installed: Bool,
    /** The AIDE database file exists (path from aide.conf, else the distribution default). */
    databaseInitialised: Known(Bool),
    /** A cron file mentions aide, or a (daily)aidecheck timer is enabled. */
    scheduled: Known(Bool),
  }),
  /** apt/dnf signature checking left on: no AllowUnauthenticated, trusted=yes, gpgcheck=0 anywhere. */
  packageSignatures: Known(Bool),
  /** UEFI Secure Boot state; null on a machine without EFI (BIOS boot, most containers). */
  secureBoot: Known(Nullable(Bool)),
});

export type IntegrityFacts = Static<typeof Integrity>;

/** The `aide` section: `conf <file> database…=…`, `db <path> present|absent|denied`, `cron <file>`. */
export function parseAideSection(text: string): {
  configured: string[];
  dbs: Map<string, string>;
  cron: string[];
  cronDenied: string[];
} {
  const configured: string[] = [];
  const dbs = new Map<string, string>();
  const cron: string[] = [];
  const cronDenied: string[] = [];
  for (const line of text.split("\n")) {
    const conf = /^conf \S+ \s*(?:database|database_in)\s*=\s*(?:file:)?(\S+)/.exec(line);
    if (conf?.[1]) configured.push(conf[1]);
    const db = /^db (\S+) (present|absent|denied)$/.exec(line);
    if (db?.[1] && db[2]) dbs.set(db[1], db[2]);
    const c = /^cron (\S+)$/.exec(line);
    if (c?.[1]) cron.push(c[1]);
    const cd = /^cron-denied (\S+)$/.exec(line);
    if (cd?.[1]) cronDenied.push(cd[1]);
  }
  return { configured, dbs, cron, cronDenied };
}

/** `pkgsig` grep hits (`file:line`) that turn signature checking off. */
export function signatureDisablers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("exists=") || line.trim() === "") continue;
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const content = line.slice(i + 1).trim();
    if (content.startsWith("#") || content.startsWith("//")) continue;
    const off =
      /(AllowUnauthenticated|AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)\s*"?\s*(true|yes|1)\b/i.test(content) ||
      /\btrusted\s*[=:]\s*yes\b/i.test(content) ||
      /^\s*(gpgcheck|localpkg_gpgcheck)\s*=\s*(0|false|no)\b/i.test(content);
    if (off) out.push(`${line.slice(0, i)}: ${content}`);
  }
  return out;
}

export function parseIntegrity(probe: ProbeOutput): IntegrityFacts {
  const installed = probe.has("aide") ?? false;
  const notInstalled = unknown("aide not installed");
  const aideText = probe.text("aide", "AIDE database and schedule");
  let databaseInitialised: IntegrityFacts["aide"]["databaseInitialised"];
  let scheduled: IntegrityFacts["aide"]["scheduled"];
  if (!installed) {
    databaseInitialised = notInstalled;
    scheduled = notInstalled;
  } else if (typeof aideText !== "string") {
    databaseInitialised = aideText;
    scheduled = aideText;
  } else {
    const a = parseAideSection(aideText);
    const states = [...a.dbs.values()];
    if (states.includes("present")) databaseInitialised = true;
    else if (states.includes("denied")) databaseInitialised = unknown("needs root: /var/lib/aide not readable");
    else databaseInitialised = false;
    const enabledUnits = probe.units("units-enabled");
    const timer = ["dailyaidecheck.timer", "aidecheck.timer", "aide-check.timer"].some((t) => enabledUnits?.get(t) === "enabled");
    if (a.cron.length > 0 || timer) scheduled = true;
    else if (a.cronDenied.length > 0) scheduled = unknown(`needs root: cannot read ${a.cronDenied.join(", ")}`);
    else scheduled = false;
  }

  const sig = probe.text("pkgsig", "apt/dnf configuration");
  const packageSignatures = typeof sig === "string" ? signatureDisablers(sig).length === 0 : sig;

  const sb = probe.text("secureboot", "Secure Boot state");
  let secureBoot: IntegrityFacts["secureBoot"];
  if (typeof sb !== "string") secureBoot = sb;
  else if (/^efi=no/m.test(sb)) secureBoot = null;
  else if (/SecureBoot enabled/i.test(sb)) secureBoot = true;
  else if (/SecureBoot disabled/i.test(sb)) secureBoot = false;
  else {
    // efivars: 4 attribute bytes, then the value byte.
    const bytes = /^efivar=\s*([\d ]+)/m.exec(sb)?.[1]?.trim().split(/\s+/);
    if (bytes && bytes.length >= 5) secureBoot = bytes[4] === "1";
    else secureBoot = unknown("EFI present but Secure Boot state not readable (mokutil missing, efivars unreadable)");
  }
  return { aide: { installed, databaseInitialised, scheduled }, packageSignatures, secureBoot };
}

/** The `integrity` probe section: integrity.sh beside this module, parsed by parseIntegrity. */
export const integritySection = defineSection({
  key: "integrity",
  schema: Integrity,
  source: "aide.conf, /var/lib/aide, cron/timers; apt/dnf config; mokutil --sb-state / efivars",
  script: new URL("./integrity.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseIntegrity(probe),
  doc: {
    heading: "aide.conf `database(_in)`, `/var/lib/aide`, cron files and aide timers; apt/dnf configuration; `mokutil --sb-state` / efivars",
    body: [
      "`aide.installed`, `aide.databaseInitialised` (the configured or default database file exists;",
      "unknown when /var/lib/aide is unreadable), `aide.scheduled` (a cron file mentions aide, or a",
      "(daily)aidecheck timer is enabled), `packageSignatures` (no `AllowUnauthenticated`,",
      "`AllowInsecureRepositories`, `trusted=yes`, `gpgcheck=0`, `localpkg_gpgcheck=0` anywhere),",
      "`secureBoot` (`true`/`false`; `null` without EFI; unknown when EFI is there but the state is",
      "unreadable).",
    ].join("\n"),
  },
});
