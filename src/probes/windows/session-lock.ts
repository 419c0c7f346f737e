import { Type } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num } from "../../facts/unknown.js";
import { normaliseSessionLock } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

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

/** The `sessionLock` probe section (Windows): session-lock.ps1 beside this module (Add-Section 'sessionLock'). */
export const sessionLockSection = defineWindowsSection({
  key: "sessionLock",
  schema: SessionLock,
  source: "HKLM\\…\\Policies\\System InactivityTimeoutSecs; HKCU\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop",
  script: new URL("./session-lock.ps1", import.meta.url),
  psSection: "sessionLock",
  parse: ({ data }) => normaliseSessionLock(data),
  doc: { heading: "HKLM\\…\\Policies\\System InactivityTimeoutSecs; HKCU\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop", body: "" },
});
