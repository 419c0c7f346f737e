import { LINUX_SECTIONS } from "../linux/sections.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { sshdSection } from "../posix/sshd.js";
import { checkSections, type SectionList } from "../section.js";
import { accountsSection } from "./accounts.js";
import { activitySection } from "./activity.js";
import { appFirewallSection } from "./app-firewall.js";
import { filevaultSection } from "./filevault.js";
import { firewallSection } from "./firewall.js";
import { gatekeeperSection } from "./gatekeeper.js";
import { osSection } from "./os.js";
import { screensaverSection } from "./screensaver.js";
import { sipSection } from "./sip.js";
import { softwareUpdateSection } from "./software-update.js";

/**
 * The macOS probe sections, in the order the probe runs them and the facts list them; like
 * LINUX_SECTIONS this list drives the script, the parsers, the schema and docs/facts.md. accounts,
 * firewall and sshd carry the Linux shapes (checked below). context.sh runs first.
 */
export const MACOS_SECTIONS = [
  osSection,
  filevaultSection,
  screensaverSection,
  sipSection,
  gatekeeperSection,
  appFirewallSection,
  firewallSection,
  accountsSection,
  softwareUpdateSection,
  // The same fragment and parser as on Linux; without root macOS reads the config files.
  { ...sshdSection, source: "sshd -T (root) or /etc/ssh/sshd_config", sourceOf: undefined },
  activitySection,
] as const satisfies SectionList<ProbeOutput>;

/** Shell run before the sections: facts several sections read. */
export const MACOS_CONTEXT = new URL("./context.sh", import.meta.url);

checkSections("macos", MACOS_SECTIONS, LINUX_SECTIONS);
