import type { HostFacts } from "../../facts/host.js";
import { ProbeOutput, probeUid } from "../posix/probe-output.js";
import { parseSections } from "../section.js";
import type { SplitOutput } from "../sections.js";
import { MACOS_SECTIONS } from "./sections.js";

/** Where each macOS facts section comes from: shown as the evidence source. */
export const MACOS_SOURCES: Record<string, string> = Object.fromEntries(MACOS_SECTIONS.map((s) => [s.key, s.source]));

/** Turns a split macOS probe run into host facts. Never throws on odd output: a parser that fails gives unknown. */
export function parseMacos(split: SplitOutput, now: Date): { facts: HostFacts; sources: Record<string, string> } {
  const { facts, sources } = parseSections(MACOS_SECTIONS, new ProbeOutput(split, probeUid(split)), now);
  return { facts: facts as HostFacts, sources };
}
