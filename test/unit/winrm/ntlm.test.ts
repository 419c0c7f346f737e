import { describe, expect, it } from "vitest";
import { md4, rc4 } from "../../../src/transports/winrm/legacy-crypto.js";
import {
  AvId,
  SessionSecurity,
  acceptAuthenticateMessage,
  createAuthenticateMessage,
  createNegotiateMessage,
  encodeAvPairs,
  ntlmv2Response,
  ntowfv2,
  parseAuthenticateMessage,
  splitUser,
} from "../../../src/transports/winrm/ntlm.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

describe("MD4 (RFC 1320 appendix A.5 test suite)", () => {
  const cases: [string, string][] = [
    ["", "31d6cfe0d16ae931b73c59d7e0c089c0"],
    ["a", "bde52cb31de33e46245e05fbdbd6fb24"],
    ["abc", "a448017aaf21d8525fc10ae87aa6729d"],
    ["message digest", "d9130a8164549fe818874806e1c7014b"],
    ["abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"],
    ["12345678901234567890123456789012345678901234567890123456789012345678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536"],
  ];
  for (const [input, digest] of cases) {
    it(`md4(${JSON.stringify(input.slice(0, 12))}) = ${digest}`, () => {
      expect(md4(Buffer.from(input, "latin1")).toString("hex")).toBe(digest);
    });
  }
});

