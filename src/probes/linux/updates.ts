import { Type, type Static } from "@sinclair/typebox";
import { Known, Nullable, Num, Str, StrList, unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

/** Pending updates as the package manager's local metadata sees them (nothing is downloaded). */
export const Updates = Type.Object({
  /** apt or dnf; null when neither is present. */
  manager: Known(Nullable(Str)),
  pendingSecurity: Known(Num),
  pendingTotal: Known(Num),
  /** Names of the packages with a pending security update. */
  packages: Known(StrList),
  /** ISO time the package metadata was last refreshed (apt: newest lists/*Release); null when not known. */
  metadataUpdated: Known(Nullable(Str)),
});

export type UpdatesFacts = Static<typeof Updates>;

export interface PendingUpdates {
  total: number;
  security: string[];
  metadataUpdated: string | null;
}

/**
 * Security archives from the headers of apt's downloaded Release files (`<file>:Label: Debian-Security`,
 * `<file>:Suite: oldstable-security`, `<file>:Codename: bookworm-security`): their suite and codename.
 * Names that a non-security archive uses too (Debian 10 and older: security and main are both
 * `buster`) are returned as ambiguous: `apt list` cannot tell their packages apart.
 */
export function securitySuites(releases: string): { security: Set<string>; ambiguous: Set<string> } {
  const byFile = new Map<string, Map<string, string>>();
  for (const line of releases.split("\n")) {
    const m = /^(.*?):(Origin|Label|Suite|Codename):\s*(.*)$/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    const fields = byFile.get(m[1]) ?? new Map<string, string>();
    if (!fields.has(m[2])) fields.set(m[2], (m[3] ?? "").trim());
    byFile.set(m[1], fields);
  }
  const security = new Set<string>();
  const other = new Set<string>();
  for (const f of byFile.values()) {
    const suite = f.get("Suite");
    const codename = f.get("Codename");
    const isSecurity = /security/i.test(f.get("Label") ?? "") || /-security$/.test(suite ?? "") || /-security$/.test(codename ?? "");
    for (const name of [suite, codename]) if (name) (isSecurity ? security : other).add(name);
  }
  const ambiguous = new Set([...security].filter((x) => other.has(x)));
  for (const x of ambiguous) security.delete(x);
  return { security, ambiguous };
}

/**
 * The `apt` section: `tool=apt-list` then `apt list --upgradable` lines
 * (`openssl/oldstable-security 3.0.22-1~deb12u2 amd64 [upgradable from: …]`), or `tool=apt-get` then
 * `apt-get -s dist-upgrade` Inst lines (`Inst openssl [old] (new Debian-Security:12/… [amd64])`);
 * then `lists-updated=<epoch>`. A package is a security update when one of its archives is a
 * security archive (from the Release files) or is named *-security.
 */
export function parseAptPending(text: string, security: Set<string> = new Set()): PendingUpdates {
  let total = 0;
  const sec: string[] = [];
  let metadataUpdated: string | null = null;
  for (const line of text.split("\n")) {
    const inst = /^Inst\s+(\S+)(?:\s+\[[^\]]*\])?\s+\((.*)\)/.exec(line);
    if (inst?.[1]) {
      total++;
      if (/security/i.test(inst[2] ?? "")) sec.push(inst[1]);
      continue;
    }
    const listed = /^([^\s/]+)\/(\S+)\s+\S+\s+\S+\s+\[upgradable from:/.exec(line);
    if (listed?.[1] && listed[2]) {
      total++;
      const suites = listed[2].split(",");
      if (suites.some((s) => security.has(s) || /-security$/.test(s))) sec.push(listed[1]);
      continue;
    }
    const lu = /^lists-updated=(\d+)\s*$/.exec(line);
    if (lu?.[1]) metadataUpdated = new Date(Number(lu[1]) * 1000).toISOString();
  }
  return { total, security: [...new Set(sec)], metadataUpdated };
}

/** Package name from a NEVRA such as `openssl-libs-1:3.0.7-27.el9.x86_64`. */
export function nevraName(nevra: string): string {
  const noArch = nevra.replace(/\.(x86_64|aarch64|i686|noarch|ppc64le|s390x|armv7hl|src)$/, "");
  const m = /^(.+)-[^-]+-[^-]+$/.exec(noArch);
  return m?.[1] ?? noArch;
}

const NEVRA = /^\S+-[^-\s]+-[^-\s]+\.(x86_64|aarch64|noarch|i686|ppc64le|s390x|armv7hl)$/;

/**
 * `dnf updateinfo list --security`: `ADVISORY SEVERITY/Sec. NEVRA` per line (dnf 4), or
 * `ADVISORY security SEVERITY NEVRA DATE` (dnf 5's advisory list). The package is the field that
 * looks like a NEVRA.
 */
export function parseDnfSecurity(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || !/sec/i.test(f[1] ?? "")) continue;
    const nevra = f.slice(2).find((x) => NEVRA.test(x));
    if (nevra) out.add(nevraName(nevra));
  }
  return [...out];
}

