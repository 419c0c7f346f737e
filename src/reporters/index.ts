import type { Reporter } from "./types.js";
import { textReporter } from "./text.js";
import { jsonReporter } from "./json.js";
import { junitReporter } from "./junit.js";

/** Every output format, by name. */
export const reporters = {
  text: textReporter,
  json: jsonReporter,
  junit: junitReporter,
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof reporters;
export const FORMATS = Object.keys(reporters) as FormatName[];
