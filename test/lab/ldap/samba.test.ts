import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createDirectoryCollector } from "../../../src/collectors/directory.js";
import { isUnknown } from "../../../src/facts/unknown.js";
import type { DirectoryFacts } from "../../../src/facts/directory.js";
import { LAB_DIR, cli, ctxFor, failures, labPassword, readReport, run, statuses } from "./helpers.js";
import { requireLab } from "../prereqs.js";

/**
 * A real Samba AD DC (test/lab/ldap/samba-lab.sh, seeded by seed-samba.py) in namespace hsl-dc,
 * scanned through the CLI and the collector. Provisioned once for the whole file.
 */

const DC = "10.203.41.2";
const BASE = "DC=hsl,DC=lab";
const TARGET = `ldaps://${DC}/${BASE}`;
const ROSTER = join(LAB_DIR, "roster.csv");
const work = mkdtempSync(join(tmpdir(), "hsl-samba-"));
const labDir = join(work, "lab");
const adminPw = labPassword();
const auditorPw = labPassword();
const caFile = join(labDir, "tls", "ca.pem");
/** Everything any run printed or wrote, to check no password leaks. */
const outputs: string[] = [];

async function scanJson(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const out = join(work, `${name}.json`);
  const r = await cli(["scan", ...args, "--format", "json", "--output", out], env);
  outputs.push(r.stdout, r.stderr);
  let report;
  try {
    report = readReport(out);
    outputs.push(readFileSync(out, "utf8"));
  } catch {
    throw new Error(`no report from ${name} (exit ${r.code}): ${r.stderr}`);
  }
  return { ...r, report };
}

beforeAll(async () => {
  requireLab("samba");
  const pwFile = join(work, "passwords");
  writeFileSync(pwFile, `${adminPw}\n${auditorPw}\n`, { mode: 0o600 });
  const b = await run("npm", ["run", "build"], {}, 300_000);
  if (b.code !== 0) throw new Error(`build failed: ${b.stdout}${b.stderr}`);
  const up = await run(resolve(LAB_DIR, "samba-lab.sh"), ["up", labDir, pwFile]);
  if (up.code !== 0) throw new Error(`samba lab did not start: ${up.stderr}`);
}, 600_000);

afterAll(async () => {
  await run(resolve(LAB_DIR, "samba-lab.sh"), ["down", labDir]);
  await run("rm", ["-rf", work]);
});

const CLEAN = [
  "alice.nguyen", "bob.smith", "carol.jones", "dave.brown", "erin.white", "frank.green", "grace.hall", "henry.king",
  "irene.lee", "jack.moore", "kate.adams", "liam.baker", "maya.clark", "noah.diaz", "olivia.evans", "paul.fisher",
  "rachel.hunt", "sam.irwin", "tina.jacobs", "uri.kent", "auditor", "new.hire", "adm-alice", "adm-bob", "adm-carol",
  "ex.employee", "svc-backup",
];

