import { isIP } from "node:net";

/**
 * Which segment an address is grouped in: the scanned CIDR when it is a /24 or smaller (IPv6: /64 or
 * smaller), else the /24 (IPv6: /64) that holds the address. nmap cannot see subnet masks, so a
 * larger sweep is cut into /24s; the inventory can say otherwise later.
 */
export function segmentOf(address: string, target: string): string {
  const family = isIP(address);
  const [net, bitsText] = target.split("/");
  const bits = bitsText === undefined ? undefined : Number(bitsText);
  if (family === 4) {
    if (bits !== undefined && bits >= 24 && isIP(net!) === 4 && inV4(address, net!, bits)) return `${v4Network(net!, bits)}/${bits}`;
    return `${v4Network(address, 24)}/24`;
  }
  if (family === 6) {
    if (bits !== undefined && bits >= 64 && isIP(net!) === 6) return `${net}/${bits}`;
    const groups = expandV6(address).slice(0, 4).map((g) => g.replace(/^0+(?=.)/, ""));
    return `${groups.join(":")}::/64`;
  }
  return target;
}

function v4ToInt(a: string): number {
  return a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}

function intToV4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

export function v4Network(address: string, bits: number): string {
  const size = 2 ** (32 - bits);
  return intToV4(Math.floor(v4ToInt(address) / size) * size);
}

function inV4(address: string, net: string, bits: number): boolean {
  return v4Network(address, bits) === v4Network(net, bits);
}

function expandV6(a: string): string[] {
  const [head, tail] = a.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = a.includes("::") ? Array(8 - h.length - t.length).fill("0") : [];
  return [...h, ...fill, ...t];
}
