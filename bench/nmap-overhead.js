// Wrapper overhead: hipaa-scan's nmap runner (spawn + incremental XML parse + host conversion) against
// bare nmap with identical arguments, on the lab's flat /24, alternating runs. Target: ratio <= 1.05.
// Run as root after `npm run build`: node bench/nmap-overhead.js [runs]
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { buildNmapArgs } from "../dist/transports/nmap/profiles.js";
import { runNmap } from "../dist/transports/nmap/run.js";
import { withLab, median } from "./nmap-lib.js";

const RUNS = Number(process.argv[2] ?? 5);
const NS = ["ip", "netns", "exec", "hsn-scan"];
const TARGET = "10.77.1.0/24";

function bare(args) {
  return new Promise((resolve, reject) => {
    const argv = [...NS, "nmap", ...args, "--", TARGET];
    const p = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "ignore"] });
    let bytes = 0;
    p.stdout.on("data", (c) => (bytes += c.length));
    p.on("error", reject);
    p.on("close", (code) => (code === 0 ? resolve(bytes) : reject(new Error(`nmap exit ${code}`))));
  });
}

await withLab(async () => {
  for (const profile of ["quick", "standard"]) {
    const { args } = buildNmapArgs({ profile, privileged: true, resolveNames: false, skipDiscovery: false, statsEverySeconds: 2 });
    const runs = profile === "quick" ? RUNS : Math.max(1, Math.ceil(RUNS / 2));
    const tBare = [];
    const tWrap = [];
    let hosts = 0;
    await bare(args); // warm-up: page cache, ARP, nmap data files
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await bare(args);
      tBare.push(performance.now() - t);
      t = performance.now();
      const r = await runNmap({ args, targets: [TARGET], signal: new AbortController().signal, wrapper: NS });
      tWrap.push(performance.now() - t);
      hosts = r.hosts.length;
      if (r.xmlError || r.runstats?.exit !== "success") throw new Error(`wrapped run failed: ${r.xmlError ?? r.runstats?.exit}`);
    }
    const b = median(tBare);
    const w = median(tWrap);
    console.log(
      `nmap-overhead ${profile} ${TARGET} (${hosts} hosts up, ${runs} runs each): bare nmap median ${(b / 1000).toFixed(2)} s, ` +
        `hipaa-scan runner median ${(w / 1000).toFixed(2)} s, ratio ${(w / b).toFixed(3)} (target <= 1.05)`,
    );
  }
});
