// Active Directory scan benchmark: a Samba 4.17 AD DC with N generated users, bulk-loaded
// offline with `ldbadd --controls=relax:0` on sam.ldb before samba starts
// (test/lab/ldap/seed-samba-bench.py), scanned end to end by the CLI over LDAPS (paged searches,
// nested privileged-group membership, range retrieval, every directory rule, JSON report).
// Prints wall time and peak RSS per size, and the RSS growth. Root, `npm run build` first.
//   node bench/ldap-samba-scan.js [N ...]     default: 2000 20000 (the 20000 load takes minutes)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { readReport } from "./lib.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LAB = join(REPO, "test/lab/ldap");
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(2000, 20000);
const labEnv = { HSL_NS: "hsl-bn", HSL_HIF: "hsl-bn-h", HSL_NIF: "hsl-bn-n", HSL_HIP: "10.203.43.1", HSL_NIP: "10.203.43.2" };
const results = [];

for (const n of sizes) {
  const work = mkdtempSync(join(tmpdir(), "hsl-bench-ad-"));
  const lab = join(work, "lab");
  const pwFile = join(work, "pw");
  const auditorPw = `Bn-${randomBytes(12).toString("base64url")}-9a!`;
  writeFileSync(pwFile, `Ad-${randomBytes(12).toString("base64url")}-9a!\n${auditorPw}\n`, { mode: 0o600 });
  const env = { ...process.env, ...labEnv, HSL_BENCH_USERS: String(n) };
  try {
    let t = performance.now();
    execFileSync(join(LAB, "samba-lab.sh"), ["up", lab, pwFile, join(LAB, "seed-samba-bench.py")], { env, stdio: ["ignore", "ignore", "inherit"] });
    const loadS = (performance.now() - t) / 1000;
    const stats = join(work, "stats.json");
    const out = join(work, "report.json");
    const r = spawnSync(
      process.execPath,
      ["--import", join(REPO, "bench/ldap-rss-hook.js"), join(REPO, "bin/hipaa-scan.js"), "scan", "ldaps://10.203.43.2/DC=hsl,DC=lab",
        "--bind-dn", "auditor@hsl.lab", "--password-env", "HSL_BENCH_PW", "--ca-file", join(lab, "tls/ca.pem"),
        "--format", "json", "--output", out, "--quiet"],
      { env: { ...process.env, HSL_BENCH_PW: auditorPw, HSL_BENCH_STATS: stats, NO_COLOR: "1" }, encoding: "utf8", maxBuffer: 1 << 28 },
    );
    const s = JSON.parse(readFileSync(stats, "utf8"));
    const report = await readReport(readFileSync(out, "utf8"), out);
    const stale = report.findings.find((f) => f.ruleId === "directory-stale-accounts");
    const staleCount = stale ? stale.evidence.length : 0;
    results.push({ users: n, wallS: s.wallMs / 1000, peakRssMiB: s.maxRssKiB / 1024, exit: r.status, status: report.targets[0]?.status, staleCount, loadS });
  } finally {
    spawnSync(join(LAB, "samba-lab.sh"), ["down", lab], { env, stdio: "ignore" });
    rmSync(work, { recursive: true, force: true });
  }
}

console.log("AD directory scan (Samba 4.17 AD DC, ldaps, paged 500, CLI end to end)");
console.log("users\twall s\tpeak RSS MiB\ttarget\texit\tstale evidence entries (engine shows 200 + 'more')\tprovision+ldbadd+start s");
for (const r of results) console.log(`${r.users}\t${r.wallS.toFixed(2)}\t${r.peakRssMiB.toFixed(1)}\t\t${r.status}\t${r.exit}\t${r.staleCount}\t\t\t${r.loadS.toFixed(1)}`);
if (results.length >= 2) {
  const a = results[0], b = results[results.length - 1];
  console.log(`RSS growth ${a.users} -> ${b.users} users: +${(b.peakRssMiB - a.peakRssMiB).toFixed(1)} MiB (${((b.peakRssMiB - a.peakRssMiB) / ((b.users - a.users) / 1000)).toFixed(2)} MiB per 1000 users)`);
  console.log("targets: <= 15 s and <= 300 MiB at 20000 users");
}
