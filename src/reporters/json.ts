import type { Reporter } from "./types.js";

/** The report contract as JSON (schemas/report.schema.json). */
export const jsonReporter: Reporter = (report) => `${JSON.stringify(report, null, 2)}\n`;
