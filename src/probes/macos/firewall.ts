import type { Static } from "@sinclair/typebox";
import { Firewall } from "../../facts/host-common.js";
import { isUnknown, unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import { firewallState } from "./app-firewall.js";

/** The `firewall` probe section (macOS), in the Linux shape: read from app-firewall.sh's global state. */
export const firewallSection = defineSection({
  key: "firewall",
  schema: Firewall,
  source: "socketfilterfw --getglobalstate",
  parse: (probe: ProbeOutput): Static<typeof Firewall> => {
    const state = firewallState(probe);
    return {
      backend: isUnknown(state) ? state : state >= 1 ? "socketfilterfw" : null,
      active: isUnknown(state) ? state : state >= 1,
      ruleCount: unknown("the macOS Application Firewall filters by application, not by rules"),
      defaultInputPolicy: isUnknown(state) ? state : state === 2 ? "block-all-non-essential" : null,
    };
  },
  doc: {
    heading: "`socketfilterfw --getglobalstate`",
    body: "The Linux shape: `backend` `socketfilterfw` when on, `active`, `defaultInputPolicy` (`block-all-non-essential` for state 2); `ruleCount` is unknown (the Application Firewall filters by application).",
  },
});
