import { Type } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num, Str } from "../../facts/unknown.js";
import { normaliseSecurityLog } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const SecurityLog = Type.Object({
  maxSizeBytes: Known(Num),
  /** Circular (overwrite), AutoBackup, Retain. */
  logMode: Known(Nullable(Str)),
  enabled: Known(Nullable(Bool)),
});

/** The `securityLog` probe section (Windows): security-log.ps1 beside this module (Add-Section 'securityLog'). */
export const securityLogSection = defineWindowsSection({
  key: "securityLog",
  schema: SecurityLog,
  source: "Get-WinEvent -ListLog Security",
  script: new URL("./security-log.ps1", import.meta.url),
  psSection: "securityLog",
  parse: ({ data }) => normaliseSecurityLog(data),
  doc: { heading: "Get-WinEvent -ListLog Security", body: "" },
});
