import { isIP } from "node:net";
import { failureReason, targetFacts } from "./target-result.js";
import type { Collector, CollectContext } from "./types.js";
import type { TargetFacts, TargetSpec } from "../core/model.js";
import { MAX_NETWORK_ADDRESSES } from "../core/targets.js";
import { addressCount as cidrAddressCount } from "../core/cidr.js";
import { errorMessage } from "../core/errors.js";
import { safeText } from "../core/untrusted-text.js";
import { unknown } from "../facts/unknown.js";
import { buildNmapArgs, buildReachabilityArgs, EPHI_SERVICE_PORTS } from "../transports/nmap/profiles.js";
import { runNmap, type NmapRunResult } from "../transports/nmap/run.js";
import { buildNetworkFacts } from "../network/facts.js";
import { inventoryFor } from "../network/inventory.js";
import { mergeProbe, probeTargets, reachableFrom, type ProbeFact } from "../network/reachability.js";
import type { NmapHost } from "../transports/nmap/host.js";
import { INFRASTRUCTURE_CLASSES } from "../facts/network.js";

const stringSet = (v: readonly string[] | undefined): Set<string> | undefined => (v ? new Set(v) : undefined);

/**
 * The `--network` collector: one nmap run per target, its XML turned into network facts (hosts,
 * services with their NSE results, device classes, segments). Never judges; on failure returns what
 * it has with a non-ok status.
 */

export interface NetworkCollectorOptions {
  /** nmap binary (default: `nmap` from PATH). */
  nmapPath?: string;
  /** Command prefix nmap runs under, e.g. `ip netns exec NS` (lab tests and benchmarks only). */
  wrapper?: string[];
  /** Override root detection (tests of the unprivileged fallback). */
  privileged?: boolean;
}

/** Addresses a target covers (1 for a host name). */
export function addressCount(target: string): number {
  return Number(cidrAddressCount(target));
}

