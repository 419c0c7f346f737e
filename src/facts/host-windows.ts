import { Type } from "@sinclair/typebox";
import { Known, Str, Num, Bool, StrList, Nullable } from "./unknown.js";

/**
 * Windows-only host sections (BitLocker, inactivity policy, RDP, audit policy, Defender, …),
 * filled by the PowerShell probe (src/probes/windows/) over WinRM or OpenSSH. Section names differ
 * from the Linux ones because the two sets are merged into one HostFacts schema. Registry values
 * that are not set are `null` (the Windows default then applies; rules say which default).
 */


export const BitLockerVolume = Type.Object({
  mountPoint: Str,
  /** OperatingSystem, FixedData, Removable (Get-BitLockerVolume says Data for both fixed and removable). */
  volumeType: Str,
  /** A fixed (non-removable) disk volume: the OS volume, or a drive letter Win32_LogicalDisk reports as DriveType 3. */
  fixed: Bool,
  /** Conversion status: FullyEncrypted, FullyDecrypted, EncryptionInProgress, DecryptionInProgress, EncryptionPaused, DecryptionPaused. */
  conversionStatus: Str,
  /** Protection status: On, Off or Unknown (a suspended volume is FullyEncrypted but Off). */
  protectionStatus: Str,
  encryptionMethod: Nullable(Str),
});

export const BitLocker = Type.Object({
  /** Get-BitLockerVolume, or the Win32_EncryptableVolume WMI class when the module is missing. */
  source: Str,
  volumes: Type.Array(BitLockerVolume),
});

export const SessionLock = Type.Object({
  /** Machine inactivity limit (Interactive logon: Machine inactivity limit); null when not set (no limit). */
  inactivityTimeoutSecs: Known(Nullable(Num)),
  /**
   * Screen saver policy from the connecting user's hive (HKCU\Software\Policies\…\Control Panel\Desktop):
   * over WinRM this is the scanning account's own policy, a hint for user-targeted GPOs.
   */
  screenSaverActive: Known(Nullable(Bool)),
  screenSaverTimeoutSecs: Known(Nullable(Num)),
  screenSaverSecure: Known(Nullable(Bool)),
});

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

export const LocalUser = Type.Object({
  name: Str,
  enabled: Known(Bool),
  sid: Nullable(Str),
  /** Relative id: 500 is the built-in Administrator, 501 the built-in Guest, whatever their names. */
  rid: Nullable(Num),
  description: Str,
  /** ISO time of the last logon; null when never. */
  lastLogon: Known(Nullable(Str)),
  builtinAdministrator: Bool,
  builtinGuest: Bool,
});

export const LocalAccounts = Type.Object({
  /** Get-LocalUser, Win32_UserAccount or net user. */
  source: Str,
  users: Type.Array(LocalUser),
  /** Members of the local Administrators group (S-1-5-32-544), as DOMAIN\name. */
  administrators: Known(StrList),
});

export const AuditSubcategory = Type.Object({
  /** Subcategory GUID, upper case without braces (names are localised; GUIDs are not). */
  guid: Str,
  name: Str,
  success: Bool,
  failure: Bool,
  setting: Str,
});

export const AuditPolicy = Type.Object({
  subcategories: Type.Array(AuditSubcategory),
});

export const SecurityLog = Type.Object({
  maxSizeBytes: Known(Num),
  /** Circular (overwrite), AutoBackup, Retain. */
  logMode: Known(Nullable(Str)),
  enabled: Known(Nullable(Bool)),
});

export const Defender = Type.Object({
  serviceEnabled: Known(Bool),
  antivirusEnabled: Known(Bool),
  realTimeProtection: Known(Bool),
  /** ISO time the antivirus signatures were last updated; null when never. */
  signatureLastUpdated: Known(Nullable(Str)),
  signatureAgeDays: Known(Nullable(Num)),
  tamperProtected: Known(Nullable(Bool)),
});

export const WinFirewall = Type.Object({
  profiles: Type.Array(Type.Object({ name: Str, enabled: Bool, defaultInboundAction: Str })),
});

export const Smb = Type.Object({
  smb1Enabled: Known(Bool),
  serverSigningRequired: Known(Bool),
  clientSigningRequired: Known(Nullable(Bool)),
  encryptData: Known(Nullable(Bool)),
});

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

export const Lsa = Type.Object({
  /** NoLMHash; null when not set (default 1 since Vista). */
  noLmHash: Known(Nullable(Num)),
  /** LmCompatibilityLevel; null when not set (default 3). */
  lmCompatibilityLevel: Known(Nullable(Num)),
});

export const Hotfixes = Type.Object({
  count: Num,
  /** ISO date of the newest InstalledOn; null when no hotfix reports a date. */
  lastInstalledOn: Nullable(Str),
  recent: Type.Array(Type.Object({ id: Str, installedOn: Nullable(Str) })),
});

/** Windows host sections (besides `os`, shared by every host). */
export const windowsSections = {
  bitlocker: BitLocker,
  sessionLock: SessionLock,
  rdp: Rdp,
  localAccounts: LocalAccounts,
  auditPolicy: AuditPolicy,
  securityLog: SecurityLog,
  defender: Defender,
  winFirewall: WinFirewall,
  smb: Smb,
  schannel: Schannel,
  lsa: Lsa,
  /** Confirm-SecureBootUEFI; null on a non-UEFI machine. */
  secureBoot: Type.Object({ enabled: Nullable(Bool) }),
  hotfixes: Hotfixes,
};
