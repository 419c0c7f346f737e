import type { TSchema } from "@sinclair/typebox";
import type { Unknown } from "../../facts/unknown.js";
import type { ProbeSection } from "../section.js";
import type { Rec } from "./normalise.js";

/** What a Windows section's parser gets: the data of its own probe section and of any it `needs`. */
export interface WindowsInput {
  data: Rec;
  extra: Record<string, Rec | Unknown>;
}

/**
 * A Windows probe section: the common section shape, plus the name its `.ps1` fragment gives its
 * `Add-Section` block (the JSON key the parser reads) and other blocks it reads.
 */
export type WindowsSection<K extends string = string, S extends TSchema = TSchema> = ProbeSection<K, S, WindowsInput> & {
  readonly psSection: string;
  readonly needs?: readonly string[];
};

export function defineWindowsSection<K extends string, S extends TSchema>(section: WindowsSection<K, S>): WindowsSection<K, S> {
  return section;
}
