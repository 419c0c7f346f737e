// Rule-engine throughput: 10,000 synthetic Linux hosts × the full built-in pack (target ≤ 2 s).
// The hosts vary (accounts, mounts, settings, unknowns) so every branch of the rules runs.
import { performance } from "node:perf_hooks";
import { requireBuild } from "./lib.js";

requireBuild();
const { loadRuleSet } = await import("../dist/engine/packs.js");
const { evaluateRules } = await import("../dist/engine/evaluate.js");

const HOSTS = Number(process.argv[2] ?? 10_000);
const t0 = performance.now();
const ruleSet = await loadRuleSet();
const loadMs = performance.now() - t0;

const unk = { unknown: true, reason: "needs root" };
function host(i) {
  const users = Array.from({ length: 5 + (i % 20) }, (_, u) => ({
    name: u === 0 ? "root" : i % 7 === 0 && u === 1 ? "frontdesk" : `user${u}`,
    uid: u === 0 ? 0 : 1000 + u, gid: 1000 + u, gecos: u % 5 === 0 ? "shared account" : `User ${u}`,
    home: `/home/user${u}`, shell: u % 3 === 0 ? "/usr/sbin/nologin" : "/bin/bash", interactive: u % 3 !== 0,
    password: i % 11 === 0 ? unk : u % 4 === 0 ? "locked" : "set",
    passwordChanged: `2025-0${1 + (u % 9)}-15T00:00:00.000Z`, expires: null,
    lastLogin: u % 6 === 0 ? null : `2025-${String(1 + (u % 12)).padStart(2, "0")}-10T08:00:00.000Z`,
    groups: u === 1 ? ["sudo"] : [],
  }));
  const mounts = ["/", "/home", "/var", "/boot"].slice(0, 1 + (i % 4));
  return {
    target: { kind: "host", id: `ssh://10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
    status: "ok", collector: "bench", collectedAt: "2026-06-01T00:00:00.000Z", tags: {}, sources: {}, notes: [],
    facts: {
      os: { family: "linux", name: "Debian GNU/Linux", version: "12", id: "debian", kernel: "6.1.0", hostname: `h${i}`, arch: "x86_64", endOfLife: false },
      shell: { tmout: i % 3 === 0 ? null : 600 + (i % 5) * 300, readonly: i % 2 === 0, settings: [] },
      sshd: { installed: true, running: true, method: "sshd -T", version: "OpenSSH_9.2p1", permitRootLogin: i % 4 === 0 ? "yes" : "prohibit-password", passwordAuthentication: i % 2 === 0, kbdInteractiveAuthentication: false, permitEmptyPasswords: false, pubkeyAuthentication: true, authenticationMethods: "any", usePam: true, clientAliveInterval: i % 3 === 0 ? 0 : 300, clientAliveCountMax: 3, channelTimeoutSession: i % 5 === 0 ? 900 : null, unusedConnectionTimeout: null, ciphers: ["aes256-gcm@openssh.com", ...(i % 6 === 0 ? ["aes128-cbc"] : [])], macs: ["hmac-sha2-256-etm@openssh.com", ...(i % 8 === 0 ? ["hmac-sha1"] : [])], kexAlgorithms: ["curve25519-sha256"], x11Forwarding: false, maxAuthTries: 6, logLevel: "INFO" },
      gnome: { installed: i % 10 === 0, idleDelay: 300, lockEnabled: true, lockDelay: 0, lockedKeys: [] },
      accounts: { users, privileged: ["root", "user1"], adminGroupMembers: ["user1"], defaultInactiveDays: i % 2 ? 30 : -1 },
      storage: {
        blockDevices: [],
        filesystems: mounts.map((m, k) => ({ mountpoint: m, source: `/dev/sda${k + 1}`, fstype: "ext4", pseudo: false, chain: ["sda"], encrypted: (i + k) % 3 !== 0 })),
        swap: [{ source: "/dev/sda9", type: "partition", chain: ["sda9 (part)"], encrypted: i % 2 === 0, inMemory: false }],
        crypttab: [],
      },
      audit: { auditd: { installed: i % 3 !== 0, active: i % 3 !== 0, enabled: i % 3 !== 0, rules: [], watches: { logins: true, sudo: i % 2 === 0, identity: true, time: false } }, journald: { storage: "auto", persistent: i % 2 === 0 }, forwarding: i % 4 === 0 ? ["rsyslog tcp://siem:514"] : [] },
      time: { synchronized: true, service: "chrony" },
      firewall: { backend: "nftables", active: i % 5 !== 0, ruleCount: 12, defaultInputPolicy: "drop" },
      updates: { manager: "apt", pendingSecurity: i % 9, pendingTotal: 20, packages: [], metadataUpdated: "2026-05-30T00:00:00.000Z" },
      pam: { faillock: { enabled: i % 2 === 0, deny: 5, unlockTime: 600 }, pwquality: { enabled: true, minlen: 8 + (i % 8) }, mfaModules: [] },
      integrity: { aide: { installed: i % 4 === 0, databaseInitialised: true, scheduled: true }, packageSignatures: true, secureBoot: null },
    },
  };
}

const targets = Array.from({ length: HOSTS }, (_, i) => host(i));
const linuxRules = ruleSet.rules.filter((r) => r.concerns(targets[0])).length;
const RUNS = 3;
const walls = [];
let findings;
let cpu;
let rss0;
let rss1;
for (let run = 0; run < RUNS; run++) {
  findings = undefined;
  global.gc?.();
  rss0 = process.memoryUsage().rss;
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  findings = evaluateRules(ruleSet.rules, targets, {});
  walls.push(performance.now() - t1);
  cpu = process.cpuUsage(cpu0);
  rss1 = process.memoryUsage().rss;
}
const evalMs = [...walls].sort((a, b) => a - b)[Math.floor(RUNS / 2)];
const counts = findings.reduce((c, f) => ({ ...c, [f.status]: (c[f.status] ?? 0) + 1 }), {});
console.log(`pack: ${ruleSet.rules.length} rules (${linuxRules} concern a Linux host), loaded and compiled in ${loadMs.toFixed(0)} ms`);
console.log(`evaluated ${HOSTS} hosts × ${linuxRules} rules = ${findings.length} findings: median ${evalMs.toFixed(0)} ms of ${RUNS} runs (${walls.map((w) => w.toFixed(0)).join(", ")} ms; ${((evalMs * 1000) / findings.length).toFixed(2)} µs per finding)`);
console.log(`last run's CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, GC threads included; load average ${(await import("node:os")).loadavg()[0].toFixed(1)} (other work on the 2 cores inflates wall time)`);
console.log(`statuses: ${JSON.stringify(counts)}; RSS ${(rss0 / 1048576).toFixed(0)} → ${(rss1 / 1048576).toFixed(0)} MiB`);
