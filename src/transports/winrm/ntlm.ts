import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { md4, rc4, Rc4 } from "./legacy-crypto.js";

/**
 * NTLMv2 (MS-NLMP) for WinRM: the three messages, the NTLMv2 response with extended session
 * security and key exchange, and the session security (sealing and signing) that WinRM message
 * encryption uses. No npm package offers NTLM sealing (see docs/winrm.md), so it is written here on
 * node:crypto plus MD4/RC4 from ./legacy-crypto.js, and checked against MS-NLMP section 4.2.4.
 */

export const Flags = {
  UNICODE: 0x00000001,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  KEY_128: 0x20000000,
  KEY_EXCH: 0x40000000,
  KEY_56: 0x80000000,
} as const;

/** What the client asks for: NTLMv2 with extended session security, 128-bit keys, key exchange, sealing. */
export const CLIENT_FLAGS =
  (Flags.UNICODE |
    Flags.REQUEST_TARGET |
    Flags.SIGN |
    Flags.SEAL |
    Flags.NTLM |
    Flags.ALWAYS_SIGN |
    Flags.EXTENDED_SESSIONSECURITY |
    Flags.VERSION |
    Flags.KEY_128 |
    Flags.KEY_EXCH |
    Flags.KEY_56) >>>
  0;

/** Flags a session must have for WinRM message encryption to be possible. */
const REQUIRED_FLAGS = (Flags.SEAL | Flags.SIGN | Flags.EXTENDED_SESSIONSECURITY | Flags.KEY_128 | Flags.KEY_EXCH) >>> 0;

export const AvId = {
  EOL: 0,
  NbComputerName: 1,
  NbDomainName: 2,
  DnsComputerName: 3,
  DnsDomainName: 4,
  Flags: 6,
  Timestamp: 7,
} as const;

const SIGNATURE = Buffer.from("NTLMSSP\0", "latin1");
/** Version field: Windows 10 / Server 2019 build 17763, NTLM revision 15 (informational only). */
const VERSION = Buffer.from([10, 0, 0x63, 0x45, 0, 0, 0, 15]);

export class NtlmError extends Error {}

const utf16 = (s: string) => Buffer.from(s, "utf16le");
const hmacMd5 = (key: Uint8Array, ...parts: Uint8Array[]) => {
  const h = createHmac("md5", key);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** NTOWFv2 (MS-NLMP 3.3.2): HMAC_MD5(MD4(UNICODE(password)), UNICODE(Uppercase(user) + domain)). */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return hmacMd5(md4(utf16(password)), utf16(user.toUpperCase() + domain));
}

export interface AvPair {
  id: number;
  value: Buffer;
}

export function parseAvPairs(buf: Buffer): AvPair[] {
  const out: AvPair[] = [];
  let off = 0;
  while (off + 4 <= buf.length) {
    const id = buf.readUInt16LE(off);
    const len = buf.readUInt16LE(off + 2);
    if (id === AvId.EOL) break;
    if (off + 4 + len > buf.length) throw new NtlmError("malformed AV pair list");
    out.push({ id, value: buf.subarray(off + 4, off + 4 + len) });
    off += 4 + len;
  }
  return out;
}

export function encodeAvPairs(pairs: AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of pairs) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(p.id, 0);
    head.writeUInt16LE(p.value.length, 2);
    parts.push(head, p.value);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

/**
 * NTLMv2 response (MS-NLMP 3.3.2): NTProofStr, the full NtChallengeResponse, the LMv2 response and
 * the session base key, from the inputs the spec's worked example lists.
 */
