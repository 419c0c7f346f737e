import { checkSections, type SectionList } from "../section.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { sshdSection } from "../posix/sshd.js";
import { accountsSection } from "./accounts.js";
import { activitySection } from "./activity.js";
import { auditSection } from "./audit.js";
import { firewallSection } from "./firewall.js";
import { gnomeSection } from "./gnome.js";
import { integritySection } from "./integrity.js";
import { interfacesSection } from "./interfaces.js";
import { osSection } from "./os.js";
import { pamSection } from "./pam.js";
import { shellTimeoutSection } from "./shell-timeout.js";
import { storageSection } from "./storage.js";
import { timeSyncSection } from "./time-sync.js";
import { updatesSection } from "./updates.js";

/**
 * The Linux probe sections, in the order the probe runs them and the facts list them. This list
 * drives the probe script (src/probes/script.ts), the parser dispatch (parseLinux), the host facts
 * schema (src/facts/host.ts) and docs/facts.md. context.sh (installed programs, processes, units)
 * runs first; it fills no fact of its own.
 */
export const LINUX_SECTIONS = [
  osSection,
  interfacesSection,
  storageSection,
  shellTimeoutSection,
  sshdSection,
  gnomeSection,
  accountsSection,
  auditSection,
  timeSyncSection,
  firewallSection,
  updatesSection,
  pamSection,
  integritySection,
  activitySection,
] as const satisfies SectionList<ProbeOutput>;

/** Shell run before the sections: facts several sections read. */
export const LINUX_CONTEXT = new URL("./context.sh", import.meta.url);

checkSections("linux", LINUX_SECTIONS);
