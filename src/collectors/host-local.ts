import si from "systeminformation";
import type { TargetFacts, TargetSpec } from "../core/model.js";
import { isUnknown } from "../facts/unknown.js";
import { localRunner } from "../transports/local.js";
import type { CollectContext, Collector } from "./types.js";
import { collectHostOverShell } from "./host-shell.js";
import { endOfLifeDate, isEndOfLife } from "../probes/linux/eol.js";

const NAME = "host/local";

/**
 * The machine hipaa-scan runs on. The facts come from the same POSIX probe as over SSH (so a local
 * scan and a remote scan of the same box give the same facts). systeminformation fills in what the
 * probe could not read, because locally it gets at it without any shell tool: network interfaces
 * straight from Node and /sys when iproute2's `ip` is missing (minimal containers), and the OS name
 * and release from every distribution's release files and lsb_release when /etc/os-release is absent.
 * It is not used when the probe succeeded: `ip -j addr` lists every address of an interface, while
 * systeminformation keeps one IPv4 and one IPv6 per interface.
 */
export async function fillFromSysteminformation(facts: Record<string, unknown>, now: Date, notes: string[]): Promise<void> {
  if (isUnknown(facts.interfaces)) {
    try {
      const ifaces = await si.networkInterfaces();
      const list = Array.isArray(ifaces) ? ifaces : [ifaces];
      facts.interfaces = list.map((i) => ({
        name: i.iface,
        ipv4: i.ip4 ? [i.ip4] : [],
        ipv6: i.ip6 ? [i.ip6] : [],
        mac: i.mac && i.mac !== "00:00:00:00:00:00" ? i.mac : null,
      }));
      notes.push("network interfaces from systeminformation (ip -j addr unavailable): first IPv4/IPv6 per interface only");
    } catch {
      // Keep the probe's unknown and its reason.
    }
  }
  const os = facts.os as Record<string, unknown> | undefined;
  if (os && !isUnknown(os) && os.family === "linux" && os.version === "") {
    try {
      const info = await si.osInfo();
      if (info.distro) os.name = info.distro;
      if (info.release && info.release !== "unknown") {
        os.version = info.release;
        const id = String(os.id);
        os.endOfLife = isEndOfLife(id, info.release, now);
        os.endOfLifeDate = endOfLifeDate(id, info.release);
      }
      notes.push("OS name and release from systeminformation (/etc/os-release unavailable)");
    } catch {
      // Keep the probe's values.
    }
  }
}

export const localHostCollector: Collector = {
  name: NAME,
  async collect(target: TargetSpec, ctx: CollectContext): Promise<TargetFacts> {
    const result = await collectHostOverShell(target, localRunner, ctx, NAME);
    if (result.status === "ok" || result.status === "partial") {
      await fillFromSysteminformation(result.facts, ctx.now(), result.notes);
    }
    return result;
  },
};
