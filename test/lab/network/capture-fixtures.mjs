// Captures the real nmap XML under fixtures/nmap/ from the lab (test/lab/network/lab.sh up DIR first).
// Run as root after `npm run build`: node test/lab/network/capture-fixtures.mjs [FILE...] (default: all)
// Each capture runs nmap inside a lab namespace with the exact arguments of a scan profile.
import { spawn } from "node:child_process";
import { writeFileSync, appendFileSync } from "node:fs";
import { buildNmapArgs } from "../../../dist/transports/nmap/profiles.js";

const out = new URL("../../../fixtures/nmap/", import.meta.url);
const plan = (profile, privileged, extra = {}) =>
  buildNmapArgs({ profile, privileged, resolveNames: false, skipDiscovery: false, statsEverySeconds: 2, ...extra }).args;

const only = process.argv.slice(2);
function capture(file, ns, args, target, { asNobody = false, killAfterMs } = {}) {
  if (only.length > 0 && !only.includes(file)) return Promise.resolve();
  const prefix = ["ip", "netns", "exec", ns, ...(asNobody ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [])];
  const argv = [...prefix, "nmap", ...args, "--", target];
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const p = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
    const chunks = [];
    p.stdout.on("data", (c) => chunks.push(c));
    if (killAfterMs) setTimeout(() => p.kill("SIGKILL"), killAfterMs);
    p.on("error", reject);
    p.on("close", (code, sig) => {
      writeFileSync(new URL(file, out), Buffer.concat(chunks));
      const line = `| ${file} | \`${argv.join(" ")}\` | ${code ?? sig} | ${((Date.now() - t0) / 1000).toFixed(1)} s |\n`;
      appendFileSync(new URL("captures.md", out), line);
      console.log(line.trim());
      resolve();
    });
  });
}

if (only.length === 0) writeFileSync(new URL("captures.md", out), `Captured ${new Date().toISOString()} with nmap 7.93 (Debian 12 package 7.93+dfsg1-1)\n\n| file | command | exit | wall |\n|---|---|---|---|\n`);
await capture("flat-standard.xml", "hsn-scan", plan("standard", true), "10.77.1.0/24");
await capture("segmented-standard.xml", "hsn-scan", plan("standard", true), "10.77.2.0/24");
await capture("guest-to-segmented-standard.xml", "hsn-g-cli", plan("standard", true), "10.77.2.0/24");
await capture("onlink-quick.xml", "hsn-f-gst", plan("quick", true), "10.77.1.0/24");
await capture("unprivileged-quick.xml", "hsn-scan", plan("quick", false), "10.77.1.0/24", { asNobody: true });
await capture("killed-standard.xml", "hsn-scan", plan("standard", true), "10.77.1.0/24", { killAfterMs: 12000 });
