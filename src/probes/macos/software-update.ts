import { Type, type Static } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num, Str, unknown, type Unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import { parseOpenStepPlist, plistBool, plistDate, plistInt, type PlistValue } from "./plist.js";

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

export function parseSoftwareUpdate(probe: ProbeOutput): Static<typeof SoftwareUpdate> | Unknown {
  const text = probe.text("swupdate", "defaults read /Library/Preferences/com.apple.SoftwareUpdate");
  if (typeof text !== "string") return text;
  let p: PlistValue;
  try {
    p = parseOpenStepPlist(text);
  } catch (err) {
    return unknown(`com.apple.SoftwareUpdate: ${(err as Error).message}`);
  }
  if (typeof p !== "object" || Array.isArray(p)) return unknown("com.apple.SoftwareUpdate: not a dictionary");
  return {
    lastSuccessfulDate: plistDate(p.LastSuccessfulDate ?? p.LastFullSuccessfulDate),
    automaticCheckEnabled: plistBool(p.AutomaticCheckEnabled),
    automaticDownload: plistBool(p.AutomaticDownload),
    automaticallyInstallMacOSUpdates: plistBool(p.AutomaticallyInstallMacOSUpdates),
    criticalUpdateInstall: plistBool(p.CriticalUpdateInstall),
    recommendedUpdatesAvailable: plistInt(p.LastRecommendedUpdatesAvailable),
  };
}

/** The `softwareUpdate` probe section (macOS): software-update.sh beside this module. */
export const softwareUpdateSection = defineSection({
  key: "softwareUpdate",
  schema: SoftwareUpdate,
  source: "defaults read /Library/Preferences/com.apple.SoftwareUpdate",
  script: new URL("./software-update.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseSoftwareUpdate(probe),
  doc: {
    heading: "`defaults read /Library/Preferences/com.apple.SoftwareUpdate`",
    body: "`lastSuccessfulDate` (ISO), `automaticCheckEnabled`, `automaticDownload`, `automaticallyInstallMacOSUpdates`, `criticalUpdateInstall`, `recommendedUpdatesAvailable`; `null` where the key is not set.",
  },
});