describe("Samba AD DC: seeded conditions", () => {
  it("finds every seeded condition, names the accounts, and nothing on clean accounts", async () => {
    const r = await scanJson("auditor", [TARGET, "--bind-dn", "auditor@hsl.lab", "--password-env", "HSL_PW", "--ca-file", caFile, "--roster", ROSTER], { HSL_PW: auditorPw });
    expect(r.report.targets[0]).toMatchObject({ status: "partial", collector: "directory/ldap" });
    expect(failures(r.report)).toEqual({
      "directory-admin-daily-accounts": ["doc.smith"],
      "directory-expired-enabled-accounts": ["expired.victor"],
      "directory-kerberos-preauth": ["nopre.zack"],
      "directory-krbtgt-password-age": [],
      "directory-laps-coverage": ["WS-OLD", "WS01", "WS02"],
      "directory-lockout-threshold": [],
      "directory-never-used-accounts": ["neverused.vera"],
      "directory-password-min-length": [],
      "directory-password-never-expires": ["pne.wendy"],
      "directory-password-not-required": ["pnr.xavier"],
      "directory-privileged-group-size": ["Administrators", "Domain Admins"],
      "directory-privileged-inactive-members": ["dis.admin", "stale.admin"],
      "directory-reversible-encryption": ["rev.yara"],
      "directory-roster-accounts": ["clinic.ops", "frontdesk", "jsmith2", "quinn.left", "reception"],
      "directory-shared-accounts": ["clinic.ops", "frontdesk", "reception"],
      "directory-stale-accounts": ["stale.admin", "stale.tom", "stale.uma"],
      "directory-stale-computers": ["WS-OLD"],
      "directory-unattributed-accounts": ["frontdesk", "jsmith2", "reception"],
    });
    const st = statuses(r.report);
    expect(st["directory-cleartext-ldap-bind"]).toBe("pass");
    expect(st["directory-password-complexity"]).toBe("pass");
    expect(st["directory-password-max-age"]).toBe("pass");
    // insufficient rights: PSOs are unknown with the reason, so the rule is an error, not a pass
    expect(st["directory-fine-grained-policies"]).toBe("error");
    const fg = r.report.findings.find((f) => f.ruleId === "directory-fine-grained-policies")!;
    expect(fg.message).toMatch(/readable only by administrators/);
    expect(r.report.targets[0]!.statusReason).toMatch(/fineGrainedPolicies/);
    // citations and messages name the accounts
    const roster = r.report.findings.find((f) => f.ruleId === "directory-roster-accounts")!;
    expect(roster.hipaa).toEqual(["164.308(a)(3)(ii)(C)"]);
    expect(roster.message).toContain("quinn.left");
    const stale = r.report.findings.find((f) => f.ruleId === "directory-stale-accounts")!;
    expect(stale.message).toMatch(/lags real logons by 9-14 days/);
    // clean accounts appear in no finding at all
    const failing = r.report.findings.filter((f) => f.status === "fail");
    for (const name of CLEAN) {
      for (const f of failing) {
        expect(f.evidence.map((e) => e.fact), `${name} in ${f.ruleId}`).not.toContain(`accounts[${name}]`);
        expect(f.message.split(/[ ,:.]+/), `${name} in ${f.ruleId}`).not.toContain(name);
      }
    }
    expect(r.code).toBe(1);
  });

  it("without a roster the roster rule is not applicable", async () => {
    const r = await scanJson("noroster", [TARGET, "--bind-dn", "HSL\\auditor", "--password-env", "HSL_PW", "--ca-file", caFile], { HSL_PW: auditorPw });
    expect(statuses(r.report)["directory-roster-accounts"]).toBe("not_applicable");
  });

  it("an administrator bind reads fine-grained policies and BitLocker recovery objects; range retrieval follows ranges", async () => {
    const collector = createDirectoryCollector({ rangeStep: 2, pageSize: 7 });
    const spec = { kind: "directory" as const, scheme: "ldaps" as const, id: TARGET, host: DC, port: 636, baseDN: BASE, tags: {} };
    const tf = await collector.collect(spec, ctxFor({ bindDN: `CN=Administrator,CN=Users,${BASE}`, caFile }, adminPw));
    outputs.push(JSON.stringify(tf));
    expect(tf.status).toBe("ok");
    const facts = tf.facts as DirectoryFacts;
    expect(facts.fineGrainedPolicies).toEqual([
      expect.objectContaining({ name: "Clinicians PSO", minLength: 6, precedence: 10, complexity: true, appliesTo: [`CN=alice.nguyen,CN=Users,${BASE}`] }),
    ]);
    const computers = facts.computers as Exclude<DirectoryFacts["computers"], { unknown: true } | undefined>;
    expect(Object.fromEntries(computers.map((c) => [c.name, c.bitlockerRecoveryKeys]))).toEqual({ DC1: 0, "WS-OLD": 0, WS01: 1, WS02: 0 });
    const groups = facts.privilegedGroups as Exclude<DirectoryFacts["privilegedGroups"], { unknown: true } | undefined>;
    const da = groups.find((g) => g.name === "Domain Admins")!;
    // 7 direct members read two at a time: Administrator, adm-alice, adm-bob, adm-carol, dis.admin, doc.smith, IT Admins
    expect(da.directMemberCount).toBe(7);
    // stale.admin is a member only through IT Admins (nested)
    expect(da.members).toEqual(["Administrator", "adm-alice", "adm-bob", "adm-carol", "dis.admin", "doc.smith", "stale.admin"]);
    expect(da.enabledMembers).not.toContain("dis.admin");
    // 46 accounts over pages of 7; objectSid decoded and built-ins recognised
    const accounts = facts.accounts as Exclude<DirectoryFacts["accounts"], { unknown: true } | undefined>;
    expect(accounts).toHaveLength(46);
    const admin = accounts.find((a) => a.name === "Administrator")!;
    expect(admin.sid).toMatch(/^S-1-5-21-\d+-\d+-\d+-500$/);
    expect(admin.builtin).toBe(true);
    expect(facts.server).toMatchObject({ type: "ad", dnsHostName: "dc1.hsl.lab" });
    expect(isUnknown(facts.krbtgt)).toBe(false);
  });

  it("StartTLS on 389 works with --starttls", async () => {
    const r = await scanJson("starttls", [`ldap://${DC}/${BASE}`, "--starttls", "--bind-dn", "auditor@hsl.lab", "--password-env", "HSL_PW", "--ca-file", caFile], { HSL_PW: auditorPw });
    expect(r.report.targets[0]!.status).toBe("partial");
    expect(statuses(r.report)["directory-cleartext-ldap-bind"]).toBe("pass");
  });
});

