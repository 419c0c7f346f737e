// Remote execs per host for the whole probe, counted on the server side (target: exactly 1).
// Builds the SSH lab (test/lab/ssh/lab.sh: real OpenSSH servers in network namespaces, LogLevel
// VERBOSE), scans the four lab hosts with `--sudo` through the CLI from the scanner namespace, and
// counts sshd's "Starting session:" lines per host. Needs root. Run: npm run build && node bench/ssh-execs.js
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, readReport, requireBuild } from "./lib.js";

requireBuild();
const LAB = mkdtempSync(join(tmpdir(), "hss-bench-lab-"));
const env = { ...process.env, HSS_SUDO_PW: randomBytes(12).toString("hex") };
const lab = (...a) => execFileSync("bash", [join(ROOT, "test/lab/ssh/lab.sh"), ...a], { env, stdio: "pipe" });
const hosts = { h1: "10.77.3.11", h2: "10.77.3.12", h3: "10.77.3.13:2222", h4: "10.77.3.14" };
try {
  lab("up", LAB);
  const t0 = Date.now();
  const r = spawnSync("ip", ["netns", "exec", "hss-scan", process.execPath, BIN, "scan", ...Object.values(hosts).map((h) => `ssh://scan@${h}`),
    "--identity", join(LAB, "scan/id_ed25519"), "--known-hosts", join(LAB, "known_hosts"), "--accept-new-host-keys",
    "--sudo", "--password-env", "HSS_SUDO_PW", "--format", "json", "--quiet"], { env, encoding: "utf8", maxBuffer: 64 << 20 });
  const wall = Date.now() - t0;
  const report = await readReport(r.stdout, "stdout");
  console.log(`scan of 4 lab hosts with --sudo: ${(wall / 1000).toFixed(1)} s, exit ${r.status}, statuses ${report.targets.map((t) => t.status).join(",")}`);
  for (const h of Object.keys(hosts)) {
    const log = readFileSync(join(LAB, h, "sshd.log"), "utf8");
    const execs = (log.match(/Starting session: command/g) ?? []).length;
    const shells = (log.match(/Starting session: shell/g) ?? []).length;
    const subsystems = (log.match(/subsystem request/g) ?? []).length;
    console.log(`${h}: exec requests ${execs}, interactive shells ${shells}, subsystem requests ${subsystems}`);
  }
} finally {
  lab("down", LAB);
}
