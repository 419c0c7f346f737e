import type { SessionSecurity } from "./ntlm.js";

/**
 * WinRM message encryption over HTTP (MS-WSMV 2.2.9.1.1): each SOAP message is sealed with the
 * NTLM session and sent as `multipart/encrypted` with the HTTP-SPNEGO-session-encrypted protocol.
 * The sealed part is a 4-byte little-endian signature length, the signature, then the sealed
 * bytes (RC4 keeps the length, so OriginalContent's Length says where it ends).
 */

export const PROTOCOL = "application/HTTP-SPNEGO-session-encrypted";
export const BOUNDARY = "Encrypted Boundary";
export const CONTENT_TYPE = `multipart/encrypted;protocol="${PROTOCOL}";boundary="${BOUNDARY}"`;
const DASH_BOUNDARY = Buffer.from(`--${BOUNDARY}\r\n`, "latin1");
const OCTET_HEADER = Buffer.from("\tContent-Type: application/octet-stream\r\n", "latin1");
/** A single message above this is refused rather than buffered (the MaxEnvelopeSize is far smaller). */
const MAX_MESSAGE = 64 * 1024 * 1024;

export class EncryptionError extends Error {}

export function encryptMessage(session: SessionSecurity, message: Buffer): Buffer {
  const { sealed, signature } = session.wrap(message);
  const sigLen = Buffer.alloc(4);
  sigLen.writeUInt32LE(signature.length);
  return Buffer.concat([
    DASH_BOUNDARY,
    Buffer.from(`\tContent-Type: ${PROTOCOL}\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${message.length}\r\n`, "latin1"),
    DASH_BOUNDARY,
    OCTET_HEADER,
    sigLen,
    signature,
    sealed,
    Buffer.from(`--${BOUNDARY}--\r\n`, "latin1"),
  ]);
}

export function isEncryptedContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /multipart\/encrypted/i.test(contentType) && contentType.includes(`protocol="${PROTOCOL}"`);
}

/** Unseals every encrypted part of a body (normally one) and checks signatures and lengths. */
export function decryptMessage(session: SessionSecurity, body: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = body.indexOf(DASH_BOUNDARY);
  if (pos < 0) throw new EncryptionError("encrypted body has no MIME boundary");
  while (pos >= 0) {
    const headerStart = pos + DASH_BOUNDARY.length;
    const next = body.indexOf(DASH_BOUNDARY, headerStart);
    if (next < 0) break;
    const header = body.subarray(headerStart, next).toString("latin1");
    if (!header.includes(PROTOCOL)) throw new EncryptionError("encrypted part has an unexpected protocol");
    const m = /Length=(\d+)/.exec(header);
    if (!m) throw new EncryptionError("encrypted part has no OriginalContent length");
    const length = Number(m[1]);
    if (length > MAX_MESSAGE) throw new EncryptionError("encrypted part is too large");
    let p = next + DASH_BOUNDARY.length;
    if (!body.subarray(p, p + OCTET_HEADER.length).equals(OCTET_HEADER)) {
      throw new EncryptionError("encrypted part lacks its octet-stream header");
    }
    p += OCTET_HEADER.length;
    if (p + 4 > body.length) throw new EncryptionError("encrypted part is truncated");
    const sigLen = body.readUInt32LE(p);
    p += 4;
    if (sigLen !== 16 || p + sigLen + length > body.length) throw new EncryptionError("encrypted part is truncated");
    const signature = body.subarray(p, p + sigLen);
    p += sigLen;
    out.push(session.unwrap(body.subarray(p, p + length), signature));
    p += length;
    pos = body.indexOf(DASH_BOUNDARY, p);
  }
  if (out.length === 0) throw new EncryptionError("encrypted body holds no message");
  return Buffer.concat(out);
}
