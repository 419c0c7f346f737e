/**
 * MD4 (RFC 1320) and RC4, which NTLM needs but OpenSSL 3's default provider no longer offers
 * (`crypto.createHash("md4")` and `createCipheriv("rc4")` throw on Node 20). Both are tiny and are
 * tested against RFC 1320's vectors and MS-NLMP's worked examples.
 */

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** MD4 digest of `data` (RFC 1320). */
export function md4(data: Uint8Array): Buffer {
  const bitLen = data.length * 8;
  const padLen = ((data.length + 8) >> 6) * 64 + 64;
  const msg = Buffer.alloc(padLen);
  msg.set(data);
  msg[data.length] = 0x80;
  msg.writeUInt32LE(bitLen >>> 0, padLen - 8);
  msg.writeUInt32LE(Math.floor(bitLen / 0x100000000), padLen - 4);
  let a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
  const x = new Array<number>(16);
  const f = (p: number, q: number, r: number) => (p & q) | (~p & r);
  const g = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
  const h = (p: number, q: number, r: number) => p ^ q ^ r;
  for (let off = 0; off < padLen; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = msg.readUInt32LE(off + i * 4);
    const [aa, bb, cc, dd] = [a, b, c, d];
    const X = (i: number) => x[i]!;
    for (const i of [0, 4, 8, 12]) {
      a = rotl((a + f(b, c, d) + X(i)) | 0, 3);
      d = rotl((d + f(a, b, c) + X(i + 1)) | 0, 7);
      c = rotl((c + f(d, a, b) + X(i + 2)) | 0, 11);
      b = rotl((b + f(c, d, a) + X(i + 3)) | 0, 19);
    }
    for (const i of [0, 1, 2, 3]) {
      a = rotl((a + g(b, c, d) + X(i) + 0x5a827999) | 0, 3);
      d = rotl((d + g(a, b, c) + X(i + 4) + 0x5a827999) | 0, 5);
      c = rotl((c + g(d, a, b) + X(i + 8) + 0x5a827999) | 0, 9);
      b = rotl((b + g(c, d, a) + X(i + 12) + 0x5a827999) | 0, 13);
    }
    for (const i of [0, 2, 1, 3]) {
      a = rotl((a + h(b, c, d) + X(i) + 0x6ed9eba1) | 0, 3);
      d = rotl((d + h(a, b, c) + X(i + 8) + 0x6ed9eba1) | 0, 9);
      c = rotl((c + h(d, a, b) + X(i + 4) + 0x6ed9eba1) | 0, 11);
      b = rotl((b + h(c, d, a) + X(i + 12) + 0x6ed9eba1) | 0, 15);
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = Buffer.alloc(16);
  out.writeInt32LE(a, 0);
  out.writeInt32LE(b, 4);
  out.writeInt32LE(c, 8);
  out.writeInt32LE(d, 12);
  return out;
}

/** An RC4 key stream whose state carries over between calls, as NTLM sealing requires. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;
  constructor(key: Uint8Array) {
    for (let k = 0; k < 256; k++) this.s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + this.s[k]! + key[k % key.length]!) & 0xff;
      [this.s[k], this.s[j]] = [this.s[j]!, this.s[k]!];
    }
  }

  update(data: Uint8Array): Buffer {
    const out = Buffer.alloc(data.length);
    const s = this.s;
    for (let n = 0; n < data.length; n++) {
      this.i = (this.i + 1) & 0xff;
      this.j = (this.j + s[this.i]!) & 0xff;
      const t = s[this.i]!;
      s[this.i] = s[this.j]!;
      s[this.j] = t;
      out[n] = data[n]! ^ s[(s[this.i]! + s[this.j]!) & 0xff]!;
    }
    return out;
  }
}

/** One-shot RC4 (for the encrypted random session key). */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data);
}
