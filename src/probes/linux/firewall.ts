import type { Static } from "@sinclair/typebox";
import { Firewall } from "../../facts/host-common.js";
import { unknown, type Unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

export type FirewallFacts = Static<typeof Firewall>;

export interface RulesetSummary {
  ruleCount: number;
  /** Policy of input-hook filter chains: drop if any drops, else accept, else null. */
  inputPolicy: string | null;
}

/** `nft list ruleset`: counts rule lines in filter (and regular) chains, reads input-hook policies. */
export function summariseNft(text: string): RulesetSummary {
  const stack: string[] = [];
  let chainType: string | null = null;
  let chainRules = 0;
  let total = 0;
  const policies: string[] = [];
  let chainIsInput = false;
  let chainPolicy: string | null = null;
  const endChain = () => {
    if (chainType === null || chainType === "filter") total += chainRules;
    if (chainIsInput && chainPolicy) policies.push(chainPolicy);
  };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.endsWith("{")) {
      const kind = line.split(/\s+/)[0] ?? "";
      stack.push(kind);
      if (kind === "chain") {
        chainType = null;
        chainRules = 0;
        chainIsInput = false;
        chainPolicy = null;
      }
      continue;
    }
    if (line === "}" || line.startsWith("}")) {
      const kind = stack.pop();
      if (kind === "chain") endChain();
      continue;
    }
    if (stack[stack.length - 1] !== "chain") continue;
    const base = /^type\s+(\w+)\s+hook\s+(\w+).*?(?:policy\s+(\w+))?;?\s*$/.exec(line);
    if (base) {
      chainType = base[1] ?? null;
      chainIsInput = base[2] === "input" && base[1] === "filter";
      chainPolicy = base[3] ?? "accept";
      continue;
    }
    const pol = /^policy\s+(\w+)/.exec(line);
    if (pol) {
      chainPolicy = pol[1] ?? chainPolicy;
      continue;
    }
    chainRules++;
  }
  const inputPolicy = policies.includes("drop") ? "drop" : policies.length > 0 ? (policies[0] ?? null) : null;
  return { ruleCount: total, inputPolicy };
}

/** `iptables -S`: -A lines, and the INPUT policy. */
export function summariseIptables(text: string): RulesetSummary {
  const lines = text.split("\n").map((l) => l.trim());
  const pol = lines.map((l) => /^-P INPUT (\w+)/.exec(l)?.[1]).find(Boolean);
  return { ruleCount: lines.filter((l) => l.startsWith("-A ")).length, inputPolicy: pol ? pol.toLowerCase() : null };
}

export function parseFirewall(probe: ProbeOutput): FirewallFacts {
  const procs = probe.processes();
  const ufwStatus = probe.text("ufw", "ufw status");
  const ufwConf = probe.files("ufw-conf", "/etc/ufw/ufw.conf");
  const ufwEnabledConf = Array.isArray(ufwConf)
    ? ufwConf.some((f) => /^ENABLED\s*=\s*"?yes"?/im.test(f.content))
    : false;
  const ufwSkipped = probe.section("ufw")?.skipped === "disabled-in-ufw.conf";
  const ufwActive = ufwSkipped ? false : typeof ufwStatus === "string" ? /^Status:\s*active/m.test(ufwStatus) : null;
  const fwd = probe.text("firewalld", "firewall-cmd --state");
  const firewalldRunning = procs?.has("firewalld") || (typeof fwd === "string" && /^running/m.test(fwd));

  const nft = probe.text("nft", "nft list ruleset");
  const ipt = probe.text("iptables", "iptables -S");
  const nftSum = typeof nft === "string" ? summariseNft(nft) : null;
  const iptSum = typeof ipt === "string" ? summariseIptables(ipt) : null;

  let backend: FirewallFacts["backend"];
  if (ufwActive === true || (ufwActive === null && ufwEnabledConf)) backend = "ufw";
  else if (firewalldRunning) backend = "firewalld";
  else if (nftSum && nftSum.ruleCount > 0) backend = "nftables";
  else if (iptSum && iptSum.ruleCount > 0) backend = "iptables";
  else if (nftSum || iptSum) backend = null;
  else backend = reason(nft, ipt);

  const summary = nftSum && (nftSum.ruleCount > 0 || !iptSum) ? nftSum : (iptSum ?? nftSum);
  const missing = reason(nft, ipt);
  return {
    backend,
    active: typeof backend === "string" ? true : backend === null ? false : backend,
    ruleCount: summary ? summary.ruleCount : missing,
    defaultInputPolicy: summary ? summary.inputPolicy : missing,
  };
}

/** Why neither ruleset could be read (e.g. needs root). */
function reason(nft: string | Unknown, ipt: string | Unknown): Unknown {
  const parts = [nft, ipt].filter((x): x is Unknown => typeof x !== "string").map((u) => u.reason);
  if (parts.some((p) => p.startsWith("needs root"))) return unknown("needs root: nft list ruleset / iptables -S");
  return unknown(parts.join("; ") || "no firewall ruleset readable");
}

/** The `firewall` probe section: firewall.sh beside this module, parsed by parseFirewall. */
export const firewallSection = defineSection({
  key: "firewall",
  schema: Firewall,
  source: "nft list ruleset; iptables -S; ufw status; firewall-cmd --state",
  script: new URL("./firewall.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseFirewall(probe),
  doc: {
    heading: "`nft list ruleset`, `iptables -S`, `ufw status verbose` (root); `/etc/ufw/ufw.conf`; `firewall-cmd --state` (when firewalld runs)",
    body: [
      "`backend` (`ufw` when active, `firewalld` when running, else `nftables`/`iptables` when they hold",
      "rules, else `null`), `active` (a backend was found), `ruleCount` (rule lines in filter and regular nft",
      "chains — NAT chains and set elements excluded — or `iptables -S` `-A` lines), `defaultInputPolicy`",
      "(input-hook filter chain policy, `drop` if any drops; `iptables -P INPUT`). Without root only ufw.conf",
      "and a running firewalld can be seen.",
    ].join("\n"),
  },
});
