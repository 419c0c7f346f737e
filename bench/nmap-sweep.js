// Wall time of a lab /22 sweep (10.77.0.0/22: the flat, segmented and guest subnets) through the full
// network collector (nmap + XML + facts + classes + segments), per profile.
// Run as root after `npm run build`: node bench/nmap-sweep.js [quick|standard ...]
import { performance } from "node:perf_hooks";
import { createNetworkCollector } from "../dist/collectors/network.js";
import { collectOptions } from "../dist/collectors/options.js";
import { parseNetworkTarget } from "../dist/core/targets.js";
import { withLab } from "./nmap-lib.js";

const profiles = process.argv.slice(2).length ? process.argv.slice(2) : ["quick", "standard"];

await withLab(async () => {
  const collector = createNetworkCollector({ wrapper: ["ip", "netns", "exec", "hsn-scan"] });
  for (const networkProfile of profiles) {
    const ctx = {
      options: collectOptions({ timeoutMs: 3_600_000, networkTimeoutMs: 3_600_000, networkProfile }),
      secrets: { password: async () => undefined },
      signal: new AbortController().signal,
      progress: () => {},
      log: { verbose: () => {}, warn: () => {} },
      now: () => new Date(),
    };
    const t0 = performance.now();
    const t = await collector.collect(parseNetworkTarget("10.77.0.0/22"), ctx);
    const s = (performance.now() - t0) / 1000;
    const f = t.facts;
    const hosts = Array.isArray(f.hosts) ? f.hosts.length : 0;
    const segs = Array.isArray(f.segments) ? f.segments.map((x) => x.subnet).join(" ") : "-";
    console.log(
      `nmap-sweep ${networkProfile} 10.77.0.0/22 (1024 addresses): ${s.toFixed(1)} s wall, status ${t.status}, ${hosts} hosts up, ` +
        `segments ${segs}; nmap's own elapsed ${f.scan?.elapsedSeconds ?? "?"} s`,
    );
  }
});
