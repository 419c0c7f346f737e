/**
 * The names of the output formats, in the order `--help` lists them. src/reporters/index.ts maps
 * each to its reporter (`satisfies Record<FormatName, Reporter>`: a name without a reporter, or a
 * reporter without a name, is a type error). Kept apart so the CLI can name the formats in
 * `--help` without loading every reporter.
 */
export const FORMAT_NAMES = ["text", "json", "junit", "sarif", "csv", "markdown", "html", "jsonl", "risks-csv", "assets-csv"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** "text, json, … or html". */
export const formatList = (names: readonly string[] = FORMAT_NAMES): string =>
  names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names.join("");