describe("Samba AD DC: faults", () => {
  it("a plain simple bind on 389 (allowed with --allow-cleartext-bind) is reported as strong authentication required, with the fix", async () => {
    const r = await scanJson("plain", [`ldap://${DC}/${BASE}`, "--allow-cleartext-bind", "--bind-dn", "auditor@hsl.lab", "--password-env", "HSL_PW"], { HSL_PW: auditorPw });
    const t = r.report.targets[0]!;
    expect(t.status).toBe("error");
    expect(t.statusReason).toMatch(/strong authentication required/);
    expect(t.statusReason).toMatch(/ldaps:\/\/.*--starttls/);
  });

  it("a wrong password is auth_failed", async () => {
    const r = await scanJson("wrongpw", [TARGET, "--bind-dn", "auditor@hsl.lab", "--password-env", "HSL_PW", "--ca-file", caFile], { HSL_PW: "Not-The-Password-1!" });
    expect(r.report.targets[0]!.status).toBe("auth_failed");
    expect(r.code).toBe(3);
  });

  it("a server that is down is unreachable", async () => {
    const r = await scanJson("down", [`ldaps://${DC}:6360/${BASE}`, "--bind-dn", "auditor@hsl.lab", "--password-env", "HSL_PW", "--ca-file", caFile], { HSL_PW: auditorPw });
    expect(r.report.targets[0]!.status).toBe("unreachable");
  });

  it("an untrusted certificate is refused with how to fix it; --insecure-tls is an explicit opt-in the report shows", async () => {
    for (const extra of [[], ["--ca-file", join(labDir, "tls", "other-ca.pem")]]) {
      const r = await scanJson("untrusted", [TARGET, "--bind-dn", "auditor@hsl.lab", "--password-env", "HSL_PW", ...extra], { HSL_PW: auditorPw });
      const t = r.report.targets[0]!;
      expect(t.status).toBe("error");
      expect(t.statusReason).toMatch(/not trusted/);
      expect(t.statusReason).toMatch(/--ca-file/);
      expect(t.statusReason).toMatch(/--insecure-tls/);
    }
    const ok = await scanJson("insecure", [TARGET, "--bind-dn", "auditor@hsl.lab", "--password-env", "HSL_PW", "--insecure-tls"], { HSL_PW: auditorPw });
    expect(ok.report.targets[0]!.status).toBe("partial");
    expect(ok.report.targets[0]!.notes.join("\n")).toMatch(/--insecure-tls/);
  });

  it("a server slower than the time limit ends the target with an error naming the limit", async () => {
    // TCP proxy to the DC: passes the TLS handshake and bind through; once the collector reports
    // the bind done (progress step "rootDSE"), holds every answer 5 s.
    let proxy: Server | undefined;
    let armed = false;
    try {
      proxy = createServer((client) => {
        const upstream = connect(636, DC);
        client.pipe(upstream);
        upstream.on("data", (chunk: Buffer) => {
          const delay = armed ? 5000 : 0;
          setTimeout(() => client.writable && client.write(chunk), delay);
        });
        const end = () => { client.destroy(); upstream.destroy(); };
        client.on("error", end); upstream.on("error", end); client.on("close", end); upstream.on("close", end);
      });
      await new Promise<void>((ok) => proxy!.listen(0, "127.0.0.1", ok));
      const port = (proxy.address() as AddressInfo).port;
      const collector = createDirectoryCollector();
      const spec = { kind: "directory" as const, scheme: "ldaps" as const, id: `ldaps://127.0.0.1:${port}/${BASE}`, host: "127.0.0.1", port, baseDN: BASE, tags: {} };
      const t0 = Date.now();
      const ctx = ctxFor({ bindDN: "auditor@hsl.lab", insecureTls: true, timeoutMs: 2500 }, auditorPw);
      ctx.progress = (e) => {
        if (e.type === "target-step" && e.step === "rootDSE") armed = true;
      };
      const tf = await collector.collect(spec, ctx);
      outputs.push(JSON.stringify(tf));
      expect(tf.status).toBe("error");
      expect(tf.statusReason).toMatch(/no answer within 2500 ms/);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      await new Promise((ok) => (proxy ? proxy.close(ok) : ok(undefined)));
    }
  });

  it("the bind passwords never appear in any output or report", () => {
    expect(outputs.length).toBeGreaterThan(10);
    const all = outputs.join("\n");
    expect(all).not.toContain(auditorPw);
    expect(all).not.toContain(adminPw);
  });
});
