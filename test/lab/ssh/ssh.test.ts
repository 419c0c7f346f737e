import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { requireLab } from "../prereqs.js";
import { reportFromJson } from "../../../src/report/read.js";

/**
 * Real OpenSSH servers in network namespaces (test/lab/ssh/lab.sh); the scanner runs inside the
 * hss-scan namespace, which has no route out of the lab. Facts come from the collector in dist/
 * (test/lab/ssh/driver.mjs) and findings from the CLI (`node bin/hipaa-scan.js scan … --format json`).
 */
const ROOT = resolve(import.meta.dirname, "../../..");
const LAB = mkdtempSync(join(tmpdir(), "hss-lab-"));
const LABSH = join(ROOT, "test/lab/ssh/lab.sh");
const KEY = join(LAB, "scan/id_ed25519");
const SUDO_PW = randomBytes(12).toString("hex");
const IP = { h1: "10.77.3.11", h2: "10.77.3.12", h3: "10.77.3.13", h4: "10.77.3.14", nol: "10.77.3.15", bh: "10.77.3.16", kl: "10.77.3.17", es: "10.77.3.18", ac: "10.77.3.19" };
const labEnv = { ...process.env, HSS_SUDO_PW: SUDO_PW };

interface Facts {
  status: string;
  statusReason?: string;
  notes: string[];
  facts: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  elapsedMs: number;
  target: { id: string };
}

function lab(...args: string[]) {
  execFileSync("bash", [LABSH, ...args], { env: labEnv, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the collector in the scanner namespace. `password` is passed through the environment only. */
function collect(opts: Record<string, unknown>, uris: string[], password?: string): Promise<{ elapsedMs: number; results: Facts[] }> {
  return new Promise((res, rej) => {
    const env = { ...process.env, HSS_TEST_PW: password ?? "" };
    const child = spawn("ip", ["netns", "exec", "hss-scan", "node", join(ROOT, "test/lab/ssh/driver.mjs"), JSON.stringify({ passwordEnv: "HSS_TEST_PW", ...opts }), ...uris], { env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => {
      if (code !== 0) return rej(new Error(`driver exited ${code}: ${err}`));
      res(JSON.parse(out) as { elapsedMs: number; results: Facts[] });
    });
  });
}

const byHost = (r: { results: Facts[] }, ip: string) => r.results.find((x) => x.target.id.includes(`@${ip}`))!;
const sshdLog = (h: string) => readFileSync(join(LAB, h, "sshd.log"), "utf8");
const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, "g")) ?? []).length;
const labUsers = (f: Facts) =>
  (f.facts.accounts.users as { name: string; uid: number }[]).filter((u) => u.uid === 0 || u.uid >= 1000 && u.uid !== 65534).map((u) => `${u.name}:${u.uid}`);

beforeAll(() => {
  requireLab("ssh");
  // The collector and CLI run from dist/; type errors elsewhere in the tree do not stop tsc emitting.
  spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "ignore" });
  if (!existsSync(join(ROOT, "dist/collectors/host-ssh.js"))) throw new Error("build did not produce dist/collectors/host-ssh.js");
  lab("up", LAB);
});

afterAll(() => {
  lab("down", LAB);
  const left = execFileSync("ip", ["netns", "list"]).toString();
  expect(left).not.toMatch(/^hss-/m);
});

