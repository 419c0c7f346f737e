import { Type } from "@sinclair/typebox";
import { Nullable, Num, Str } from "../../facts/unknown.js";
import { normaliseHotfixes } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const Hotfixes = Type.Object({
  count: Num,
  /** ISO date of the newest InstalledOn; null when no hotfix reports a date. */
  lastInstalledOn: Nullable(Str),
  recent: Type.Array(Type.Object({ id: Str, installedOn: Nullable(Str) })),
});

/** The `hotfixes` probe section (Windows): hotfixes.ps1 beside this module (Add-Section 'hotfixes'). */
export const hotfixesSection = defineWindowsSection({
  key: "hotfixes",
  schema: Hotfixes,
  source: "Get-HotFix",
  script: new URL("./hotfixes.ps1", import.meta.url),
  psSection: "hotfixes",
  parse: ({ data }) => normaliseHotfixes(data),
  doc: { heading: "Get-HotFix", body: "" },
});