export function ntlmv2Response(input: {
  responseKeyNT: Buffer;
  serverChallenge: Buffer;
  clientChallenge: Buffer;
  /** FILETIME, 8 bytes little-endian. */
  time: Buffer;
  /** AV pairs as sent in the AUTHENTICATE message, EOL-terminated. */
  targetInfo: Buffer;
}) {
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    input.time,
    input.clientChallenge,
    Buffer.alloc(4),
    input.targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(input.responseKeyNT, input.serverChallenge, temp);
  const lmResponse = Buffer.concat([hmacMd5(input.responseKeyNT, input.serverChallenge, input.clientChallenge), input.clientChallenge]);
  const sessionBaseKey = hmacMd5(input.responseKeyNT, ntProofStr);
  return { ntProofStr, ntChallengeResponse: Buffer.concat([ntProofStr, temp]), lmResponse, sessionBaseKey };
}

export function createNegotiateMessage(flags = CLIENT_FLAGS): Buffer {
  const msg = Buffer.alloc(40);
  SIGNATURE.copy(msg, 0);
  msg.writeUInt32LE(1, 8);
  msg.writeUInt32LE(flags, 12);
  // Domain and workstation fields stay empty (offset 40, length 0).
  msg.writeUInt32LE(40, 20);
  msg.writeUInt32LE(40, 28);
  VERSION.copy(msg, 32);
  return msg;
}

function field(msg: Buffer, at: number): Buffer {
  const len = msg.readUInt16LE(at);
  const off = msg.readUInt32LE(at + 4);
  if (off + len > msg.length) throw new NtlmError("NTLM message field points outside the message");
  return msg.subarray(off, off + len);
}

function checkHeader(msg: Buffer, type: number): void {
  if (msg.length < 12 || !msg.subarray(0, 8).equals(SIGNATURE) || msg.readUInt32LE(8) !== type) {
    throw new NtlmError(`not an NTLM type ${type} message`);
  }
}

export interface ChallengeMessage {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  targetInfo: AvPair[];
}

export function parseChallengeMessage(msg: Buffer): ChallengeMessage {
  checkHeader(msg, 2);
  if (msg.length < 48) throw new NtlmError("NTLM challenge message too short");
  const flags = msg.readUInt32LE(20);
  return {
    flags,
    serverChallenge: Buffer.from(msg.subarray(24, 32)),
    targetName: field(msg, 12).toString(flags & Flags.UNICODE ? "utf16le" : "latin1"),
    targetInfo: parseAvPairs(field(msg, 40)),
  };
}

export interface AuthenticateMessage {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Buffer;
  mic: Buffer | undefined;
}

export function parseAuthenticateMessage(msg: Buffer): AuthenticateMessage {
  checkHeader(msg, 3);
  if (msg.length < 64) throw new NtlmError("NTLM authenticate message too short");
  const flags = msg.readUInt32LE(60);
  const text = (b: Buffer) => b.toString(flags & Flags.UNICODE ? "utf16le" : "latin1");
  const lowest = Math.min(...[12, 20, 28, 36, 44, 52].map((at) => msg.readUInt32LE(at + 4)).filter((o) => o > 0));
  return {
    flags,
    lmResponse: field(msg, 12),
    ntResponse: field(msg, 20),
    domain: text(field(msg, 28)),
    user: text(field(msg, 36)),
    workstation: text(field(msg, 44)),
    encryptedRandomSessionKey: field(msg, 52),
    mic: lowest >= 88 ? Buffer.from(msg.subarray(72, 88)) : undefined,
  };
}

/** Splits `DOMAIN\user`; a UPN (`user@realm`) goes as the user name with an empty domain. */
export function splitUser(user: string): { user: string; domain: string } {
  const bs = user.indexOf("\\");
  if (bs >= 0) return { domain: user.slice(0, bs), user: user.slice(bs + 1) };
  return { user, domain: "" };
}

/** Current time as a FILETIME (100 ns since 1601), little-endian. */
export function fileTimeNow(now = Date.now()): Buffer {
  const t = (BigInt(now) + 11644473600000n) * 10000n;
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(t);
  return b;
}

/**
 * Builds the AUTHENTICATE message for a CHALLENGE and returns it with the session security the
 * rest of the conversation is sealed with.
 */
