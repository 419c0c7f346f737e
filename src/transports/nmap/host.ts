import { attr, child, children, num, textOf, type XmlNode } from "./xml.js";

/**
 * One `<host>` record of nmap's XML as plain data, before any interpretation. Remote text (banners,
 * script output, names) is kept raw here and cleaned where facts are built (src/network/facts.ts).
 */
export interface NmapScript {
  id: string;
  output: string;
  /** The script's structured output (`<elem>`/`<table>`), as nested objects and arrays. */
  value: unknown;
}

export interface NmapService {
  name: string;
  product: string | null;
  version: string | null;
  extrainfo: string | null;
  tunnel: string | null;
  method: string | null;
  devicetype: string | null;
  ostype: string | null;
}

export interface NmapPort {
  protocol: string;
  port: number;
  state: string;
  reason: string | null;
  /** TTL of the answer (`reason_ttl`); 0 or null when nmap did not see one (connect scans). */
  reasonTtl?: number | null;
  service: NmapService | null;
  scripts: NmapScript[];
}

export interface NmapHost {
  status: string;
  /** Why nmap called it up/down, e.g. `localhost-response` for the scanner's own address. */
  statusReason?: string | null;
  /** TTL of the discovery answer that showed the host up (`reason_ttl`); 0 or null when none was seen. */
  statusTtl?: number | null;
  /** IPv4/IPv6 address. */
  address: string | null;
  mac: string | null;
  vendor: string | null;
  hostnames: string[];
  distance: number | null;
  /** Hops in nmap's traceroute to this host (`--traceroute`); null when not traced. */
  traceHops: number | null;
  osMatches: { name: string; accuracy: number | null }[];
  osClasses: { type: string | null; vendor: string | null; family: string | null; accuracy: number | null }[];
  ports: NmapPort[];
  /** Ports not listed one by one: e.g. `{ state: "closed", count: 995 }`. */
  extraPorts: { state: string; count: number }[];
  hostScripts: NmapScript[];
}

/** Most script output worth keeping fits in this; the rest is cut. */
const MAX_SCRIPT_OUTPUT = 16_384;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Converts a script's `<elem>`/`<table>` children: keyed entries become an object, unkeyed a list. */
export function scriptValue(node: XmlNode, depth = 0): unknown {
  if (depth > 16) return null;
  const obj: Record<string, unknown> = {};
  const list: unknown[] = [];
  let keyed = false;
  const put = (key: string | undefined, value: unknown) => {
    if (key === undefined) list.push(value);
    else if (!FORBIDDEN_KEYS.has(key)) {
      obj[key] = value;
      keyed = true;
    }
  };
  for (const e of children(node, "elem") as unknown[]) {
    if (typeof e === "string") list.push(e);
    else put(attr(e as XmlNode, "key"), textOf(e as XmlNode));
  }
  for (const t of children(node, "table")) put(attr(t, "key"), scriptValue(t, depth + 1));
  if (keyed) {
    if (list.length > 0) obj["_items"] = list;
    return obj;
  }
  return list.length > 0 ? list : null;
}

function script(node: XmlNode): NmapScript {
  return { id: attr(node, "id") ?? "", output: (attr(node, "output") ?? "").slice(0, MAX_SCRIPT_OUTPUT), value: scriptValue(node) };
}

function service(node: XmlNode | undefined): NmapService | null {
  if (!node) return null;
  const s = (k: string) => attr(node, k) ?? null;
  return {
    name: s("name") ?? "unknown",
    product: s("product"),
    version: s("version"),
    extrainfo: s("extrainfo"),
    tunnel: s("tunnel"),
    method: s("method"),
    devicetype: s("devicetype"),
    ostype: s("ostype"),
  };
}

export function toNmapHost(node: XmlNode): NmapHost {
  const addrs = children(node, "address");
  const ip = addrs.find((a) => attr(a, "addrtype") === "ipv4" || attr(a, "addrtype") === "ipv6");
  const mac = addrs.find((a) => attr(a, "addrtype") === "mac");
  const portsNode = child(node, "ports");
  const os = child(node, "os");
  const osMatches = children(os, "osmatch");
  return {
    status: attr(child(node, "status"), "state") ?? "unknown",
    statusReason: attr(child(node, "status"), "reason") ?? null,
    statusTtl: num(attr(child(node, "status"), "reason_ttl")),
    address: attr(ip, "addr") ?? null,
    mac: attr(mac, "addr") ?? null,
    vendor: attr(mac, "vendor") ?? null,
    hostnames: children(child(node, "hostnames"), "hostname")
      .map((h) => attr(h, "name"))
      .filter((n): n is string => typeof n === "string"),
    distance: num(attr(child(node, "distance"), "value")),
    traceHops: child(node, "trace") ? children(child(node, "trace"), "hop").length : null,
    osMatches: osMatches.map((m) => ({ name: attr(m, "name") ?? "", accuracy: num(attr(m, "accuracy")) })),
    osClasses: osMatches.flatMap((m) =>
      children(m, "osclass").map((c) => ({
        type: attr(c, "type") ?? null,
        vendor: attr(c, "vendor") ?? null,
        family: attr(c, "osfamily") ?? null,
        accuracy: num(attr(c, "accuracy")),
      })),
    ),
    ports: children(portsNode, "port").map((p) => ({
      protocol: attr(p, "protocol") ?? "tcp",
      port: num(attr(p, "portid")) ?? 0,
      state: attr(child(p, "state"), "state") ?? "unknown",
      reason: attr(child(p, "state"), "reason") ?? null,
      reasonTtl: num(attr(child(p, "state"), "reason_ttl")),
      service: service(child(p, "service")),
      scripts: children(p, "script").map(script),
    })),
    extraPorts: children(portsNode, "extraports").map((e) => ({
      state: attr(e, "state") ?? "unknown",
      count: num(attr(e, "count")) ?? 0,
    })),
    hostScripts: children(child(node, "hostscript"), "script").map(script),
  };
}
