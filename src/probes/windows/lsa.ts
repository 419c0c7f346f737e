import { Type } from "@sinclair/typebox";
import { Known, Nullable, Num } from "../../facts/unknown.js";
import { normaliseLsa } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const Lsa = Type.Object({
  /** NoLMHash; null when not set (default 1 since Vista). */
  noLmHash: Known(Nullable(Num)),
  /** LmCompatibilityLevel; null when not set (default 3). */
  lmCompatibilityLevel: Known(Nullable(Num)),
});

/** The `lsa` probe section (Windows): lsa.ps1 beside this module (Add-Section 'lsa'). */
export const lsaSection = defineWindowsSection({
  key: "lsa",
  schema: Lsa,
  source: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa",
  script: new URL("./lsa.ps1", import.meta.url),
  psSection: "lsa",
  parse: ({ data }) => normaliseLsa(data),
  doc: { heading: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa", body: "" },
});
