import type { HostFacts } from "../../facts/host.js";
import { parseSections } from "../section.js";
import type { SplitOutput } from "../sections.js";
import { ProbeOutput, probeUid } from "../posix/probe-output.js";
import { LINUX_SECTIONS } from "./sections.js";

export { probeUid };

/** Where each facts section comes from: shown as the evidence source. */
export const LINUX_SOURCES: Record<string, string> = Object.fromEntries(LINUX_SECTIONS.map((s) => [s.key, s.source]));

export interface ParsedHost {
  facts: HostFacts;
  sources: Record<string, string>;
}

/** Turns a split Linux probe run into host facts. Never throws on odd output: a parser that fails gives unknown. */
export function parseLinux(split: SplitOutput, now: Date): ParsedHost {
  const { facts, sources } = parseSections(LINUX_SECTIONS, new ProbeOutput(split, probeUid(split)), now);
  return { facts: facts as HostFacts, sources };
}
