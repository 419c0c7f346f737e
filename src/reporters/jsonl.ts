import { buildEvents } from "../siem/events.js";
import type { Reporter } from "./types.js";

/** One OCSF Compliance Finding event per line: each finding, each target, then the run (docs/siem.md). */
export const jsonlReporter: Reporter = (report) =>
  buildEvents(report, report.run?.id ?? `unrecorded@${report.startedAt}`).map((e) => `${JSON.stringify(e)}\n`).join("");