export function createNetworkCollector(opts: NetworkCollectorOptions = {}): Collector {
  return {
    name: "network/nmap",
    async collect(target: TargetSpec, ctx: CollectContext): Promise<TargetFacts> {
      const started = ctx.now();
      const privileged = opts.privileged ?? process.getuid?.() === 0;
      const vantage = ctx.options.vantage ?? null;
      const base = (status: TargetFacts["status"], statusReason?: string): TargetFacts =>
        targetFacts(target, { collector: "network/nmap", at: started, status, statusReason });
      const count = addressCount(target.id);
      if (count > MAX_NETWORK_ADDRESSES && ctx.options.allowLargeNetwork !== true) {
        return base("error", `network ${target.id} has ${count} addresses (more than a /16); pass --yes-large-network if you mean it`);
      }
      const plan = buildNmapArgs({
        profile: ctx.options.networkProfile,
        privileged,
        resolveNames: false,
        // A segmentation test of a few hosts must not trust discovery: a host that drops pings still leaks ports.
        skipDiscovery: vantage !== null && count <= 16,
        statsEverySeconds: 2,
      });
      // nmap needs -6 for IPv6 targets; host names resolve to IPv4 unless the user gives an address.
      if (isIP(target.host ?? "") === 6) plan.args.unshift("-6");
      const nmapPath = opts.nmapPath;
      let run: NmapRunResult;
      try {
        run = await runNmap({
          args: plan.args,
          targets: [target.host && !target.id.includes("/") ? target.host : target.id],
          signal: ctx.signal,
          nmapPath,
          wrapper: opts.wrapper,
          onProgress: (p) =>
            ctx.progress({ type: "target-step", target: target.id, step: `nmap: ${p.task}`, ...(p.percent !== null ? { percent: p.percent } : {}) }),
          onHost: (h) => ctx.log.verbose(`nmap: ${target.id}: host ${h.address ?? "?"} ${h.status}`),
        });
      } catch (err) {
        const out = base("error", safeText(failureReason(target, err, ctx.log), 1024));
        out.notes.push(...plan.notes);
        return out;
      }
      const inventory = inventoryFor(target, ctx.options.networkInventory);
      // Segmentation test: probe the ePHI ports on every address with -Pn, so dropped pings hide nothing.
      let probe: ProbeFact | null = null;
      let hosts: NmapHost[] = run.hosts;
      if (vantage !== null && !run.aborted && !ctx.signal.aborted) {
        const ports = [...EPHI_SERVICE_PORTS];
        const args = buildReachabilityArgs({ privileged, ports, statsEverySeconds: 2 });
        if (isIP(target.host ?? "") === 6) args.unshift("-6");
        const targets = target.host && !target.id.includes("/") ? [target.host] : probeTargets(target.id, inventory);
        probe = { vantage: safeText(vantage, 64), ports: ports.map((p) => `${p}/tcp`), targets, args, finished: false, error: null, addressesProbed: null, reachable: [] };
        try {
          const pr = await runNmap({
            args,
            targets,
            signal: ctx.signal,
            nmapPath,
            wrapper: opts.wrapper,
            onProgress: (p) =>
              ctx.progress({ type: "target-step", target: target.id, step: `nmap -Pn ePHI ports: ${p.task}`, ...(p.percent !== null ? { percent: p.percent } : {}) }),
          });
          probe.finished = pr.runstats?.exit === "success" && !pr.aborted && !pr.xmlError;
          if (!probe.finished) probe.error = safeText(pr.xmlError ?? pr.runstats?.errormsg ?? (pr.aborted ? "stopped before nmap finished" : "nmap did not finish"), 512);
          probe.addressesProbed = pr.runstats?.hostsTotal ?? null;
          probe.reachable = reachableFrom(probe.vantage, pr.hosts, target.id);
          hosts = mergeProbe(run.hosts, pr.hosts);
        } catch (err) {
          probe.error = safeText(errorMessage(err), 512);
        }
      }
      const facts = buildNetworkFacts({
        hosts,
        run,
        plan,
        profile: ctx.options.networkProfile,
        privileged,
        vantage,
        target: target.id,
        inventory,
        now: started,
        scanner: { addresses: stringSet(ctx.options.scannerAddresses), gateways: stringSet(ctx.options.scannerGateways) },
      });
      if (probe && Array.isArray(facts.hosts)) {
        // The router's own addresses and the scanner answer for themselves, not for what is behind them.
        const infra = new Set(facts.hosts.filter((h) => INFRASTRUCTURE_CLASSES.includes(h.class) && !h.ephi).map((h) => h.address));
        probe.reachable = probe.reachable.filter((r) => !infra.has(r.address));
      }
      if (vantage !== null) facts.probe = probe;
      const problems: string[] = [];
      if (run.aborted) problems.push("scan stopped (Ctrl-C or deadline) before nmap finished");
      if (run.xmlError) problems.push(`nmap output unreadable: ${run.xmlError}`);
      if (run.runstats && run.runstats.exit !== "success") {
        problems.push(`nmap reported exit "${run.runstats.exit ?? "?"}": ${safeText(run.runstats.errormsg ?? "no message", 512)}`);
      }
      if (!run.aborted && !run.xmlError && !run.runstats) problems.push("nmap ended without its run summary");
      if (!run.aborted && !run.stoppedForXml && run.exitCode !== 0 && run.exitCode !== null) {
        const err = safeText(run.stderr.trim().split("\n").slice(-3).join(" "), 512);
        problems.push(`nmap exited with code ${run.exitCode}${err ? `: ${err}` : ""}`);
      }
      if (run.signal && !run.aborted && !run.stoppedForXml) problems.push(`nmap was killed by ${run.signal}`);
      if (probe && !probe.finished) problems.push(`the -Pn probe of the ePHI service ports did not finish: ${probe.error ?? "no reason given"}`);
      let status: TargetFacts["status"] = "ok";
      if (problems.length > 0) status = run.hosts.length > 0 ? "partial" : "error";
      const out = base(status, problems.length > 0 ? `${problems.join("; ")}${run.hosts.length > 0 ? ` — ${run.hosts.length} host(s) kept` : ""}` : undefined);
      if (status === "error") {
        // Nothing reliable was seen: say so instead of claiming an empty network.
        const why = problems.join("; ");
        out.facts = { ...facts, hosts: unknown(why), services: unknown(why), segments: unknown(why) };
      } else out.facts = facts;
      out.sources = {
        scan: `nmap ${plan.args.join(" ")} -- ${target.id}`,
        hosts: "nmap -oX (host, address, os, distance)",
        services: "nmap -oX (ports, -sV, NSE scripts)",
        segments: "derived from host addresses, ARP/MAC and distance",
        inventory: "--inventory",
      };
      out.notes.push(...plan.notes);
      if (vantage) out.notes.push(`segmentation test: scanned from vantage point "${safeText(vantage, 64)}"`);
      if (probe) {
        out.sources["probe"] = `nmap ${probe.args.join(" ")} -- ${probe.targets.join(" ")}`;
        out.notes.push(`segmentation test: ${probe.ports.length} ePHI service ports probed on every address with -Pn (discovery not trusted); ${probe.reachable.length} answered`);
      }
      return out;
    },
  };
}

export const networkCollector: Collector = createNetworkCollector();
