import { Type } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num } from "../../facts/unknown.js";
import { normaliseRdp } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const Rdp = Type.Object({
  /** Remote Desktop connections allowed (fDenyTSConnections = 0, policy first). */
  enabled: Known(Bool),
  /** Network Level Authentication required (UserAuthentication = 1); null when not set (Windows default: required). */
  nla: Known(Nullable(Bool)),
  /** SecurityLayer: 0 RDP, 1 Negotiate, 2 TLS; null when not set (default Negotiate). */
  securityLayer: Known(Nullable(Num)),
  /** Idle session limit in seconds (policy MaxIdleTime first, then RDP-Tcp); null or 0 = never. */
  maxIdleTimeSecs: Known(Nullable(Num)),
});

/** The `rdp` probe section (Windows): rdp.ps1 beside this module (Add-Section 'rdp'). */
export const rdpSection = defineWindowsSection({
  key: "rdp",
  schema: Rdp,
  source: "HKLM\\…\\Terminal Server (RDP-Tcp) and HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services",
  script: new URL("./rdp.ps1", import.meta.url),
  psSection: "rdp",
  parse: ({ data }) => normaliseRdp(data),
  doc: { heading: "HKLM\\…\\Terminal Server (RDP-Tcp) and HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services", body: "" },
});
