import type { Static } from "@sinclair/typebox";
import type { Updates } from "../../facts/host-linux.js";
import { unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "./probe-output.js";

export type UpdatesFacts = Static<typeof Updates>;

export interface PendingUpdates {
  total: number;
  security: string[];
  metadataUpdated: string | null;
}

/**
 * `apt-get -s dist-upgrade` Inst lines: `Inst openssl [3.0.17-1~deb12u2] (3.0.18-1~deb12u1
 * Debian-Security:12/oldstable-security [amd64])`; security when one origin is a -security suite.
 */
export function parseAptSimulation(text: string): PendingUpdates {
  let total = 0;
  const security: string[] = [];
  let metadataUpdated: string | null = null;
  for (const line of text.split("\n")) {
    const inst = /^Inst\s+(\S+)(?:\s+\[[^\]]*\])?\s+\((.*)\)/.exec(line);
    if (inst?.[1]) {
      total++;
      if (/security/i.test(inst[2] ?? "")) security.push(inst[1]);
      continue;
    }
    const lu = /^lists-updated=(\d+)\s*$/.exec(line);
    if (lu?.[1]) metadataUpdated = new Date(Number(lu[1]) * 1000).toISOString();
  }
  return { total, security: [...new Set(security)], metadataUpdated };
}

/** Package name from a NEVRA such as `openssl-libs-1:3.0.7-27.el9.x86_64`. */
export function nevraName(nevra: string): string {
  const noArch = nevra.replace(/\.(x86_64|aarch64|i686|noarch|ppc64le|s390x|armv7hl|src)$/, "");
  const m = /^(.+)-[^-]+-[^-]+$/.exec(noArch);
  return m?.[1] ?? noArch;
}

/** `dnf updateinfo list --security`: ADVISORY TYPE NEVRA per line. */
export function parseDnfSecurity(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 3 && /sec/i.test(f[1] ?? "") && f[2]) out.add(nevraName(f[2]));
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
    const t = probe.text("apt", "apt-get -s dist-upgrade");
    if (typeof t !== "string") return { manager: "apt", pendingSecurity: t, pendingTotal: t, packages: t, metadataUpdated: t };
    const p = parseAptSimulation(t);
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