describe("SSH fleet scan against four real sshd hosts", () => {
  const kh = join(LAB, "known_hosts");
  const base = { identityFiles: [KEY], knownHostsFile: kh, sudo: true, timeoutMs: 30_000 };
  let first: { elapsedMs: number; results: Facts[] };

  it("collects each host's own facts in one exec per host, trusting new keys only when asked", async () => {
    first = await collect({ ...base, acceptNewHostKeys: true }, [`ssh://scan@${IP.h1}`, `ssh://scan@${IP.h2}`, `ssh://scan@${IP.h3}:2222`, `ssh://scan@${IP.h4}`], SUDO_PW);
    const [h1, h2, h3, h4] = [IP.h1, IP.h2, IP.h3, IP.h4].map((ip) => byHost(first, ip));
    expect([h1, h2, h3, h4].map((f) => f!.status)).toEqual(["ok", "ok", "ok", "ok"]);

    // h1: hardened. sudo NOPASSWD → root.
    expect(h1!.facts.os.hostname).toBe("h1");
    expect(h1!.facts.shell).toMatchObject({ tmout: 600, readonly: true });
    expect(h1!.facts.sshd).toMatchObject({ method: "sshd -T", permitRootLogin: "no", passwordAuthentication: false, permitEmptyPasswords: false, clientAliveInterval: 300, clientAliveCountMax: 2, x11Forwarding: false });
    expect(labUsers(h1!)).toEqual(["root:0", "scan:1001", "alice:1002", "bob:1003"]);
    expect(h1!.notes).toContain("probe ran as root via sudo -S (password on stdin) as scan");

    // h2: the unhardened front-desk PC; sudo needs the password, which went to sudo -S on stdin.
    expect(h2!.facts.os.hostname).toBe("h2");
    expect(h2!.facts.shell).toMatchObject({ tmout: null });
    expect(h2!.facts.sshd).toMatchObject({ permitRootLogin: "yes", passwordAuthentication: true, permitEmptyPasswords: true, clientAliveInterval: 0, x11Forwarding: true });
    expect(labUsers(h2!)).toEqual(["root:0", "scan:1001", "frontdesk:1010", "toor:0", "temp:1011"]);
    const temp = h2!.facts.accounts.users.find((u: { name: string }) => u.name === "temp");
    expect(temp.password).toBe("empty");
    expect(h2!.notes).toContain("probe ran as root via sudo -S (password on stdin) as scan");

    // h3: port 2222, TMOUT not readonly, no sudo rights: the probe ran as the user and says so.
    expect(h3!.facts.os.hostname).toBe("h3");
    expect(h3!.facts.shell).toMatchObject({ tmout: 1800, readonly: false });
    expect(h3!.facts.sshd.method).toBe("config");
    expect(h3!.facts.accounts.users.find((u: { name: string }) => u.name === "carol").password).toMatchObject({ unknown: true });
    expect(h3!.notes.join("\n")).toMatch(/sudo did not grant root: scan is not in the sudoers file/);

    // h4: readonly TMOUT=900 set as `readonly TMOUT=900`. The scan user's bash prints a banner with
    // escape sequences from ~/.bashrc before the probe: it must not disturb or leak into the facts.
    expect(JSON.stringify(h4)).not.toMatch(/red banner|rc noise|\\u001b/);
    expect(h4!.facts.shell).toMatchObject({ tmout: 900, readonly: true });
    expect(h4!.facts.sshd).toMatchObject({ permitRootLogin: "no", passwordAuthentication: true, clientAliveInterval: 120, clientAliveCountMax: 3 });
    expect(labUsers(h4!)).toEqual(["root:0", "scan:1001", "nurse:1020", "billing:1021"]);

    // Trust on first use recorded every key, in OpenSSH's format.
    const lines = readFileSync(kh, "utf8").trim().split("\n").sort();
    expect(lines.map((l) => l.split(" ")[0])).toEqual([`10.77.3.11`, `10.77.3.12`, `10.77.3.14`, `[10.77.3.13]:2222`]);
    expect(lines.every((l) => /^\S+ ssh-ed25519 [A-Za-z0-9+/=]+$/.test(l))).toBe(true);
  });

  it("sent exactly one exec request per host (counted in each sshd's log)", () => {
    for (const h of ["h1", "h2", "h3", "h4"]) {
      const log = sshdLog(h);
      expect(count(log, /Starting session: command for scan/), h).toBe(1);
      expect(count(log, /Starting session: shell/), h).toBe(0);
    }
  });

  it("never put the sudo password in facts, notes or output", () => {
    expect(JSON.stringify(first)).not.toContain(SUDO_PW);
  });

  it("gives the findings per host through the CLI", () => {
    const r = spawnSync(
      "ip",
      ["netns", "exec", "hss-scan", "node", join(ROOT, "bin/hipaa-scan.js"), "scan", `ssh://scan@${IP.h1}`, `ssh://scan@${IP.h2}`, `ssh://scan@${IP.h3}:2222`, `ssh://scan@${IP.h4}`,
        "--identity", KEY, "--known-hosts", kh, "--sudo", "--password-env", "HSS_TEST_PW", "--format", "json", "--quiet"],
      { env: { ...process.env, HSS_TEST_PW: SUDO_PW }, encoding: "utf8" },
    );
    expect(r.stderr).not.toContain(SUDO_PW);
    const report = reportFromJson(JSON.parse(r.stdout), "stdout");
    expect(report.targets.map((t) => t.status)).toEqual(["ok", "ok", "ok", "ok"]);
    const status = (rule: string, ip: string) => report.findings.find((f) => f.ruleId === rule && f.target.id.includes(`@${ip}`))?.status;
    // What each host's own /etc makes of the rules (h3 runs without root: root-only facts are errors).
    const expected: Record<string, string[]> = {
      "linux-shell-idle-timeout": ["pass", "fail", "fail", "pass"],
      "linux-ssh-root-login": ["pass", "fail", "pass", "pass"],
      "linux-ssh-empty-passwords": ["pass", "fail", "pass", "pass"],
      "linux-ssh-password-only-auth": ["pass", "fail", "pass", "fail"],
      "linux-ssh-dead-client-timeout": ["pass", "fail", "fail", "pass"],
      "linux-empty-passwords": ["pass", "fail", "error", "pass"],
      "linux-uid0-only-root": ["pass", "fail", "pass", "pass"],
    };
    for (const [rule, want] of Object.entries(expected)) {
      expect([IP.h1, IP.h2, IP.h3, IP.h4].map((ip) => status(rule, ip)), rule).toEqual(want);
    }
    // The exit code is the gate the report computed (other rules may fail at high severity).
    expect(r.status).toBe((report as unknown as { summary: { gate: { exitCode: number } } }).summary.gate.exitCode);
  });

  it("reaches a host through a jump host (ProxyJump through the first connection)", async () => {
    const r = await collect({ ...base, sudo: false, jump: `scan@${IP.h1}` }, [`ssh://scan@${IP.h3}:2222`]);
    const h3 = r.results[0]!;
    expect(h3.status).toBe("ok");
    expect(h3.facts.os.hostname).toBe("h3");
    expect(h3.notes.join("\n")).toMatch(/jump host scan@10\.77\.3\.11:22/);
    expect(sshdLog("h3")).toMatch(new RegExp(`Connection from ${IP.h1.replace(/\./g, "\\.")} port`));
  });

  it("honours ~/.ssh/config: HostName, User, Port, IdentityFile and ProxyJump", async () => {
    const cfg = join(LAB, "ssh_config");
    writeFileSync(
      cfg,
      `Host frontdesk\n  HostName ${IP.h3}\n  Port 2222\n  User scan\n  IdentityFile ${KEY}\n  ProxyJump scan@${IP.h1}\n`,
    );
    const r = await collect({ knownHostsFile: kh, acceptNewHostKeys: true, sudo: false, sshConfigFile: cfg }, ["ssh://frontdesk"]);
    const f = r.results[0]!;
    expect(f.status).toBe("ok");
    expect(f.facts.os.hostname).toBe("h3");
    expect(f.notes.join("\n")).toMatch(/jump host scan@10\.77\.3\.11:22/);
  });

  it("scans the targets of an --inventory file with its defaults and per-host overrides", () => {
    const inv = join(LAB, "site.yaml");
    writeFileSync(
      inv,
      [
        "defaults:",
        "  user: scan",
        `  identity: ${KEY}`,
        `  knownHosts: ${kh}`,
        "  acceptNewHostKeys: true",
        "  sudo: true",
        "groups:",
        "  front-desk:",
        "    tags: { ephi: true }",
        "    hosts:",
        `      - ssh://${IP.h2}`,
        `      - { host: ${IP.h3}, port: 2222, sudo: false }`,
        "",
      ].join("\n"),
    );
    const r = spawnSync("ip", ["netns", "exec", "hss-scan", "node", join(ROOT, "bin/hipaa-scan.js"), "scan", "--inventory", inv, "--password-env", "HSS_TEST_PW", "--format", "json", "--quiet"], {
      env: { ...process.env, HSS_TEST_PW: SUDO_PW },
      encoding: "utf8",
    });
    const report = reportFromJson(JSON.parse(r.stdout), "stdout");
    expect(report.targets.map((t) => [t.id, t.status])).toEqual([
      [`ssh://${IP.h2}`, "ok"],
      [`ssh://scan@${IP.h3}:2222`, "ok"],
    ]);
    expect(report.targets[0]!.notes).toContain("probe ran as root via sudo -S (password on stdin) as scan");
    expect(report.targets[1]!.notes.join("\n")).not.toMatch(/sudo/);
  });

  it("logs in with a password from --password-env when no key is accepted", async () => {
    const r = await collect({ identityFiles: [join(LAB, "scan/id_wrong")], knownHostsFile: kh, sudo: false, timeoutMs: 20_000 }, [`ssh://scan@${IP.h4}`], SUDO_PW);
    expect(r.results[0]!.status).toBe("ok");
    expect(sshdLog("h4")).toMatch(/Accepted password for scan/);
  });
});

