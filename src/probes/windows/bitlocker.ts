import { Type } from "@sinclair/typebox";
import { Bool, Nullable, Str } from "../../facts/unknown.js";
import { normaliseBitLocker } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

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

/** The `bitlocker` probe section (Windows): bitlocker.ps1 beside this module (Add-Section 'bitlocker'). */
export const bitlockerSection = defineWindowsSection({
  key: "bitlocker",
  schema: BitLocker,
  source: "Get-BitLockerVolume (or Win32_EncryptableVolume); Win32_LogicalDisk DriveType=3",
  script: new URL("./bitlocker.ps1", import.meta.url),
  psSection: "bitlocker",
  parse: ({ data }) => normaliseBitLocker(data),
  doc: { heading: "Get-BitLockerVolume (or Win32_EncryptableVolume); Win32_LogicalDisk DriveType=3", body: "" },
});
