import { Type } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num, Str } from "../../facts/unknown.js";
import { normaliseDefender } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const Defender = Type.Object({
  serviceEnabled: Known(Bool),
  antivirusEnabled: Known(Bool),
  realTimeProtection: Known(Bool),
  /** ISO time the antivirus signatures were last updated; null when never. */
  signatureLastUpdated: Known(Nullable(Str)),
  signatureAgeDays: Known(Nullable(Num)),
  tamperProtected: Known(Nullable(Bool)),
});

/** The `defender` probe section (Windows): defender.ps1 beside this module (Add-Section 'defender'). */
export const defenderSection = defineWindowsSection({
  key: "defender",
  schema: Defender,
  source: "Get-MpComputerStatus",
  script: new URL("./defender.ps1", import.meta.url),
  psSection: "defender",
  parse: ({ data }, now) => normaliseDefender(data, now),
  doc: { heading: "Get-MpComputerStatus", body: "" },
});
