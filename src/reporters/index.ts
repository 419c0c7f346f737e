import type { Reporter } from "./types.js";
import { textReporter } from "./text.js";
import { jsonReporter } from "./json.js";
import { junitReporter } from "./junit.js";
import { sarifReporter } from "./sarif.js";
import { csvReporter } from "./csv.js";
import { markdownReporter } from "./markdown.js";
import { htmlReporter } from "./html.js";
import { assetCsvReporter, riskCsvReporter } from "./risk-csv.js";

/** Every output format, by name. */
export const reporters = {
  text: textReporter,
  json: jsonReporter,
  junit: junitReporter,
  sarif: sarifReporter,
  csv: csvReporter,
  markdown: markdownReporter,
  html: htmlReporter,
  "risks-csv": riskCsvReporter,
  "assets-csv": assetCsvReporter,
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof reporters;
export const FORMATS = Object.keys(reporters) as FormatName[];
