import { Type } from "@sinclair/typebox";
import { Nullable, Num, Str, StrList } from "../../facts/unknown.js";
import { normaliseSchannel } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const Schannel = Type.Object({
  keys: Type.Array(
    Type.Object({ protocol: Str, side: Str, enabled: Nullable(Num), disabledByDefault: Nullable(Num) }),
  ),
  /**
   * Legacy server-side protocols in effect: SSL 2.0/3.0 only when explicitly enabled (off by default
   * since Windows 10/Server 2016); TLS 1.0/1.1 unless explicitly disabled.
   */
  legacyServerProtocols: StrList,
});

/** The `schannel` probe section (Windows): schannel.ps1 beside this module (Add-Section 'schannel'). */
export const schannelSection = defineWindowsSection({
  key: "schannel",
  schema: Schannel,
  source: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols",
  script: new URL("./schannel.ps1", import.meta.url),
  psSection: "schannel",
  parse: ({ data }) => normaliseSchannel(data),
  doc: { heading: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols", body: "" },
});
