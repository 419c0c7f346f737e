/**
 * Windows-only host sections (BitLocker, inactivity policy, RDP, audit policy, Defender, …),
 * filled by the PowerShell probe over WinRM or OpenSSH. Each schema lives in its probe section
 * module (src/probes/windows/*.ts) beside its .ps1 fragment; src/probes/windows/sections.ts lists
 * them. Section names differ from the Linux ones because the sets are merged into one HostFacts
 * schema. Registry values that are not set are `null` (the Windows default then applies; rules say
 * which default). Re-exported here for existing importers.
 */
export { BitLockerVolume, BitLocker } from "../probes/windows/bitlocker.js";
export { SessionLock } from "../probes/windows/session-lock.js";
export { Rdp } from "../probes/windows/rdp.js";
export { LocalUser, LocalAccounts } from "../probes/windows/local-accounts.js";
export { AuditSubcategory, AuditPolicy } from "../probes/windows/audit-policy.js";
export { SecurityLog } from "../probes/windows/security-log.js";
export { Defender } from "../probes/windows/defender.js";
export { WinFirewall } from "../probes/windows/win-firewall.js";
export { Smb } from "../probes/windows/smb.js";
export { Schannel } from "../probes/windows/schannel.js";
export { Lsa } from "../probes/windows/lsa.js";
export { SecureBoot } from "../probes/windows/secure-boot.js";
export { Hotfixes } from "../probes/windows/hotfixes.js";
