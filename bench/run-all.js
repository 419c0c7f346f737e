// npm run bench: the benchmarks that need no lab. Lab benchmarks (ssh, ldap, nmap, winrm) need
// root and Debian packages; run them one by one (see each file's header).
import { spawnSync } from "node:child_process";

for (const file of ["cli-version.js", "local-scan.js", "engine-throughput.js", "report-size.js"]) {
  console.log(`\n# bench/${file}`);
  const r = spawnSync(process.execPath, [new URL(file, import.meta.url).pathname], { stdio: "inherit" });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
