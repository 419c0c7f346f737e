import { Type } from "@sinclair/typebox";
import { Bool, Known, Nullable } from "../../facts/unknown.js";
import { normaliseSmb } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const Smb = Type.Object({
  smb1Enabled: Known(Bool),
  serverSigningRequired: Known(Bool),
  clientSigningRequired: Known(Nullable(Bool)),
  encryptData: Known(Nullable(Bool)),
});

/** The `smb` probe section (Windows): smb.ps1 beside this module (Add-Section 'smb'). */
export const smbSection = defineWindowsSection({
  key: "smb",
  schema: Smb,
  source: "Get-SmbServerConfiguration; Get-SmbClientConfiguration",
  script: new URL("./smb.ps1", import.meta.url),
  psSection: "smb",
  parse: ({ data }) => normaliseSmb(data),
  doc: { heading: "Get-SmbServerConfiguration; Get-SmbClientConfiguration", body: "" },
});
