import { Type } from "@sinclair/typebox";
import { Bool, Str } from "../../facts/unknown.js";
import { parseAuditpolCsv } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const AuditSubcategory = Type.Object({
  /** Subcategory GUID, upper case without braces (names are localised; GUIDs are not). */
  guid: Str,
  name: Str,
  success: Bool,
  failure: Bool,
  setting: Str,
});

export const AuditPolicy = Type.Object({
  subcategories: Type.Array(AuditSubcategory),
});

/** The `auditPolicy` probe section (Windows): audit-policy.ps1 beside this module (Add-Section 'auditPolicy'). */
export const auditPolicySection = defineWindowsSection({
  key: "auditPolicy",
  schema: AuditPolicy,
  source: "auditpol /get /category:* /r",
  script: new URL("./audit-policy.ps1", import.meta.url),
  psSection: "auditPolicy",
  parse: ({ data }) => parseAuditpolCsv(String(data.csv ?? "")),
  doc: { heading: "auditpol /get /category:* /r", body: "" },
});
