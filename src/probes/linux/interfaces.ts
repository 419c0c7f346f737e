import { Type, type Static } from "@sinclair/typebox";
import { NetworkInterface } from "../../facts/host-common.js";
import { unknown, type Unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

export type InterfaceFacts = Static<typeof NetworkInterface>;

interface IpAddr {
  ifname?: unknown;
  address?: unknown;
  link_type?: unknown;
  addr_info?: { family?: unknown; local?: unknown }[];
}

/** `ip -j addr` into name, IPv4/IPv6 addresses and MAC. */
export function parseIpAddr(json: string): InterfaceFacts[] {
  const doc = JSON.parse(json) as unknown;
  if (!Array.isArray(doc)) throw new Error("not a JSON array");
  return (doc as IpAddr[])
    .filter((i) => typeof i.ifname === "string")
    .map((i) => {
      const addrs = Array.isArray(i.addr_info) ? i.addr_info : [];
      const pick = (fam: string) =>
        addrs.filter((a) => a.family === fam && typeof a.local === "string").map((a) => a.local as string);
      const mac = i.link_type === "ether" && typeof i.address === "string" ? i.address : null;
      return { name: i.ifname as string, ipv4: pick("inet"), ipv6: pick("inet6"), mac };
    });
}

export function parseInterfaces(probe: ProbeOutput): InterfaceFacts[] | Unknown {
  const t = probe.text("ip-addr", "ip -j addr");
  if (typeof t !== "string") return t;
  try {
    return parseIpAddr(t);
  } catch (err) {
    return unknown(`ip -j addr output not understood: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The `interfaces` probe section: interfaces.sh beside this module, parsed by parseInterfaces. */
export const interfacesSection = defineSection({
  key: "interfaces",
  schema: Type.Array(NetworkInterface),
  source: "ip -j addr",
  script: new URL("./interfaces.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseInterfaces(probe),
  doc: {
    heading: "`ip -j addr`",
    body: [
      "List of `{name, ipv4[], ipv6[], mac}` (every address; `mac` null for non-Ethernet links). Locally, when",
      "`ip` is missing, `systeminformation` fills it (first IPv4/IPv6 per interface only; a note says so).",
    ].join("\n"),
  },
});
