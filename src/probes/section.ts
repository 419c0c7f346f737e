import { Type, type Static, type TOptional, type TSchema, type TUnion } from "@sinclair/typebox";
import { Known, unknown, type Unknown, type UnknownSchema } from "../facts/unknown.js";

/**
 * A probe section is one module: the fact key it fills, the script fragment the probe runs for it
 * (a `.sh` or `.ps1` file beside the module), the TypeBox schema of the fact, the parser and where
 * the fact comes from (its evidence source). Each platform lists its sections once
 * (src/probes/linux/sections.ts, src/probes/macos/sections.ts, src/probes/windows/sections.ts);
 * that list drives the probe script, the parser dispatch, the host facts schema and docs/facts.md.
 */
export interface ProbeSection<K extends string = string, S extends TSchema = TSchema, In = unknown> {
  /** The fact key (`facts.<key>`). */
  readonly key: K;
  readonly schema: S;
  /** Commands and files the fact comes from, shown as the evidence source. */
  readonly source: string;
  /**
   * The script fragment beside the module (`new URL("./x.sh", import.meta.url)`). POSIX fragments
   * define `hs_<dir>_<file>` (e.g. `hs_linux_time_sync` for linux/time-sync.sh), Windows fragments
   * hold `Add-Section` blocks. Absent when the fact is read from sections another module's
   * fragment prints.
   */
  readonly script?: URL;
  /** POSIX only: the fragment runs beside the rest of the probe (package-manager queries). */
  readonly slow?: boolean;
  /** Turns the probe output into the fact; odd output gives unknown with a reason, never a throw (a throw is caught). */
  parse(input: In, now: Date): Static<S> | Unknown;
  /** A more exact source once the fact is known (e.g. `sshd -T` vs the config files). */
  sourceOf?(fact: Static<S> | Unknown, input: In): string | undefined;
  /** Markdown for docs/facts.md: the heading after the fact key (sources), and the body. */
  readonly doc: { readonly heading: string; readonly body: string };
}

/** Declares a section with its types inferred (so the parser is checked against the schema). */
export function defineSection<K extends string, S extends TSchema, In>(section: ProbeSection<K, S, In>): ProbeSection<K, S, In> {
  return section;
}

/** A registered list of one platform's sections. */
export type SectionList<In> = readonly ProbeSection<string, TSchema, In>[];

type KeysOf<L extends readonly ProbeSection[]> = L[number]["key"];
type SchemaOf<L extends readonly ProbeSection[], K> = Extract<L[number], { key: K }>["schema"];

/** The schema properties of a section list: `{ key: Optional(Known(schema)) }`, in list order. */
export function sectionProperties<L extends readonly ProbeSection[]>(
  list: L,
): { [K in KeysOf<L>]: TOptional<TUnion<[SchemaOf<L, K>, typeof UnknownSchema]>> } {
  const out: Record<string, TSchema> = {};
  for (const s of list) out[s.key] = Type.Optional(Known(s.schema));
  return out as never;
}

/**
 * Checks a platform list: keys unique, and a key shared with another platform carries the very
 * same schema (the host facts schema has one shape per key). Throws at load: a bad registry never
 * ships silently.
 */
export function checkSections(platform: string, list: readonly ProbeSection[], others: readonly ProbeSection[] = []): void {
  const seen = new Set<string>();
  for (const s of list) {
    if (seen.has(s.key)) throw new Error(`${platform} probe sections: key ${s.key} registered twice`);
    seen.add(s.key);
    const other = others.find((o) => o.key === s.key);
    if (other && other.schema !== s.schema) throw new Error(`${platform} probe section ${s.key}: schema differs from the one already registered under that key`);
  }
}

/** Runs every section's parser; a parser that throws gives unknown with the reason. Sources follow. */
export function parseSections<In>(
  list: SectionList<In>,
  input: In,
  now: Date,
): { facts: Record<string, unknown>; sources: Record<string, string> } {
  const facts: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const s of list) {
    let fact: unknown;
    try {
      fact = s.parse(input, now);
    } catch (err) {
      fact = unknown(`${s.key}: parser failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    facts[s.key] = fact;
    sources[s.key] = s.sourceOf?.(fact as never, input) ?? s.source;
  }
  return { facts, sources };
}

/** docs/facts.md text for one platform's sections. */
export function sectionDocs(list: readonly ProbeSection[]): string {
  return list.map((s) => `### \`${s.key}\` — ${s.doc.heading}\n\n${s.doc.body.trim()}\n`).join("\n");
}