export function createAuthenticateMessage(opts: {
  user: string;
  password: string;
  workstation?: string;
  negotiate: Buffer;
  challenge: Buffer;
  /** Fixed values for tests; random otherwise. */
  clientChallenge?: Buffer;
  exportedSessionKey?: Buffer;
  now?: number;
}): { message: Buffer; session: SessionSecurity } {
  const ch = parseChallengeMessage(opts.challenge);
  if ((ch.flags & REQUIRED_FLAGS) !== REQUIRED_FLAGS) {
    throw new NtlmError("the server does not offer NTLM sealing with 128-bit keys and key exchange");
  }
  const flags = (CLIENT_FLAGS & ch.flags) >>> 0;
  const { user, domain } = splitUser(opts.user);
  const responseKeyNT = ntowfv2(opts.password, user, domain);
  const clientChallenge = opts.clientChallenge ?? randomBytes(8);
  const serverTime = ch.targetInfo.find((p) => p.id === AvId.Timestamp)?.value;
  const time = serverTime ?? fileTimeNow(opts.now);
  // With a server timestamp the client sends a MIC and says so in MsvAvFlags (MS-NLMP 3.1.5.1.2).
  const pairs = ch.targetInfo.filter((p) => p.id !== AvId.Flags);
  let avFlags = ch.targetInfo.find((p) => p.id === AvId.Flags)?.value.readUInt32LE(0) ?? 0;
  if (serverTime) avFlags |= 0x2;
  if (avFlags) {
    const v = Buffer.alloc(4);
    v.writeUInt32LE(avFlags);
    pairs.push({ id: AvId.Flags, value: v });
  }
  const targetInfo = encodeAvPairs(pairs);
  const r = ntlmv2Response({ responseKeyNT, serverChallenge: ch.serverChallenge, clientChallenge, time, targetInfo });
  const lmResponse = serverTime ? Buffer.alloc(24) : r.lmResponse;
  const exportedSessionKey = opts.exportedSessionKey ?? randomBytes(16);
  const encryptedKey = rc4(r.sessionBaseKey, exportedSessionKey);

  const payload: Buffer[] = [];
  const header = Buffer.alloc(88);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let offset = 88;
  const put = (at: number, data: Buffer) => {
    header.writeUInt16LE(data.length, at);
    header.writeUInt16LE(data.length, at + 2);
    header.writeUInt32LE(offset, at + 4);
    payload.push(data);
    offset += data.length;
  };
  put(12, lmResponse);
  put(20, r.ntChallengeResponse);
  put(28, utf16(domain));
  put(36, utf16(user));
  put(44, utf16(opts.workstation ?? ""));
  put(52, encryptedKey);
  header.writeUInt32LE(flags, 60);
  VERSION.copy(header, 64);
  const message = Buffer.concat([header, ...payload]);
  if (serverTime) hmacMd5(exportedSessionKey, opts.negotiate, opts.challenge, message).copy(message, 72);
  return { message, session: new SessionSecurity(exportedSessionKey, "client") };
}

/**
 * Server side of the NTLMv2 check (for the test server and tests): verifies the NTLMv2 response
 * with the user's password and returns the session security, or undefined when it does not match.
 */
