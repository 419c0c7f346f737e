import type { Static } from "@sinclair/typebox";
import type { TimeSync } from "../../facts/host-linux.js";
import { unknown } from "../../facts/unknown.js";
import { keyValues, type ProbeOutput } from "./probe-output.js";

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