/** MS-NLMP 4.2.1 common values and 4.2.4 NTLMv2 authentication worked example. */
describe("NTLMv2 against MS-NLMP 4.2.4", () => {
  const user = "User";
  const domain = "Domain";
  const password = "Password";
  const serverChallenge = hex("0123456789abcdef");
  const clientChallenge = hex("aaaaaaaaaaaaaaaa");
  const randomSessionKey = hex("55555555555555555555555555555555");
  const time = Buffer.alloc(8);
  const targetInfo = encodeAvPairs([
    { id: AvId.NbDomainName, value: Buffer.from("Domain", "utf16le") },
    { id: AvId.NbComputerName, value: Buffer.from("Server", "utf16le") },
  ]);

  it("NTOWFv2 (4.2.4.1.1)", () => {
    expect(ntowfv2(password, user, domain).toString("hex")).toBe("0c868a403bfd7a93a3001ef22ef02e3f");
  });

  const r = ntlmv2Response({ responseKeyNT: ntowfv2(password, user, domain), serverChallenge, clientChallenge, time, targetInfo });

  it("session base key (4.2.4.1.2)", () => {
    expect(r.sessionBaseKey.toString("hex")).toBe("8de40ccadbc14a82f15cb0ad0de95ca3");
  });
  it("LMv2 response (4.2.4.2.1)", () => {
    expect(r.lmResponse.toString("hex")).toBe("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
  });
  it("NTProofStr of the NTLMv2 response (4.2.4.2.2)", () => {
    expect(r.ntProofStr.toString("hex")).toBe("68cd0ab851e51c96aabc927bebef6a1c");
  });
  it("encrypted session key (4.2.4.2.3)", () => {
    expect(rc4(r.sessionBaseKey, randomSessionKey).toString("hex")).toBe("c5dad2544fc9799094ce1ce90bc9d03e");
  });

  const client = new SessionSecurity(randomSessionKey, "client");
  it("sealing and signing keys (4.2.4.4)", () => {
    expect(client.sealKeyOut.toString("hex")).toBe("59f600973cc4960a25480a7c196e4c58");
    expect(client.signKeyOut.toString("hex")).toBe("4788dc861b4782f35d43fd98fe1a2d39");
  });
  it("GSS_WrapEx of 'Plaintext': sealed data and signature (4.2.4.4)", () => {
    const { sealed, signature } = client.wrap(Buffer.from("Plaintext", "utf16le"));
    expect(sealed.toString("hex")).toBe("54e50165bf1936dc996020c1811b0f06fb5f");
    expect(signature.toString("hex")).toBe("010000007fb38ec5c55d497600000000");
  });
  it("the server side unseals the spec's sealed message", () => {
    const server = new SessionSecurity(randomSessionKey, "server");
    const plain = server.unwrap(hex("54e50165bf1936dc996020c1811b0f06fb5f"), hex("010000007fb38ec5c55d497600000000"));
    expect(plain.toString("utf16le")).toBe("Plaintext");
  });
});

describe("NTLM handshake round trip", () => {
  function challenge(withTimestamp: boolean): { msg: Buffer; serverChallenge: Buffer } {
    const serverChallenge = hex("0102030405060708");
    const pairs: { id: number; value: Buffer }[] = [
      { id: AvId.NbDomainName, value: Buffer.from("LAB", "utf16le") },
      { id: AvId.NbComputerName, value: Buffer.from("WIN-LAB", "utf16le") },
    ];
    if (withTimestamp) pairs.push({ id: AvId.Timestamp, value: Buffer.alloc(8, 1) });
    const ti = encodeAvPairs(pairs);
    const name = Buffer.from("LAB", "utf16le");
    const msg = Buffer.alloc(56 + name.length + ti.length);
    msg.write("NTLMSSP\0", 0, "latin1");
    msg.writeUInt32LE(2, 8);
    msg.writeUInt16LE(name.length, 12);
    msg.writeUInt16LE(name.length, 14);
    msg.writeUInt32LE(56, 16);
    msg.writeUInt32LE(0xe28a8235, 20);
    serverChallenge.copy(msg, 24);
    msg.writeUInt16LE(ti.length, 40);
    msg.writeUInt16LE(ti.length, 42);
    msg.writeUInt32LE(56 + name.length, 44);
    name.copy(msg, 56);
    ti.copy(msg, 56 + name.length);
    return { msg, serverChallenge };
  }

  for (const withTimestamp of [false, true]) {
    it(`client and server agree on keys and messages flow both ways (timestamp/MIC: ${withTimestamp})`, () => {
      const negotiate = createNegotiateMessage();
      const { msg, serverChallenge } = challenge(withTimestamp);
      const { message, session } = createAuthenticateMessage({ user: "LAB\\alice", password: "s3cret!", negotiate, challenge: msg });
      const parsed = parseAuthenticateMessage(message);
      expect(parsed.user).toBe("alice");
      expect(parsed.domain).toBe("LAB");
      expect(parsed.mic !== undefined && withTimestamp ? parsed.mic.some((b) => b !== 0) : !withTimestamp).toBe(true);
      const accepted = acceptAuthenticateMessage({
        message,
        serverChallenge,
        negotiate,
        challenge: msg,
        lookupPassword: (u) => (u === "alice" ? "s3cret!" : undefined),
      });
      expect(accepted).toBeDefined();
      for (const text of ["first", "second message", "third"]) {
        const a = session.wrap(Buffer.from(text));
        expect(accepted!.session.unwrap(a.sealed, a.signature).toString()).toBe(text);
        const b = accepted!.session.wrap(Buffer.from(`reply ${text}`));
        expect(session.unwrap(b.sealed, b.signature).toString()).toBe(`reply ${text}`);
      }
    });
  }

  it("a wrong password is refused by the server check", () => {
    const negotiate = createNegotiateMessage();
    const { msg, serverChallenge } = challenge(true);
    const { message } = createAuthenticateMessage({ user: "alice", password: "wrong", negotiate, challenge: msg });
    expect(acceptAuthenticateMessage({ message, serverChallenge, negotiate, challenge: msg, lookupPassword: () => "s3cret!" })).toBeUndefined();
  });

  it("a tampered sealed message fails its signature", () => {
    const key = hex("00112233445566778899aabbccddeeff");
    const c = new SessionSecurity(key, "client");
    const s = new SessionSecurity(key, "server");
    const { sealed, signature } = c.wrap(Buffer.from("hello world"));
    sealed[0]! ^= 1;
    expect(() => s.unwrap(sealed, signature)).toThrow(/signature/);
  });

  it("splits DOMAIN\\user and keeps a UPN whole", () => {
    expect(splitUser("CORP\\bob")).toEqual({ user: "bob", domain: "CORP" });
    expect(splitUser("bob@corp.example")).toEqual({ user: "bob@corp.example", domain: "" });
  });
});
