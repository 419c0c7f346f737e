import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LAB_DIR, cli, failures, labPassword, readReport, run, statuses } from "./helpers.js";
import { requireLab } from "../prereqs.js";

/**
 * OpenLDAP (slapd 2.5, ppolicy, lastbind) lab in namespace hsl-ol, scanned through the CLI.
 * The directory comes from gen-openldap-ldif.mjs lab, bulk-loaded with slapadd.
 */

const SRV = "10.203.42.2";
const BASE = "dc=hsl,dc=lab";
const TARGET = `ldaps://${SRV}/${BASE}`;
const AUDITOR = `uid=auditor,ou=people,${BASE}`;
const work = mkdtempSync(join(tmpdir(), "hsl-slapd-"));
const labDir = join(work, "lab");
const rootPw = labPassword();
const auditorPw = labPassword();
const caFile = join(labDir, "tls", "ca.pem");
const outputs: string[] = [];

async function scanJson(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const out = join(work, `${name}.json`);
  const r = await cli(["scan", ...args, "--format", "json", "--output", out], env);
  outputs.push(r.stdout, r.stderr);
  const text = readFileSync(out, "utf8");
  outputs.push(text);
  return { ...r, report: readReport(out) };
}

beforeAll(async () => {
  requireLab("openldap");
  const pwFile = join(work, "passwords");
  writeFileSync(pwFile, `${rootPw}\n${auditorPw}\n`, { mode: 0o600 });
  const b = await run("npm", ["run", "build"], {}, 300_000);
  if (b.code !== 0) throw new Error(`build failed: ${b.stdout}${b.stderr}`);
  const up = await run(resolve(LAB_DIR, "slapd-lab.sh"), ["up", labDir, pwFile]);
  if (up.code !== 0) throw new Error(`slapd lab did not start: ${up.stderr}`);
}, 600_000);

afterAll(async () => {
  await run(resolve(LAB_DIR, "slapd-lab.sh"), ["down", labDir]);
  await run("rm", ["-rf", work]);
});

describe("OpenLDAP lab", () => {
  it("finds every seeded condition with the accounts named, and nothing on clean accounts", async () => {
    const r = await scanJson("auditor", [TARGET, "--bind-dn", AUDITOR, "--password-env", "HSL_PW", "--ca-file", caFile, "--roster", join(LAB_DIR, "roster-openldap.csv")], { HSL_PW: auditorPw });
    expect(r.report.targets[0]).toMatchObject({ status: "ok", collector: "directory/ldap" });
    expect(failures(r.report)).toEqual({
      "directory-admin-daily-accounts": ["doc.smith"],
      "directory-cleartext-ldap-bind": [],
      "directory-expired-enabled-accounts": ["expired.victor"],
      "directory-never-used-accounts": ["neverused.vera"],
      "directory-password-complexity": [],
      "directory-password-max-age": [],
      "directory-password-min-length": [],
      "directory-password-never-expires": ["pne.wendy"],
      "directory-privileged-inactive-members": ["locked.lisa", "stale.admin"],
      "directory-roster-accounts": ["frontdesk", "quinn.left"],
      "directory-shared-accounts": ["frontdesk"],
      "directory-stale-accounts": ["stale.admin", "stale.tom"],
      "directory-unattributed-accounts": ["frontdesk"],
    });
    const st = statuses(r.report);
    for (const id of ["directory-lockout-threshold", "directory-password-not-required", "directory-reversible-encryption", "directory-kerberos-preauth", "directory-privileged-group-size"]) {
      expect(st[id], id).toBe("pass");
    }
    for (const id of ["directory-fine-grained-policies", "directory-krbtgt-password-age", "directory-laps-coverage", "directory-stale-computers"]) {
      expect(st[id], id).toBe("not_applicable");
    }
    const clear = r.report.findings.find((f) => f.ruleId === "directory-cleartext-ldap-bind")!;
    expect(clear.message).toMatch(/port 389/);
    const clean = ["alice.nguyen", "bob.smith", "carol.jones", "dave.brown", "erin.white", "auditor", "new.hire", "adm-alice"];
    for (const f of r.report.findings.filter((x) => x.status === "fail")) {
      for (const name of clean) expect(f.evidence.map((e) => e.fact), `${name} in ${f.ruleId}`).not.toContain(`accounts[${name}]`);
    }
  });

  it("a wrong password is auth_failed and an unknown CA is refused", async () => {
    const bad = await scanJson("wrong", [TARGET, "--bind-dn", AUDITOR, "--password-env", "HSL_PW", "--ca-file", caFile], { HSL_PW: "wrong-password-1" });
    expect(bad.report.targets[0]!.status).toBe("auth_failed");
    const untrusted = await scanJson("untrusted", [TARGET, "--bind-dn", AUDITOR, "--password-env", "HSL_PW"], { HSL_PW: auditorPw });
    expect(untrusted.report.targets[0]!.statusReason).toMatch(/not trusted.*--ca-file/);
  });

  it("StartTLS works, and the bind password never appears in any output", async () => {
    const r = await scanJson("starttls", [`ldap://${SRV}/${BASE}`, "--starttls", "--bind-dn", AUDITOR, "--password-env", "HSL_PW", "--ca-file", caFile], { HSL_PW: auditorPw });
    expect(r.report.targets[0]!.status).toBe("ok");
    const all = outputs.join("\n");
    expect(all).not.toContain(auditorPw);
    expect(all).not.toContain(rootPw);
  });
});
