/**
 * Windows-only host sections (BitLocker, inactivity policy, RDP, audit policy, Defender, …),
 * filled by the PowerShell probe over WinRM or OpenSSH.
 */
export const windowsSections = {};