/** `dnf check-update` (exit 100 when updates exist): `name.arch version repo` lines. */
export function parseDnfCheckUpdate(text: string): number {
  let n = 0;
  for (const line of text.split("\n")) {
    if (/^Obsoleting Packages/i.test(line.trim())) break;
    const f = line.trim().split(/\s+/);
    if (f.length === 3 && /\.[\w]+$/.test(f[0] ?? "") && /\d/.test(f[1] ?? "")) n++;
  }
  return n;
}

export function parseUpdates(probe: ProbeOutput): UpdatesFacts {
  if (probe.has("apt-get")) {
    const t = probe.text("apt", "apt list --upgradable");
    if (typeof t !== "string") return { manager: "apt", pendingSecurity: t, pendingTotal: t, packages: t, metadataUpdated: t };
    const releases = probe.text("apt-releases", "/var/lib/apt/lists/*Release");
    const suites = typeof releases === "string" ? securitySuites(releases) : { security: new Set<string>(), ambiguous: new Set<string>() };
    const p = parseAptPending(t, suites.security);
    const listTool = t.startsWith("tool=apt-list");
    if (listTool && suites.ambiguous.size > 0) {
      const u = unknown(`apt list cannot tell security updates apart: the security archive shares the name ${[...suites.ambiguous].join(", ")} with the main archive`);
      return { manager: "apt", pendingSecurity: u, pendingTotal: p.total, packages: u, metadataUpdated: p.metadataUpdated };
    }
    return { manager: "apt", pendingSecurity: p.security.length, pendingTotal: p.total, packages: p.security, metadataUpdated: p.metadataUpdated };
  }
  if (probe.has("dnf")) {
    const sec = probe.text("dnf-security", "dnf updateinfo list --security");
    const all = probe.text("dnf-updates", "dnf check-update", [0, 100]);
    const names = typeof sec === "string" ? parseDnfSecurity(sec) : sec;
    return {
      manager: "dnf",
      pendingSecurity: Array.isArray(names) ? names.length : names,
      pendingTotal: typeof all === "string" ? parseDnfCheckUpdate(all) : all,
      packages: names,
      metadataUpdated: null,
    };
  }
  const presence = probe.presence();
  if (!presence) {
    const u = unknown("installed programs not known (presence section unreadable)");
    return { manager: u, pendingSecurity: u, pendingTotal: u, packages: u, metadataUpdated: u };
  }
  const u = unknown("no supported package manager (apt, dnf)");
  return { manager: null, pendingSecurity: u, pendingTotal: u, packages: u, metadataUpdated: u };
}

/** The `updates` probe section: updates.sh beside this module, parsed by parseUpdates. */
export const updatesSection = defineSection({
  key: "updates",
  schema: Updates,
  source: "apt list --upgradable; /var/lib/apt/lists/*Release",
  script: new URL("./updates.sh", import.meta.url),
  slow: true,
  parse: (probe: ProbeOutput) => parseUpdates(probe),
  sourceOf: (fact, probe) => {
    if ("manager" in fact && fact.manager === "dnf") return "dnf -C updateinfo list --security; dnf -C check-update";
    if (probe.section("apt")?.stdout.startsWith("tool=apt-get")) return "apt-get -s dist-upgrade";
    return undefined;
  },
  doc: {
    heading: "`apt list --upgradable` + the headers of `/var/lib/apt/lists/*Release` (apt), `apt-get -s -o Debug::NoLocking=1 dist-upgrade` (apt without the `apt` front end), `dnf -q -C updateinfo list --security` + `dnf -q -C check-update` (dnf)",
    body: [
      "`manager` (`apt`, `dnf`, `null`), `pendingTotal`, `pendingSecurity` and `packages[]` (names with a",
      "security update: an archive whose Release file is labelled `*Security*` or whose suite/codename is `*-security`), `metadataUpdated` (newest",
      "apt `lists/*Release` time, `null` for dnf). Only local metadata is used — nothing is downloaded — so a",
      "host whose lists are old shows old numbers: compare `metadataUpdated`. `apt list` is used rather than",
      "simulating a dist-upgrade because it is about four times faster (no resolver run). On Debian 10 and",
      "older the security archive shares its suite name with the main archive, so `pendingSecurity` is",
      "unknown there.",
    ].join("\n"),
  },
});
