import { FORMAT_NAMES, type FormatName } from "./formats.js";
import type { Reporter } from "./types.js";
import { textReporter } from "./text.js";
import { jsonReporter } from "./json.js";
import { junitReporter } from "./junit.js";
import { sarifReporter } from "./sarif.js";
import { csvReporter } from "./csv.js";
import { markdownReporter } from "./markdown.js";
import { htmlReporter } from "./html.js";
import { jsonlReporter } from "./jsonl.js";
import { assetCsvReporter, riskCsvReporter } from "./risk-csv.js";
import { withEscapedJson, withSafeText } from "./terminal-safe.js";

/** Every output format, by name. */
export const reporters = {
  text: withSafeText(textReporter),
  json: withEscapedJson(jsonReporter),
  junit: withSafeText(junitReporter),
  sarif: withEscapedJson(sarifReporter),
  csv: withSafeText(csvReporter),
  markdown: withSafeText(markdownReporter),
  html: withSafeText(htmlReporter),
  jsonl: withEscapedJson(jsonlReporter),
  "risks-csv": withSafeText(riskCsvReporter),
  "assets-csv": withSafeText(assetCsvReporter),
} satisfies Record<FormatName, Reporter>;

export type { FormatName };
export const FORMATS: readonly FormatName[] = FORMAT_NAMES;
