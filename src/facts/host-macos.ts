import { Type } from "@sinclair/typebox";
import { Known, Str, Num, Bool, Nullable } from "./unknown.js";

/**
 * macOS-only host sections (FileVault, screensaver and screen lock, SIP, Gatekeeper, Application
 * Firewall details, software update), filled by the macOS probe (src/probes/posix/macos.sh,
 * parsers in src/probes/macos/). Sections macOS shares with Linux (sshd, accounts, firewall) reuse
 * the Linux shapes.
 */


export const FileVault = Type.Object({
  /** From `fdesetup status`: on, off, encrypting, decrypting, or other (text not recognised). */
  status: Type.Union(["on", "off", "encrypting", "decrypting", "other"].map((s) => Type.Literal(s))),
  /** The startup volume is fully protected by FileVault (status on). */
  enabled: Bool,
});

export const Screensaver = Type.Object({
  /**
   * Seconds idle before the screen saver starts. A configuration profile's value wins over the
   * users' own; with no profile, the largest value any user set (the weakest). null: never starts.
   */
  idleTime: Known(Nullable(Num)),
  /** Where idleTime came from: profile (computer or user level), user (ByHost preferences), or default. */
  idleTimeSource: Known(Str),
  /** com.apple.screensaver askForPassword from a configuration profile; null when no profile sets it. */
  askForPassword: Known(Nullable(Bool)),
  /** askForPasswordDelay (seconds) from a configuration profile; null when no profile sets it. */
  askForPasswordDelay: Known(Nullable(Num)),
  /** `sysadminctl -screenLock status`: seconds before a password is required; null when the screen lock is off. */
  screenLockDelay: Known(Nullable(Num)),
  /** A configuration profile manages com.apple.screensaver. */
  managed: Bool,
});

export const Sip = Type.Object({
  /** `csrutil status` says enabled (possibly with a custom configuration). */
  enabled: Known(Bool),
  /** Enabled, but some protections switched off ("Custom Configuration"). */
  custom: Known(Bool),
});

export const Gatekeeper = Type.Object({
  /** `spctl --status`: assessments enabled. */
  enabled: Known(Bool),
});

export const AppFirewall = Type.Object({
  /** socketfilterfw global state: 0 off, 1 on, 2 on and blocking all incoming (essential services only). */
  globalState: Known(Num),
  stealthMode: Known(Bool),
});

export const SoftwareUpdate = Type.Object({
  /** ISO time of the last successful software update check (LastSuccessfulDate); null when never. */
  lastSuccessfulDate: Known(Nullable(Str)),
  automaticCheckEnabled: Known(Nullable(Bool)),
  automaticDownload: Known(Nullable(Bool)),
  automaticallyInstallMacOSUpdates: Known(Nullable(Bool)),
  criticalUpdateInstall: Known(Nullable(Bool)),
  /** LastRecommendedUpdatesAvailable at the last check. */
  recommendedUpdatesAvailable: Known(Nullable(Num)),
});

export const macosSections = {
  filevault: FileVault,
  screensaver: Screensaver,
  sip: Sip,
  gatekeeper: Gatekeeper,
  appFirewall: AppFirewall,
  softwareUpdate: SoftwareUpdate,
};
