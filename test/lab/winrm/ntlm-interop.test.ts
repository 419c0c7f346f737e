import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AvId, createAuthenticateMessage, createNegotiateMessage, encodeAvPairs, fileTimeNow } from "../../../src/transports/winrm/ntlm.js";
import { requireLab } from "../prereqs.js";

/**
 * The client half of our NTLM checked by an independent implementation: ntlm-auth (Debian
 * python3-ntlm-auth, used by pywinrm) verifies the NTProofStr and MIC of our AUTHENTICATE
 * message, unseals messages our client sealed, and seals replies our client must unseal.
 * (The pywinrm tests check the server half.)
 */

const SCRIPT = fileURLToPath(new URL("./ntlm_accept.py", import.meta.url));
const PASSWORD = "Interop-Pässword-1"; // non-ASCII on purpose: UTF-16LE in NTOWFv2

let tmp: string;
beforeAll(() => {
  requireLab("winrm");
  tmp = mkdtempSync(join(tmpdir(), "hsw-ntlm-"));
  // ntlm-auth hashes with hashlib MD4, which Debian 12 keeps in OpenSSL's legacy provider.
  writeFileSync(
    join(tmp, "openssl.cnf"),
    ["openssl_conf = openssl_init", "[openssl_init]", "providers = provider_sect", "[provider_sect]", "default = default_sect", "legacy = legacy_sect", "[default_sect]", "activate = 1", "[legacy_sect]", "activate = 1", ""].join("\n"),
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function challengeMessage(): Buffer {
  const ti = encodeAvPairs([
    { id: AvId.NbDomainName, value: Buffer.from("WINLAB", "utf16le") },
    { id: AvId.NbComputerName, value: Buffer.from("WIN-HSW", "utf16le") },
    { id: AvId.Timestamp, value: fileTimeNow() },
  ]);
  const name = Buffer.from("WINLAB", "utf16le");
  const msg = Buffer.alloc(56 + name.length + ti.length);
  msg.write("NTLMSSP\0", 0, "latin1");
  msg.writeUInt32LE(2, 8);
  msg.writeUInt16LE(name.length, 12);
  msg.writeUInt16LE(name.length, 14);
  msg.writeUInt32LE(56, 16);
  msg.writeUInt32LE(0xe28a8235, 20);
  Buffer.from("8877665544332211", "hex").copy(msg, 24);
  msg.writeUInt16LE(ti.length, 40);
  msg.writeUInt16LE(ti.length, 42);
  msg.writeUInt32LE(56 + name.length, 44);
  name.copy(msg, 56);
  ti.copy(msg, 56 + name.length);
  return msg;
}

function python(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "/usr/bin/python3",
      [SCRIPT],
      { env: { PATH: process.env.PATH, HSW_PASSWORD: PASSWORD, OPENSSL_CONF: join(tmp, "openssl.cnf") }, timeout: 30_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    );
    child.stdin!.end(input);
  });
}

describe("our NTLM client half against ntlm-auth", () => {
  it("NTProofStr, MIC, sealing both ways and sequence numbers agree", async () => {
    const negotiate = createNegotiateMessage();
    const challenge = challengeMessage();
    const { message, session } = createAuthenticateMessage({ user: "WINLAB\\scanner", password: PASSWORD, negotiate, challenge });
    const texts = ["<s:Envelope>first</s:Envelope>", "second message", "third, with ünïcode"];
    const sealed = texts.map((t) => {
      const w = session.wrap(Buffer.from(t, "utf8"));
      return [w.sealed.toString("hex"), w.signature.toString("hex")];
    });
    const out = JSON.parse(
      await python(JSON.stringify({ negotiate: negotiate.toString("hex"), challenge: challenge.toString("hex"), authenticate: message.toString("hex"), sealed })),
    ) as { user: string; domain: string; ntProofOk: boolean; micOk: boolean; unsealed: string[]; replies: [string, string][] };
    expect(out).toMatchObject({ user: "scanner", domain: "WINLAB", ntProofOk: true, micOk: true });
    expect(out.unsealed).toEqual(texts);
    const replies = out.replies.map(([m, s]) => session.unwrap(Buffer.from(m, "hex"), Buffer.from(s, "hex")).toString("utf8"));
    expect(replies).toEqual(texts.map((t) => `reply to ${t}`));
  });
});
