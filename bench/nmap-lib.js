// Shared by the nmap benchmarks: brings the network lab up and down (root only; lab namespaces only).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LAB = new URL("../test/lab/network/lab.sh", import.meta.url).pathname;

export function withLab(fn) {
  if (process.getuid?.() !== 0) {
    console.error("the nmap benchmarks build network namespaces: run them as root");
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), "hsn-bench-"));
  const down = () => {
    spawnSync(LAB, ["down", dir], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    down();
    process.exit(130);
  });
  execFileSync(LAB, ["up", dir], { stdio: "ignore" });
  return Promise.resolve()
    .then(fn)
    .finally(down);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
