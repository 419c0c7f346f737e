import { Type } from "@sinclair/typebox";
import { Bool, Str } from "../../facts/unknown.js";
import { normaliseFirewall } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const WinFirewall = Type.Object({
  profiles: Type.Array(Type.Object({ name: Str, enabled: Bool, defaultInboundAction: Str })),
});

/** The `winFirewall` probe section (Windows): win-firewall.ps1 beside this module (Add-Section 'firewall'). */
export const winFirewallSection = defineWindowsSection({
  key: "winFirewall",
  schema: WinFirewall,
  source: "Get-NetFirewallProfile -PolicyStore ActiveStore",
  script: new URL("./win-firewall.ps1", import.meta.url),
  psSection: "firewall",
  parse: ({ data }) => normaliseFirewall(data),
  doc: { heading: "Get-NetFirewallProfile -PolicyStore ActiveStore", body: "" },
});