export function acceptAuthenticateMessage(opts: {
  message: Buffer;
  serverChallenge: Buffer;
  lookupPassword: (user: string, domain: string) => string | undefined;
  negotiate?: Buffer;
  challenge?: Buffer;
}): { user: string; domain: string; session: SessionSecurity } | undefined {
  const m = parseAuthenticateMessage(opts.message);
  const password = opts.lookupPassword(m.user, m.domain);
  if (password === undefined || m.ntResponse.length < 48) return undefined;
  const responseKeyNT = ntowfv2(password, m.user, m.domain);
  const ntProofStr = m.ntResponse.subarray(0, 16);
  const temp = m.ntResponse.subarray(16);
  const expected = hmacMd5(responseKeyNT, opts.serverChallenge, temp);
  if (!timingSafeEqual(expected, ntProofStr)) return undefined;
  const sessionBaseKey = hmacMd5(responseKeyNT, ntProofStr);
  const exportedSessionKey =
    m.flags & Flags.KEY_EXCH && m.encryptedRandomSessionKey.length === 16
      ? rc4(sessionBaseKey, m.encryptedRandomSessionKey)
      : sessionBaseKey;
  // The MIC counts only when the client's AV pairs say it is present (MsvAvFlags bit 0x2).
  const avFlags = parseAvPairs(Buffer.from(temp.subarray(28))).find((p) => p.id === AvId.Flags)?.value;
  const micPresent = avFlags !== undefined && avFlags.length === 4 && (avFlags.readUInt32LE(0) & 0x2) !== 0;
  if (micPresent && (!m.mic || !opts.negotiate || !opts.challenge)) return undefined;
  if (micPresent && m.mic && opts.negotiate && opts.challenge) {
    const zeroed = Buffer.from(opts.message);
    zeroed.fill(0, 72, 88);
    const mic = hmacMd5(exportedSessionKey, opts.negotiate, opts.challenge, zeroed);
    if (!timingSafeEqual(mic, m.mic)) return undefined;
  }
  return { user: m.user, domain: m.domain, session: new SessionSecurity(exportedSessionKey, "server") };
}

function subkey(exportedSessionKey: Buffer, magic: string): Buffer {
  return createHash("md5").update(exportedSessionKey).update(Buffer.from(`${magic}\0`, "latin1")).digest();
}

/**
 * NTLM session security with extended session security and key exchange (MS-NLMP 3.4): RC4
 * sealing with per-direction keys, HMAC-MD5 signatures with sequence numbers.
 */
export class SessionSecurity {
  readonly signKeyOut: Buffer;
  readonly sealKeyOut: Buffer;
  readonly signKeyIn: Buffer;
  readonly sealKeyIn: Buffer;
  private readonly sealOut: Rc4;
  private readonly sealIn: Rc4;
  private seqOut = 0;
  private seqIn = 0;

  constructor(exportedSessionKey: Buffer, role: "client" | "server") {
    const c2s = "client-to-server";
    const s2c = "server-to-client";
    const [out, inn] = role === "client" ? [c2s, s2c] : [s2c, c2s];
    this.signKeyOut = subkey(exportedSessionKey, `session key to ${out} signing key magic constant`);
    this.sealKeyOut = subkey(exportedSessionKey, `session key to ${out} sealing key magic constant`);
    this.signKeyIn = subkey(exportedSessionKey, `session key to ${inn} signing key magic constant`);
    this.sealKeyIn = subkey(exportedSessionKey, `session key to ${inn} sealing key magic constant`);
    this.sealOut = new Rc4(this.sealKeyOut);
    this.sealIn = new Rc4(this.sealKeyIn);
  }

  /** Seals one message: the encrypted data and its 16-byte signature. */
  wrap(message: Uint8Array): { sealed: Buffer; signature: Buffer } {
    const sealed = this.sealOut.update(message);
    const signature = this.sign(this.signKeyOut, this.sealOut, this.seqOut, message);
    this.seqOut++;
    return { sealed, signature };
  }

  /** Unseals one message and checks its signature; throws when it does not verify. */
  unwrap(sealed: Uint8Array, signature: Uint8Array): Buffer {
    const message = this.sealIn.update(sealed);
    const expected = this.sign(this.signKeyIn, this.sealIn, this.seqIn, message);
    this.seqIn++;
    if (signature.length !== 16 || !timingSafeEqual(expected, signature)) {
      throw new NtlmError("NTLM signature of a sealed message does not verify");
    }
    return message;
  }

  private sign(key: Buffer, handle: Rc4, seq: number, message: Uint8Array): Buffer {
    const seqBuf = Buffer.alloc(4);
    seqBuf.writeUInt32LE(seq);
    const checksum = handle.update(hmacMd5(key, seqBuf, message).subarray(0, 8));
    return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seqBuf]);
  }
}
