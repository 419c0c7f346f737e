import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Reading the captured Windows outputs under fixtures/windows/ (see PROVENANCE.md there). */
/** HSW_FIXTURES_DIR points a compiled copy of the server (bench/) back at the repository's files. */
export const FIXTURES = process.env.HSW_FIXTURES_DIR
  ? process.env.HSW_FIXTURES_DIR.replace(/\/?$/, "/")
  : fileURLToPath(new URL("../../../fixtures/windows/", import.meta.url));

export function fixture(name: string): string {
  return readFileSync(FIXTURES + name, "utf8");
}

/** `Format-List` output into a record of strings (values trimmed; empty values are ""). */
export function parseFormatList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\S[^:]*?)\s*:\s?(.*)$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

/** A PowerShell table (header, optional second header line, dashes) into records by column start. */
export function parseTable(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const dash = lines.findIndex((l) => /^-+(\s+-+)*\s*$/.test(l));
  if (dash < 1) return [];
  const starts: number[] = [];
  const re = /-+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(lines[dash]!))) starts.push(m.index);
  const cell = (line: string, i: number) => line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim();
  const names = starts.map((_, i) =>
    lines
      .slice(0, dash)
      .map((l) => cell(l, i))
      .filter(Boolean)
      .join(" "),
  );
  return lines.slice(dash + 1).map((l) => Object.fromEntries(names.map((n, i) => [n, cell(l, i)])));
}
