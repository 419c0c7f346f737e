import { Type } from "@sinclair/typebox";
import { Bool, Known, Num } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import { fromText, parseFirewallState, parseStealthMode } from "./parsers.js";

export const AppFirewall = Type.Object({
  /** socketfilterfw global state: 0 off, 1 on, 2 on and blocking all incoming (essential services only). */
  globalState: Known(Num),
  stealthMode: Known(Bool),
});

/** socketfilterfw's global state (0 off, 1 on, 2 block all), or unknown. */
export function firewallState(probe: ProbeOutput) {
  return fromText(probe, "fw-global", "socketfilterfw --getglobalstate", parseFirewallState);
}

/** The `appFirewall` probe section (macOS): app-firewall.sh beside this module. */
export const appFirewallSection = defineSection({
  key: "appFirewall",
  schema: AppFirewall,
  source: "socketfilterfw --getglobalstate --getstealthmode",
  script: new URL("./app-firewall.sh", import.meta.url),
  parse: (probe: ProbeOutput) => ({
    globalState: firewallState(probe),
    stealthMode: fromText(probe, "fw-stealth", "socketfilterfw --getstealthmode", parseStealthMode),
  }),
  doc: { heading: "`socketfilterfw --getglobalstate`, `--getstealthmode`", body: "`globalState` (0 off, 1 on, 2 on and blocking all non-essential incoming), `stealthMode`." },
});
