import type { Static } from "@sinclair/typebox";
import type { Pam } from "../../facts/host-linux.js";
import { unknown, type Unknown } from "../../facts/unknown.js";
import type { FileBlock } from "../sections.js";
import type { ProbeOutput } from "./probe-output.js";

export type PamFacts = Static<typeof Pam>;

export interface PamLine {
  file: string;
  type: string;
  module: string;
  args: Map<string, string>;
}

/** PAM config lines: `type control module args…` (control may be `[…]`); `-type` lines count too. */
export function parsePamFiles(files: FileBlock[]): PamLine[] {
  const out: PamLine[] = [];
  for (const f of files) {
    for (const raw of f.content.replace(/\\\n/g, " ").split("\n")) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith("@")) continue;
      const m = /^-?(\w+)\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$/.exec(line);
      if (!m || !m[1] || !m[3]) continue;
      const args = new Map<string, string>();
      for (const a of (m[4] ?? "").split(/\s+/).filter(Boolean)) {
        const eq = a.indexOf("=");
        args.set(eq > 0 ? a.slice(0, eq) : a, eq > 0 ? a.slice(eq + 1) : "");
      }
      out.push({ file: f.path, type: m[1].toLowerCase(), module: m[3].replace(/^.*\//, ""), args });
    }
  }
  return out;
}

/** `key = value` settings (faillock.conf, pwquality.conf); later files override earlier ones. */
export function parseKeyEquals(files: FileBlock[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    for (const raw of f.content.split("\n")) {
      const m = /^\s*([\w-]+)\s*(?:=\s*(.*?))?\s*$/.exec(raw);
      if (!m || !m[1] || raw.trim().startsWith("#")) continue;
      out.set(m[1], m[2] ?? "");
    }
  }
  return out;
}

const MFA = /^pam_(google_authenticator|oath|u2f|duo|yubico|radius_auth|radius|totp|mfa|okta\w*|privacyidea|linotp|2fa|otpw|sss_otp|pkcs11|p11)\.so$/;

const num = (v: string | undefined): number | null => (v !== undefined && /^-?\d+$/.test(v.trim()) ? Number(v) : null);

export function parsePam(probe: ProbeOutput): PamFacts {
  const files = probe.files("pam", "/etc/pam.d");
  if (!Array.isArray(files)) return allUnknown(files);
  const denied = files.filter((f) => f.denied);
  if (denied.length > 0) return allUnknown(unknown(`cannot read ${denied.map((f) => f.path).join(", ")}`));
  if (files.length === 0) return allUnknown(unknown("no PAM configuration found in /etc/pam.d"));
  const lines = parsePamFiles(files);
  const auth = lines.filter((l) => l.type === "auth");
  const password = lines.filter((l) => l.type === "password");

  const fl = probe.files("faillock", "/etc/security/faillock.conf");
  const flConf = Array.isArray(fl) ? parseKeyEquals(fl.filter((f) => !f.denied)) : null;
  const faillockLines = auth.filter((l) => l.module === "pam_faillock.so" || l.module === "pam_tally2.so");
  const fromArgs = (key: string) => faillockLines.map((l) => num(l.args.get(key))).find((v) => v !== null) ?? null;
  const fromConf = (key: string): number | null | Unknown =>
    flConf ? num(flConf.get(key)) : unknown(`faillock.conf: ${(fl as Unknown).reason}`);
  const deny = fromArgs("deny") ?? fromConf("deny");
  const unlockTime = fromArgs("unlock_time") ?? fromConf("unlock_time");

  const pq = probe.files("pwquality", "/etc/security/pwquality.conf");
  const pqConf = Array.isArray(pq) ? parseKeyEquals(pq.filter((f) => !f.denied)) : null;
  const pqLines = password.filter((l) => l.module === "pam_pwquality.so" || l.module === "pam_cracklib.so");
  const minlenArg = pqLines.map((l) => num(l.args.get("minlen"))).find((v) => v !== null) ?? null;
  const minlen = minlenArg ?? (pqConf ? num(pqConf.get("minlen")) : unknown(`pwquality.conf: ${(pq as Unknown).reason}`));

  return {
    faillock: { enabled: faillockLines.length > 0, deny, unlockTime },
    pwquality: { enabled: pqLines.length > 0, minlen },
    mfaModules: [...new Set(auth.map((l) => l.module).filter((m) => MFA.test(m)))],
  };
}

function allUnknown(u: Unknown): PamFacts {
  return { faillock: { enabled: u, deny: u, unlockTime: u }, pwquality: { enabled: u, minlen: u }, mfaModules: u };
}
