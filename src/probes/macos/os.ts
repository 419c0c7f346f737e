import type { Static } from "@sinclair/typebox";
import { Os } from "../../facts/host-common.js";
import { unknown, type Unknown } from "../../facts/unknown.js";
import { keyValues, type ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import { parseSwVers } from "./parsers.js";

/**
 * End of Apple security updates per major release (endoflife.date/macos: the date of the last
 * security update each release got). Releases not listed are treated as not known.
 */
const MACOS_EOL: Record<string, string> = {
  "10.13": "2020-12-14",
  "10.14": "2021-10-25",
  "10.15": "2022-09-12",
  "11": "2023-09-26",
  "12": "2024-09-16",
  "13": "2025-09-15",
};

function majorOf(version: string): string {
  const [a, b] = version.split(".");
  return a === "10" ? `10.${b ?? ""}` : (a ?? "");
}

type OsFacts = Static<typeof Os>;

export function parseOs(probe: ProbeOutput, now: Date): OsFacts | Unknown {
  const ident = probe.text("ident", "uname");
  if (typeof ident !== "string") return ident;
  const id = keyValues(ident);
  const swText = probe.text("sw-vers", "sw_vers");
  const sw = typeof swText === "string" ? parseSwVers(swText) : null;
  const why = typeof swText === "string" ? unknown("sw_vers output not understood") : swText;
  const eolDate = sw ? (MACOS_EOL[majorOf(sw.productVersion)] ?? null) : null;
  return {
    family: "macos",
    name: sw?.productName ?? "macOS",
    version: sw?.productVersion ?? "",
    id: "macos",
    kernel: id.get("kernel") ?? "",
    hostname: id.get("hostname") ?? "",
    arch: id.get("arch") ?? "",
    endOfLife: sw ? (eolDate ? now.toISOString().slice(0, 10) > eolDate : null) : why,
    endOfLifeDate: sw ? eolDate : why,
  };
}

/** The `os` probe section (macOS): os.sh beside this module (uname comes from the ident section). */
export const osSection = defineSection({
  key: "os",
  schema: Os,
  source: "uname; sw_vers",
  script: new URL("./os.sh", import.meta.url),
  parse: (probe: ProbeOutput, now: Date) => parseOs(probe, now),
  doc: { heading: "`uname`, `sw_vers`", body: "`family` `macos`; `name`, `version` from `sw_vers` (ProductName, ProductVersion); `endOfLife`/`endOfLifeDate` from the built-in table of the last security update per major release (`src/probes/macos/os.ts`)." },
});
