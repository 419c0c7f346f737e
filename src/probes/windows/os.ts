import { Os } from "../../facts/host-common.js";
import { normaliseOs } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

/** The `os` probe section (Windows): os.ps1 beside this module (Add-Section 'os'). */
export const osSection = defineWindowsSection({
  key: "os",
  schema: Os,
  source: "Win32_OperatingSystem; HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
  script: new URL("./os.ps1", import.meta.url),
  psSection: "os",
  parse: ({ data }, now) => normaliseOs(data, now),
  doc: { heading: "Win32_OperatingSystem; HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", body: "" },
});
