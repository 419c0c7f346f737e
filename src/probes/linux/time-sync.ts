import { Type, type Static } from "@sinclair/typebox";
import { Bool, Known, Nullable, Str, unknown } from "../../facts/unknown.js";
import { keyValues, type ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

export const TimeSync = Type.Object({
  /** timedatectl NTPSynchronized, else chrony's leap status. */
  synchronized: Known(Bool),
  /** chrony, ntpd, systemd-timesyncd, openntpd… null when none is active. */
  service: Known(Nullable(Str)),
});

export type TimeSyncFacts = Static<typeof TimeSync>;

/** Running time daemons by process name (comm is cut at 15 characters). */
const DAEMONS: [comm: string, service: string][] = [
  ["chronyd", "chrony"],
  ["ntpd", "ntpd"],
  ["ntpsec", "ntpsec"],
  ["systemd-timesyn", "systemd-timesyncd"],
  ["openntpd", "openntpd"],
];

export function parseTimeSync(probe: ProbeOutput): TimeSyncFacts {
  const procs = probe.processes();
  const units = probe.units();
  let service: TimeSyncFacts["service"];
  const found = DAEMONS.find(([comm]) => procs?.has(comm));
  if (found) service = found[1];
  else if (units?.get("chrony") === "active" || units?.get("chronyd") === "active") service = "chrony";
  else if (units?.get("systemd-timesyncd") === "active") service = "systemd-timesyncd";
  else if (units?.get("ntp") === "active" || units?.get("ntpd") === "active") service = "ntpd";
  else if (procs) service = null;
  else service = unknown("process list not readable");

  let synchronized: TimeSyncFacts["synchronized"];
  const td = probe.text("timedatectl", "timedatectl show");
  const chrony = probe.text("chrony", "chronyc tracking");
  if (typeof td === "string" && keyValues(td).has("NTPSynchronized")) {
    synchronized = keyValues(td).get("NTPSynchronized") === "yes";
  } else if (typeof chrony === "string" && /Leap status\s*:/.test(chrony)) {
    synchronized = /Leap status\s*:\s*Normal/.test(chrony);
  } else if (typeof td !== "string") {
    synchronized = unknown(`timedatectl: ${td.reason}${typeof chrony === "string" ? "" : `; chronyc: ${chrony.reason}`}`);
  } else synchronized = unknown("timedatectl show printed no NTPSynchronized");
  return { synchronized, service };
}

/** The `time` probe section: time-sync.sh beside this module, parsed by parseTimeSync. */
export const timeSyncSection = defineSection({
  key: "time",
  schema: TimeSync,
  source: "timedatectl show; chronyc tracking; running time daemons",
  script: new URL("./time-sync.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseTimeSync(probe),
  doc: {
    heading: "`timedatectl show`; `chronyc -n tracking` (when chronyd runs); running processes",
    body: [
      "`synchronized` (NTPSynchronized, else chrony's leap status `Normal`), `service` (`chrony`, `ntpd`,",
      "`ntpsec`, `systemd-timesyncd`, `openntpd`, or `null` when none runs).",
    ].join("\n"),
  },
});
