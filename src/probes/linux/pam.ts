import { Type, type Static } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num, StrList, unknown, type Unknown } from "../../facts/unknown.js";
import type { FileBlock } from "../sections.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

/**
 * PAM stacks (common-auth/common-password on Debian, system-auth/password-auth on RHEL, sshd, login).
 * deny/unlockTime/minlen: module arguments win over faillock.conf/pwquality.conf; null = not set
 * (module defaults: faillock deny 3, unlock_time 600; pwquality minlen 8).
 */
export const Pam = Type.Object({
  /** pam_faillock (or pam_tally2) in an auth stack. */
  faillock: Type.Object({ enabled: Known(Bool), deny: Known(Nullable(Num)), unlockTime: Known(Nullable(Num)) }),
  /** pam_pwquality (or pam_cracklib) in a password stack. */
  pwquality: Type.Object({ enabled: Known(Bool), minlen: Known(Nullable(Num)) }),
  /** MFA PAM modules found in the auth stacks (pam_google_authenticator, pam_oath, pam_u2f, pam_duo…). */
  mfaModules: Known(StrList),
});

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

/** The `pam` probe section: pam.sh beside this module, parsed by parsePam. */
export const pamSection = defineSection({
  key: "pam",
  schema: Pam,
  source: "/etc/pam.d/{common-auth,common-password,system-auth,password-auth,sshd,login}; faillock.conf; pwquality.conf(.d)",
  script: new URL("./pam.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parsePam(probe),
  doc: {
    heading: "`/etc/pam.d/{common-auth,common-password,common-account,system-auth,password-auth,sshd,login}`, `/etc/security/faillock.conf`, `/etc/security/pwquality.conf(.d)`",
    body: [
      "`faillock.enabled` (pam_faillock or pam_tally2 in an auth stack), `faillock.deny`,",
      "`faillock.unlockTime` (module argument, else faillock.conf; `null` = unset, module defaults 3 and",
      "600 s), `pwquality.enabled` (pam_pwquality or pam_cracklib in a password stack), `pwquality.minlen`",
      "(argument, else pwquality.conf/.d; `null` = unset, default 8), `mfaModules[]` (pam_google_authenticator,",
      "pam_oath, pam_u2f, pam_duo, pam_yubico, pam_radius, pam_pkcs11, … in auth stacks).",
    ].join("\n"),
  },
});
