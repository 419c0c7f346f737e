import { Type } from "@sinclair/typebox";
import { Bool, Nullable } from "../../facts/unknown.js";
import { bool } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

/** Confirm-SecureBootUEFI; null on a non-UEFI machine. */
export const SecureBoot = Type.Object({ enabled: Nullable(Bool) });

/** The `secureBoot` probe section (Windows): secure-boot.ps1 beside this module (Add-Section 'secureBoot'). */
export const secureBootSection = defineWindowsSection({
  key: "secureBoot",
  schema: SecureBoot,
  source: "Confirm-SecureBootUEFI",
  script: new URL("./secure-boot.ps1", import.meta.url),
  psSection: "secureBoot",
  parse: ({ data }) => ({ enabled: data.enabled === null || data.enabled === undefined ? null : bool(data.enabled) }),
  doc: { heading: "Confirm-SecureBootUEFI", body: "" },
});
