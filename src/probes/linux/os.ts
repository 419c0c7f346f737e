import type { Static } from "@sinclair/typebox";
import { Os } from "../../facts/host-common.js";
import { unknown, type Unknown } from "../../facts/unknown.js";
import { endOfLifeDate, isEndOfLife } from "./eol.js";
import { keyValues, type ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

export type OsFacts = Static<typeof Os>;

/** Parses os-release (shell-style KEY=value, values optionally quoted). */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m || !m[1]) continue;
    let v = (m[2] ?? "").trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out.set(m[1], v.replace(/\\(["$`\\])/g, "$1"));
  }
  return out;
}

/** The `ident` section: uid, kernel, arch, hostname (`id -u`, `uname`). */
export function parseIdent(text: string): Map<string, string> {
  return keyValues(text);
}

/** os: ident + /etc/os-release, with end of life from the built-in table. */
export function parseOs(probe: ProbeOutput, now: Date): OsFacts | Unknown {
  const ident = probe.text("ident", "uname");
  if (typeof ident !== "string") return ident;
  const id = parseIdent(ident);
  const rel = probe.text("os-release", "/etc/os-release");
  const osr = typeof rel === "string" ? parseOsRelease(rel) : new Map<string, string>();
  const distro = osr.get("ID") ?? "linux";
  const version = osr.get("VERSION_ID") ?? "";
  const eolDate = endOfLifeDate(distro, version);
  return {
    family: "linux",
    name: osr.get("NAME") ?? "Linux",
    version,
    id: distro,
    kernel: id.get("kernel") ?? "",
    hostname: id.get("hostname") ?? "",
    arch: id.get("arch") ?? "",
    endOfLife:
      typeof rel === "string"
        ? isEndOfLife(distro, version, now)
        : unknown(`/etc/os-release unreadable: ${rel.reason}`),
    endOfLifeDate: typeof rel === "string" ? eolDate : unknown(`/etc/os-release unreadable: ${rel.reason}`),
  };
}

/** The `os` probe section: os.sh beside this module, parsed by parseOs. */
export const osSection = defineSection({
  key: "os",
  schema: Os,
  source: "uname; /etc/os-release",
  script: new URL("./os.sh", import.meta.url),
  parse: (probe: ProbeOutput, now: Date) => parseOs(probe, now),
  doc: {
    heading: "`uname -s -r -m -n`, `id -u`, `/etc/os-release`",
    body: [
      "| fact | meaning |",
      "|---|---|",
      "| `family` | `linux` |",
      "| `name`, `version`, `id` | os-release `NAME`, `VERSION_ID`, `ID` (e.g. `Debian GNU/Linux`, `12`, `debian`) |",
      "| `kernel`, `arch`, `hostname` | `uname -r`, `uname -m`, `uname -n` |",
      "| `endOfLife` | end of free public security support has passed at collection time (built-in table `src/probes/linux/eol.ts`: Debian incl. LTS, Ubuntu standard support, RHEL/Rocky/Alma/Oracle maintenance support, CentOS, Amazon Linux, openSUSE Leap); `null` when the release is not in the table |",
      "| `endOfLifeDate` | that date (`YYYY-MM-DD`, month precision) or `null` |",
      "",
      "Locally, when /etc/os-release is missing, `systeminformation` fills `name`/`version`.",
    ].join("\n"),
  },
});
