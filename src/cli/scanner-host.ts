import { readFileSync } from "node:fs";
import { hostname, networkInterfaces, userInfo } from "node:os";
import type { ScannerHost } from "../report/provenance.js";

/**
 * What the machine running the scan is: read here, in the CLI layer, and passed to the pure report
 * code (src/report/provenance.ts) and to the network collector (its own addresses and gateways are
 * not devices on the scanned segments).
 */
export function readScannerHost(argv: string[]): ScannerHost {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    user = process.env["USER"] ?? "unknown";
  }
  return { hostname: hostname(), addresses: ownAddresses(), user, argv, nodeVersion: process.version };
}

export function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal)
    .map((i) => i.address);
}

/** IPv4 gateways of this machine's routes (Linux /proc/net/route); [] elsewhere. */
export function routeGateways(): string[] {
  let text: string;
  try {
    text = readFileSync("/proc/net/route", "utf8");
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const line of text.split("\n").slice(1)) {
    const gw = line.trim().split(/\s+/)[2];
    if (!gw || !/^[0-9A-F]{8}$/i.test(gw) || gw === "00000000") continue;
    const n = parseInt(gw, 16);
    out.add([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join("."));
  }
  return [...out];
}
