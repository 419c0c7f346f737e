// Directory scan benchmark: a slapd (OpenLDAP 2.5, ppolicy, lastbind) directory of N generated
// users, bulk-loaded with slapadd before slapd starts, scanned end to end by the CLI
// (`hipaa-scan scan ldaps://…`: bind, paged searches of 500 entries, group expansion, all
// directory rules, JSON report). Prints wall time and peak RSS per size, and the RSS growth.
// Needs root (network namespace hsl-bn) and `npm run build` first.
//   node bench/ldap-scan.js [N ...]     default: 2000 20000
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
const env = { ...process.env, HSL_NS: "hsl-bn", HSL_HIF: "hsl-bn-h", HSL_NIF: "hsl-bn-n", HSL_HIP: "10.203.43.1", HSL_NIP: "10.203.43.2" };
const results = [];

for (const n of sizes) {
  const work = mkdtempSync(join(tmpdir(), "hsl-bench-"));
  const lab = join(work, "lab");
  const pwFile = join(work, "pw");
  const auditorPw = `Bn-${randomBytes(12).toString("base64url")}`;
  writeFileSync(pwFile, `Rt-${randomBytes(12).toString("base64url")}\n${auditorPw}\n`, { mode: 0o600 });
  const ldif = join(work, "bench.ldif");
  try {
    let t = performance.now();
    writeFileSync(ldif, execFileSync(process.execPath, [join(LAB, "gen-openldap-ldif.mjs"), "bench", String(n), pwFile], { maxBuffer: 1 << 30 }));
    const genMs = performance.now() - t;
    t = performance.now();
    execFileSync(join(LAB, "slapd-lab.sh"), ["up", lab, pwFile, ldif], { env, stdio: ["ignore", "ignore", "inherit"] });
    const loadMs = performance.now() - t;
    const stats = join(work, "stats.json");
    const out = join(work, "report.json");
    const r = spawnSync(
      process.execPath,
      ["--import", join(REPO, "bench/ldap-rss-hook.js"), join(REPO, "bin/hipaa-scan.js"), "scan", `ldaps://10.203.43.2/dc=hsl,dc=lab`,
        "--bind-dn", "uid=auditor,ou=people,dc=hsl,dc=lab", "--password-env", "HSL_BENCH_PW", "--ca-file", join(lab, "tls/ca.pem"),
        "--format", "json", "--output", out, "--quiet"],
      { env: { ...process.env, HSL_BENCH_PW: auditorPw, HSL_BENCH_STATS: stats, NO_COLOR: "1" }, encoding: "utf8", maxBuffer: 1 << 28 },
    );
    const s = JSON.parse(readFileSync(stats, "utf8"));
    const report = await readReport(readFileSync(out, "utf8"), out);
    const stale = report.findings.find((f) => f.ruleId === "directory-stale-accounts");
    const accounts = report.targets[0]?.status;
    results.push({ users: n, wallS: s.wallMs / 1000, peakRssMiB: s.maxRssKiB / 1024, exit: r.status, target: accounts, staleFound: stale ? stale.evidence.length : 0, ldifGenS: genMs / 1000, slapaddAndStartS: loadMs / 1000 });
  } finally {
    spawnSync(join(LAB, "slapd-lab.sh"), ["down", lab], { env, stdio: "ignore" });
    rmSync(work, { recursive: true, force: true });
  }
}

console.log("directory scan (slapd 2.5, ldaps, paged 500, CLI end to end)");
console.log("users\twall s\tpeak RSS MiB\ttarget\texit\tstale evidence entries (engine shows 200 + 'more')\tLDIF gen s\tslapadd+start s");
for (const r of results) {
  console.log(`${r.users}\t${r.wallS.toFixed(2)}\t${r.peakRssMiB.toFixed(1)}\t\t${r.target}\t${r.exit}\t${r.staleFound}\t\t\t\t${r.ldifGenS.toFixed(2)}\t\t${r.slapaddAndStartS.toFixed(2)}`);
}
if (results.length >= 2) {
  const a = results[0], b = results[results.length - 1];
  console.log(`RSS growth ${a.users} -> ${b.users} users: +${(b.peakRssMiB - a.peakRssMiB).toFixed(1)} MiB (${((b.peakRssMiB - a.peakRssMiB) / ((b.users - a.users) / 1000)).toFixed(2)} MiB per 1000 users)`);
  console.log(`targets: <= 15 s and <= 300 MiB at 20000 users`);
}
