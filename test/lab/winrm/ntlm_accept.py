"""Checks a hipaa-scan NTLM AUTHENTICATE message and sealed messages with ntlm-auth (Debian
python3-ntlm-auth, the library under pywinrm), acting as the server side.

Reads JSON on stdin: {"challenge": hex, "authenticate": hex, "sealed": [[data hex, signature hex], ...]};
the password comes from HSW_PASSWORD. Prints JSON: ntProofOk, micOk, the unsealed messages, and
replies sealed by ntlm-auth in the server role for the client to unseal.
"""
import hashlib
import hmac
import json
import os
import struct
import sys

from ntlm_auth import compute_hash, rc4, session_security


def field(msg, at):
    length, _, offset = struct.unpack("<HHI", msg[at:at + 8])
    return msg[offset:offset + length]


def main():
    d = json.load(sys.stdin)
    negotiate = bytes.fromhex(d["negotiate"])
    challenge = bytes.fromhex(d["challenge"])
    auth = bytes.fromhex(d["authenticate"])
    flags = struct.unpack("<I", auth[60:64])[0]
    nt = field(auth, 20)
    domain = field(auth, 28).decode("utf-16-le")
    user = field(auth, 36).decode("utf-16-le")
    enc_key = field(auth, 52)
    server_challenge = challenge[24:32]
    ntowf = compute_hash._ntowfv2(user, os.environ["HSW_PASSWORD"], domain)
    nt_proof = hmac.new(ntowf, server_challenge + nt[16:], hashlib.md5).digest()
    out = {"user": user, "domain": domain, "ntProofOk": nt_proof == nt[:16]}
    session_base_key = hmac.new(ntowf, nt_proof, hashlib.md5).digest()
    exported = rc4.ARC4(session_base_key).update(enc_key)
    zeroed = auth[:72] + b"\0" * 16 + auth[88:]
    out["micOk"] = hmac.new(exported, negotiate + challenge + zeroed, hashlib.md5).digest() == auth[72:88]
    server = session_security.SessionSecurity(flags, exported, source="server")
    out["unsealed"] = [server.unwrap(bytes.fromhex(m), bytes.fromhex(s)).decode("utf-8") for m, s in d["sealed"]]
    replies = []
    for text in out["unsealed"]:
        sealed, signature = server.wrap(("reply to " + text).encode("utf-8"))
        replies.append([sealed.hex(), signature.hex()])
    out["replies"] = replies
    print(json.dumps(out))


main()
