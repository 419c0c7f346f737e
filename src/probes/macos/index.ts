import type { HostFacts } from "../../facts/host.js";
import { unknown } from "../../facts/unknown.js";
import type { SplitOutput } from "../sections.js";

/**
 * macOS parsers (placeholder: the macOS probe sections are filled in separately). For now only
 * `os` is derived from the shared `ident` section.
 */
export function parseMacos(split: SplitOutput, _now: Date): { facts: HostFacts; sources: Record<string, string> } {
  const ident = split.sections.get("ident");
  const kv = new Map<string, string>();
  for (const line of (ident?.stdout ?? "").split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return {
    facts: {
      os: {
        family: "macos",
        name: "macOS",
        version: "",
        id: "macos",
        kernel: kv.get("kernel") ?? "",
        hostname: kv.get("hostname") ?? "",
        arch: kv.get("arch") ?? "",
        endOfLife: unknown("macOS version not collected yet"),
      },
    },
    sources: { os: "uname" },
  };
}
