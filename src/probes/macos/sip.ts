import { Type } from "@sinclair/typebox";
import { Bool, isUnknown, Known } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import { fromText, parseCsrutil } from "./parsers.js";

export const Sip = Type.Object({
  /** `csrutil status` says enabled (possibly with a custom configuration). */
  enabled: Known(Bool),
  /** Enabled, but some protections switched off ("Custom Configuration"). */
  custom: Known(Bool),
});

/** The `sip` probe section (macOS): sip.sh beside this module. */
export const sipSection = defineSection({
  key: "sip",
  schema: Sip,
  source: "csrutil status",
  script: new URL("./sip.sh", import.meta.url),
  parse: (probe: ProbeOutput) => {
    const sip = fromText(probe, "csrutil", "csrutil status", parseCsrutil);
    return isUnknown(sip) ? { enabled: sip, custom: sip } : sip;
  },
  doc: { heading: "`csrutil status`", body: "`enabled` (System Integrity Protection on), `custom` (on, with a Custom Configuration)." },
});