describe("activity review on real login records", () => {
  /** Real SSH logins from the scanner namespace (test/lab/ssh/logins.mjs); passwords only in the environment. */
  const logins = (...args: string[]) =>
    JSON.parse(
      execFileSync("ip", ["netns", "exec", "hss-scan", "node", join(ROOT, "test/lab/ssh/logins.mjs"), IP.ac, ...args], {
        env: { ...process.env, HSS_LOGIN_PW: SUDO_PW },
        encoding: "utf8",
      }),
    ) as string[];

  it("a burst of failed SSH logins then a success, and a login off the roster, are both findings naming account, source and time", () => {
    expect(logins("alice", "fail", "12")).toEqual(Array(12).fill("denied"));
    expect(logins("alice", "password")).toEqual(["ok"]);
    expect(logins("mallory", "key", KEY)).toEqual(["ok"]);
    const roster = join(LAB, "staff.csv");
    writeFileSync(roster, "username\nalice\nscan\n");
    const kh = join(LAB, "known_hosts_ac");
    const r = spawnSync(
      "ip",
      ["netns", "exec", "hss-scan", "node", join(ROOT, "bin/hipaa-scan.js"), "scan", `ssh://scan@${IP.ac}`, "--identity", KEY, "--known-hosts", kh,
        "--accept-new-host-keys", "--sudo", "--roster", roster, "--format", "json", "--quiet"],
      { encoding: "utf8" },
    );
    const report = reportFromJson(JSON.parse(r.stdout), "stdout");
    expect(report.targets.map((t) => t.status)).toEqual(["ok"]);
    const finding = (id: string) => report.findings.find((f) => f.ruleId === id)!;
    const iso = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;
    expect(finding("linux-activity-brute-force").status).toBe("fail");
    const after = finding("linux-activity-success-after-failures");
    expect(after.status).toBe("fail");
    expect(after.message).toContain("12 failed logins from 10.77.3.2 (alice)");
    expect(after.message).toMatch(new RegExp(`then alice logged in from 10\\.77\\.3\\.2 at ${iso.source}`));
    const roster_ = finding("linux-activity-roster-logins");
    expect(roster_.status).toBe("fail");
    expect(roster_.message).toMatch(new RegExp(`mallory from 10\\.77\\.3\\.2 at ${iso.source}`));
    expect(roster_.message).not.toContain("alice");
    // The wtmp lab.sh wrote starts 3 days ago: shorter than the 30-day window.
    expect(finding("linux-activity-log-retention").status).toBe("fail");
    expect(finding("linux-activity-root-logins").status).toBe("pass");
    // The report's Activity section is the reviewed record: window, counts and the same events.
    const review = (report as unknown as { activity: { target: string; failures: number; logins: number; notable: string[] }[] }).activity;
    expect(review).toHaveLength(1);
    expect(review[0]!.failures).toBe(12);
    expect(review[0]!.logins).toBe(3); // alice on tty1 (lab.sh), alice and mallory over SSH
    expect(review[0]!.notable.join("\n")).toMatch(/then alice logged in from 10\.77\.3\.2/);
    expect(review[0]!.notable.join("\n")).toMatch(/not on the roster: mallory from 10\.77\.3\.2/);
  }, 120_000);

  it("the window follows --activity-window; business hours and time zone are params; with history a new account-source pair is a finding", () => {
    const kh = join(LAB, "known_hosts_ac2");
    const history = join(LAB, "activity-history.db");
    const scan = (...extra: string[]) => {
      const r = spawnSync(
        "ip",
        ["netns", "exec", "hss-scan", "node", join(ROOT, "bin/hipaa-scan.js"), "scan", `ssh://scan@${IP.ac}`, "--identity", KEY, "--known-hosts", kh,
          "--accept-new-host-keys", "--sudo", "--format", "json", "--quiet", ...extra],
        { encoding: "utf8" },
      );
      const report = reportFromJson(JSON.parse(r.stdout), "stdout");
      return { report, activity: report.activity!, finding: (id: string) => report.findings.find((f) => f.ruleId === id)! };
    };
    // wtmp starts 3 days ago: a 2-day window is covered, and the probe read 2 days. Without history, new sources are an error.
    const short = scan("--no-history", "--activity-window", "2d", "--param", "business_hours=00:00-24:00", "--param", "business_days=Mon,Tue,Wed,Thu,Fri,Sat,Sun");
    expect(short.activity[0]!.windowDays).toBe(2);
    expect(short.finding("linux-activity-log-retention").status).toBe("pass");
    expect(short.finding("linux-activity-after-hours-logins").status).toBe("pass");
    expect(short.finding("linux-activity-new-login-sources").status).toBe("error");
    // Business hours one hour long, twelve hours from now, on Tokyo's clock: the SSH logins just made are outside them.
    const tokyoHour = (Number(new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Tokyo", hour: "2-digit", hourCycle: "h23" }).format(new Date())) + 12) % 24;
    const span = `${String(tokyoHour).padStart(2, "0")}:00-${String(tokyoHour + 1).padStart(2, "0")}:00`;
    const night = scan("--history", history, "--param", `business_hours=${span}`, "--param", "time_zone=Asia/Tokyo");
    const late = night.finding("linux-activity-after-hours-logins");
    expect(late.status).toBe("fail");
    expect(late.message).toMatch(new RegExp(`Logins outside ${span} on business days \\(Asia/Tokyo\\): .*mallory from 10\\.77\\.3\\.2 at \\d{4}-`));
    // The first run in this history has nothing to compare with: error, never pass.
    expect(night.finding("linux-activity-new-login-sources").status).toBe("error");
    // The first recorded run has no earlier counts to show: no series (the --no-history run was not recorded).
    expect(night.activity[0]).not.toHaveProperty("history");
    // Second run: every account-source pair was in the first.
    const second = scan("--history", history);
    expect(second.finding("linux-activity-new-login-sources").status).toBe("pass");
    // Its Activity section carries the first run's counts, then its own: logins, failed and sudo over time.
    const point = (r: typeof night) => {
      const a = r.activity[0]!;
      return { runId: r.report.run!.id, finishedAt: r.report.finishedAt, windowDays: a.windowDays, oldestRecord: a.oldestRecord, logins: a.logins, failures: a.failures, sudo: a.sudo };
    };
    expect(second.activity[0]!.history).toEqual([point(night), point(second)]);
    expect(point(night)).toMatchObject({ windowDays: 30, failures: 12 });
    expect(point(night).logins).toBeGreaterThanOrEqual(3);
    expect(typeof point(night).sudo).toBe("number"); // --sudo reads the journal: known, not unknown
    // A login by an account never seen from this source (scan over a terminal), then a third run.
    expect(logins("scan", "key", KEY)).toEqual(["ok"]);
    const third = scan("--history", history);
    expect(third.activity[0]!.history).toEqual([point(night), point(second), point(third)]);
    expect(point(third).logins).toBe(point(second).logins! + 1); // the terminal login just made
    const fresh = third.finding("linux-activity-new-login-sources");
    expect(fresh.status).toBe("fail");
    expect(fresh.message).toMatch(/never saw for the account: scan from 10\.77\.3\.2 at \d{4}-\d\d-\d\dT/);
    expect(fresh.message).not.toContain("mallory");
  }, 180_000);
});

describe("faults", () => {
  const kh = join(LAB, "kh-faults");
  const base = { identityFiles: [KEY], knownHostsFile: kh, acceptNewHostKeys: true, sudo: false, timeoutMs: 30_000 };

  it("a host with no listener is unreachable, quickly", async () => {
    const r = (await collect(base, [`ssh://scan@${IP.nol}`])).results[0]!;
    expect(r.status).toBe("unreachable");
    expect(r.statusReason).toMatch(/ECONNREFUSED/);
    expect(r.elapsedMs).toBeLessThan(2000);
  });

  it("a blackholed host ends unreachable at the deadline, not later", async () => {
    const r = (await collect({ ...base, timeoutMs: 3000 }, [`ssh://scan@${IP.bh}`])).results[0]!;
    expect(r.status).toBe("unreachable");
    expect(r.elapsedMs).toBeGreaterThanOrEqual(2900);
    expect(r.elapsedMs).toBeLessThan(4500);
  });

  it("a key the server does not accept is auth_failed", async () => {
    const r = (await collect({ ...base, identityFiles: [join(LAB, "scan/id_wrong")] }, [`ssh://scan@${IP.h1}`])).results[0]!;
    expect(r.status).toBe("auth_failed");
    expect(r.facts.os).toMatchObject({ unknown: true });
  });

  it("an unknown host key without --accept-new-host-keys is not scanned", async () => {
    const fresh = join(LAB, "kh-empty");
    const before = count(sshdLog("h2"), /Starting session/);
    const r = (await collect({ ...base, knownHostsFile: fresh, acceptNewHostKeys: false }, [`ssh://scan@${IP.h2}`])).results[0]!;
    expect(r.status).toBe("host_key_mismatch");
    expect(r.statusReason).toMatch(/not in .*kh-empty; not scanned/);
    expect(existsSync(fresh)).toBe(false);
    expect(count(sshdLog("h2"), /Starting session/)).toBe(before);
  });

  it("a changed host key is refused before anything runs, with both fingerprints and the fix", async () => {
    const khc = join(LAB, "kh-changed");
    expect((await collect({ ...base, knownHostsFile: khc }, [`ssh://scan@${IP.h1}`])).results[0]!.status).toBe("ok");
    const oldFp = execFileSync("ssh-keygen", ["-lf", khc]).toString().split(" ")[1]!;
    lab("rekey", LAB, "h1"); // new host key; sshd restarted with an empty log
    const newFp = execFileSync("ssh-keygen", ["-lf", join(LAB, "h1/etc/ssh/ssh_host_ed25519_key.pub")]).toString().split(" ")[1]!;
    const r = (await collect({ ...base, knownHostsFile: khc }, [`ssh://scan@${IP.h1}`])).results[0]!;
    expect(r.status).toBe("host_key_mismatch");
    expect(r.statusReason).toContain(`presented ssh-ed25519 ${newFp}`);
    expect(r.statusReason).toContain(`known ssh-ed25519 ${oldFp}`);
    expect(r.statusReason).toContain(`ssh-keygen -R '10.77.3.11' -f ${khc}`);
    // Server side: the client went away during key exchange; no login, no session, no command.
    const log = sshdLog("h1");
    expect(log).toMatch(/Connection from 10\.77\.3\.2 port/);
    expect(log).not.toMatch(/Accepted|Starting session|Postponed/);
    // known_hosts was not touched.
    expect(readFileSync(khc, "utf8").trim().split("\n")).toHaveLength(1);
    // The whole fleet re-keyed: through the CLI, with the known_hosts of the first scan, every host
    // is refused, nothing about any of them is judged, and the gate says 3.
    for (const h of ["h2", "h3", "h4"]) lab("rekey", LAB, h);
    const fleet = [`ssh://scan@${IP.h1}`, `ssh://scan@${IP.h2}`, `ssh://scan@${IP.h3}:2222`, `ssh://scan@${IP.h4}`];
    const cli = spawnSync(
      "ip",
      ["netns", "exec", "hss-scan", "node", join(ROOT, "bin/hipaa-scan.js"), "scan", ...fleet, "--identity", KEY, "--known-hosts", join(LAB, "known_hosts"),
        "--accept-new-host-keys", "--sudo", "--password-env", "HSS_TEST_PW", "--format", "json", "--quiet"],
      { encoding: "utf8", env: { ...process.env, HSS_TEST_PW: SUDO_PW } },
    );
    const report = reportFromJson(JSON.parse(cli.stdout), "stdout");
    expect(report.targets.map((t) => t.status)).toEqual(["host_key_mismatch", "host_key_mismatch", "host_key_mismatch", "host_key_mismatch"]);
    expect(report.targets.every((t) => /REMOTE HOST KEY HAS CHANGED/.test(t.statusReason ?? ""))).toBe(true);
    expect(report.findings.filter((f) => f.target.id.startsWith("ssh://") && (f.status === "pass" || f.status === "fail"))).toEqual([]);
    expect(cli.status).toBe(3);
    for (const h of ["h1", "h2", "h3", "h4"]) expect(sshdLog(h), h).not.toMatch(/Accepted|Starting session/);
  });

  it("a wrong sudo password is detected: reported, never echoed, the probe runs unprivileged", async () => {
    const wrong = `wrong-${randomBytes(6).toString("hex")}`;
    const r = (await collect({ ...base, sudo: true }, [`ssh://scan@${IP.h4}`], wrong)).results[0]!;
    expect(r.status).toBe("partial");
    expect(r.statusReason).toMatch(/sudo refused the password/);
    expect(r.facts.os.hostname).toBe("h4");
    expect(r.facts.sshd.method).toBe("config");
    expect(JSON.stringify(r)).not.toContain(wrong);
    expect(count(sshdLog("h4"), /Starting session: command/)).toBeGreaterThan(0);
  });

  it("sshd killed mid-probe: the target ends in error and the facts read so far are kept", async () => {
    // Only this test's session counts: an earlier test may have logged one on this host already.
    const before = sshdLog("kl").length;
    const running = collect({ ...base, sudo: true }, [`ssh://scan@${IP.kl}`]);
    // The probe's lsblk on this host hangs; kill the server once the session has started.
    const t0 = Date.now();
    while (!/Starting session: command/.test(sshdLog("kl").slice(before))) {
      if (Date.now() - t0 > 15_000) throw new Error("probe never started on kl");
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1500));
    lab("kill", LAB, "kl");
    const r = (await running).results[0]!;
    expect(r.status).toBe("error");
    expect(r.statusReason).toMatch(/connection was lost/);
    expect(r.facts.os.hostname).toBe("kl");
    expect(r.facts.os.family).toBe("linux");
    expect(r.elapsedMs).toBeLessThan(10_000);
  });

  it("huge output full of escape sequences: capped, and no escape reaches the facts", async () => {
    const r = (await collect({ ...base, sudo: true, timeoutMs: 60_000 }, [`ssh://scan@${IP.es}`])).results[0]!;
    expect(r.status).toBe("partial");
    expect(r.statusReason).toMatch(/cut/);
    const text = JSON.stringify(r);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|\\u001b|\\u0007/);
    expect(r.facts.os.name).toBe("EvilOS");
    expect(text.length).toBeLessThan(2_000_000);
  });
});
