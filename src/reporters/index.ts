import { FORMAT_NAMES, type FormatName } from "./formats.js";
import type { Reporter } from "./types.js";
import { textReporter } from "./text.js";
import { jsonReporter } from "./json.js";
import { junitReporter } from "./junit.js";
import { sarifReporter } from "./sarif.js";
import { csvReporter } from "./csv.js";
import { markdownReporter } from "./markdown.js";
import { htmlReporter } from "./html.js";

/** Every output format, by name. */
export const reporters = {
  text: textReporter,
  json: jsonReporter,
  junit: junitReporter,
  sarif: sarifReporter,
  csv: csvReporter,
  markdown: markdownReporter,
  html: htmlReporter,
} satisfies Record<FormatName, Reporter>;

export type { FormatName };
export const FORMATS: readonly FormatName[] = FORMAT_NAMES;
