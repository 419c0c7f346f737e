import type { TSchema } from "@sinclair/typebox";
import { LINUX_SECTIONS } from "./linux/sections.js";
import { MACOS_SECTIONS } from "./macos/sections.js";
import type { ProbeSection } from "./section.js";
import { WINDOWS_SECTIONS } from "./windows/sections.js";

/**
 * docs/facts.md's per-section parts, written from the section lists: the text between
 * `<!-- sections:<platform> -->` and `<!-- /sections:<platform> -->` is generated (by
 * `npm run build`, scripts/postbuild.js) and a unit test fails when the page is out of date.
 */
export const DOC_PLATFORMS: Record<string, readonly ProbeSection[]> = {
  linux: LINUX_SECTIONS,
  macos: MACOS_SECTIONS,
  windows: WINDOWS_SECTIONS,
};

function fieldList(schema: TSchema): string {
  const props = (schema as { properties?: Record<string, unknown> }).properties;
  if (props) return `Fields: ${Object.keys(props).map((k) => `\`${k}\``).join(", ")}.`;
  return "See the schema.";
}

/** The generated markdown for one platform's sections. */
export function sectionsMarkdown(list: readonly ProbeSection[]): string {
  return list
    .map((s) => `### \`${s.key}\` — ${s.doc.heading}\n\n${s.doc.body.trim() || fieldList(s.schema)}\n`)
    .join("\n");
}

/** `page` with every generated part rewritten; a platform marker missing from the page is an error. */
export function renderFactsDoc(page: string): string {
  let out = page;
  for (const [platform, list] of Object.entries(DOC_PLATFORMS)) {
    const open = `<!-- sections:${platform} -->\n`;
    const close = `<!-- /sections:${platform} -->`;
    const a = out.indexOf(open);
    const b = out.indexOf(close);
    if (a < 0 || b < a) throw new Error(`docs/facts.md: markers ${open.trim()} … ${close} missing`);
    out = `${out.slice(0, a + open.length)}\n${sectionsMarkdown(list)}\n${out.slice(b)}`;
  }
  return out;
}
