import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Address arithmetic, in one place, on ipaddr.js: CIDR parsing and sizes (the --yes-large-network
 * guard), expansion of inventory ranges into SSH hosts, and the segment an address is grouped in.
 * Addresses are first checked with `net.isIP`, which accepts only the plain dotted-quad and RFC 4291
 * forms (ipaddr.js alone would also take `10.1` or `0x0a.0.0.1`).
 */

export interface CidrInfo {
  family: 4 | 6;
  prefix: number;
  /** Number of host addresses the expansion yields (IPv4 /30 and larger lose network and broadcast). */
  count: bigint;
  /** Every address in the range, network and broadcast included: what nmap scans. */
  size: bigint;
  /** First address of the range, as a number. */
  base: bigint;
}

function toBig(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) + BigInt(b), 0n);
}

function fromBig(v: bigint, family: 4 | 6): string {
  const bytes: number[] = [];
  for (let i = family === 4 ? 3 : 15; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 255n));
  const addr = ipaddr.fromByteArray(bytes);
  return addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}

/** Parses `a.b.c.d/n` or `v6/n`; throws with a reason on anything else. */
export function parseCidr(cidr: string): CidrInfo {
  const [addr = "", bits, extra] = cidr.split("/");
  const family = isIP(addr);
  if (family === 0 || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) {
    throw new Error(`"${cidr.slice(0, 100)}" is not a CIDR (address/prefix)`);
  }
  const fam = family as 4 | 6;
  const width = fam === 4 ? 32 : 128;
  const prefix = Number(bits);
  if (prefix > width) throw new Error(`prefix length must be 0–${width}`);
  const hostBits = BigInt(width - prefix);
  const base = (toBig(ipaddr.parse(addr)) >> hostBits) << hostBits;
  const size = 1n << hostBits;
  const count = fam === 4 && prefix <= 30 ? size - 2n : size;
  return { family: fam, prefix, count, size, base };
}

/** Every host address in the range (IPv4 without network/broadcast for /30 and larger). */
export function expandCidr(cidr: string): string[] {
  const { family, prefix, base, count } = parseCidr(cidr);
  const first = family === 4 && prefix <= 30 ? base + 1n : base;
  const out: string[] = [];
  for (let i = 0n; i < count; i++) out.push(fromBig(first + i, family));
  return out;
}

/** Addresses a network target covers: the CIDR's size, 1 for a single address or host name. */
export function addressCount(target: string): bigint {
  return target.includes("/") ? parseCidr(target).size : 1n;
}

/** The network address of `address` under a prefix of `bits`, e.g. 10.77.2.0 for 10.77.2.20 and 24. */
export function networkAddress(address: string, bits: number): string {
  return ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`).toString();
}

/** Whether two IPv4 addresses share the first `bits` bits. */
export function sameV4Network(a: string, b: string, bits: number): boolean {
  return ipaddr.IPv4.parse(a).match(ipaddr.IPv4.parse(b), bits);
}

/** The first four groups of an IPv6 address, without leading zeros: its /64 as `g:g:g:g::/64`. */
export function v6Slash64(address: string): string {
  return `${ipaddr.IPv6.parse(address).parts.slice(0, 4).map((p) => p.toString(16)).join(":")}::/64`;
}
