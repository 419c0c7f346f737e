import { Type } from "@sinclair/typebox";
import { Bool, Known } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import { fromText, parseSpctl } from "./parsers.js";

export const Gatekeeper = Type.Object({
  /** `spctl --status`: assessments enabled. */
  enabled: Known(Bool),
});

/** The `gatekeeper` probe section (macOS): gatekeeper.sh beside this module. */
export const gatekeeperSection = defineSection({
  key: "gatekeeper",
  schema: Gatekeeper,
  source: "spctl --status",
  script: new URL("./gatekeeper.sh", import.meta.url),
  parse: (probe: ProbeOutput) => ({ enabled: fromText(probe, "spctl", "spctl --status", parseSpctl) }),
  doc: { heading: "`spctl --status`", body: "`enabled` (assessments enabled)." },
});
