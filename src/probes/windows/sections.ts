import { LINUX_SECTIONS } from "../linux/sections.js";
import { MACOS_SECTIONS } from "../macos/sections.js";
import { checkSections } from "../section.js";
import { activitySection } from "./activity.js";
import { auditPolicySection } from "./audit-policy.js";
import { bitlockerSection } from "./bitlocker.js";
import { defenderSection } from "./defender.js";
import { hotfixesSection } from "./hotfixes.js";
import { localAccountsSection } from "./local-accounts.js";
import { lsaSection } from "./lsa.js";
import { osSection } from "./os.js";
import { rdpSection } from "./rdp.js";
import { schannelSection } from "./schannel.js";
import { secureBootSection } from "./secure-boot.js";
import { securityLogSection } from "./security-log.js";
import { sessionLockSection } from "./session-lock.js";
import { smbSection } from "./smb.js";
import { winFirewallSection } from "./win-firewall.js";
import type { WindowsSection } from "./section.js";

/**
 * The Windows probe sections, in the order the probe runs them and the facts list them. This list
 * drives the PowerShell probe (src/probes/windows/script.ts joins prelude.ps1, each section's
 * fragment and finish.ps1), the parser dispatch (parseWindowsProbe), the host facts schema and
 * docs/facts.md.
 */
export const WINDOWS_SECTIONS = [
  osSection,
  bitlockerSection,
  sessionLockSection,
  rdpSection,
  localAccountsSection,
  auditPolicySection,
  securityLogSection,
  defenderSection,
  winFirewallSection,
  smbSection,
  schannelSection,
  lsaSection,
  secureBootSection,
  hotfixesSection,
  activitySection,
] as const satisfies readonly WindowsSection[];

checkSections("windows", WINDOWS_SECTIONS, [...LINUX_SECTIONS, ...MACOS_SECTIONS]);
