import { isIP } from "node:net";
import { networkAddress, sameV4Network, v6Slash64 } from "../core/cidr.js";

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
    if (bits !== undefined && bits >= 24 && bits <= 32 && isIP(net!) === 4 && sameV4Network(address, net!, bits)) return `${networkAddress(net!, bits)}/${bits}`;
    return `${networkAddress(address, 24)}/24`;
  }
  if (family === 6) {
    if (bits !== undefined && bits >= 64 && isIP(net!) === 6) return `${net}/${bits}`;
    return v6Slash64(address);
  }
  return target;
}
