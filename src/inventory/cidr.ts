import { isIP } from "node:net";

/**
 * CIDR expansion for SSH targets. Written here rather than taken from a library because it is a
 * dozen lines of BigInt arithmetic and the size check must happen before anything is allocated.
 */

export interface CidrInfo {
  family: 4 | 6;
  prefix: number;
  /** Number of host addresses the expansion yields. */
  count: bigint;
}

function toBig(addr: string, family: 4 | 6): bigint {
  if (family === 4) return addr.split(".").reduce((acc, o) => (acc << 8n) + BigInt(Number(o)), 0n);
  const [head = "", tail] = addr.split("::");
  const parse = (s: string) => (s === "" ? [] : s.split(":"));
  let h = parse(head);
  let t = tail === undefined ? [] : parse(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const fix = (g: string[]) => g.flatMap((x) => (x.includes(".") ? ((v) => [(v >> 16n).toString(16), (v & 0xffffn).toString(16)])(toBig(x, 4)) : [x]));
  h = fix(h);
  t = fix(t);
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function fromBig(v: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 255n).toString()).join(".");
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((v >> s) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 says.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}

/** Parses `a.b.c.d/n` or `v6/n`; throws with a reason on anything else. */
export function parseCidr(cidr: string): CidrInfo & { base: bigint } {
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
  const base = (toBig(addr, fam) >> hostBits) << hostBits;
  const size = 1n << hostBits;
  // IPv4 ranges of /30 and larger lose their network and broadcast addresses.
  const count = fam === 4 && prefix <= 30 ? size - 2n : size;
  return { family: fam, prefix, count, base };
}

/** Every host address in the range (IPv4 without network/broadcast for /30 and larger). */
export function expandCidr(cidr: string): string[] {
  const { family, prefix, base, count } = parseCidr(cidr);
  const first = family === 4 && prefix <= 30 ? base + 1n : base;
  const out: string[] = [];
  for (let i = 0n; i < count; i++) out.push(fromBig(first + i, family));
  return out;
}
