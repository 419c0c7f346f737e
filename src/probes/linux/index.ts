import type { HostFacts } from "../../facts/host.js";
import { unknown } from "../../facts/unknown.js";
import type { SplitOutput } from "../sections.js";
import { parseAccounts } from "./accounts.js";
import { parseAudit } from "./audit.js";
import { parseFirewall } from "./firewall.js";
import { parseGnome } from "./gnome.js";
import { parseIntegrity } from "./integrity.js";
import { parseInterfaces } from "./interfaces.js";
import { parseOs } from "./os.js";
import { parsePam } from "./pam.js";
import { keyValues, ProbeOutput } from "./probe-output.js";
import { parseShellTimeout } from "./shell-timeout.js";
import { parseSshd } from "./sshd.js";
import { parseStorage } from "./storage.js";
import { parseTimeSync } from "./time-sync.js";
import { parseUpdates } from "./updates.js";

/** Where each facts section comes from: shown as the evidence source. */
export const LINUX_SOURCES: Record<string, string> = {
  os: "uname; /etc/os-release",
  interfaces: "ip -j addr",
  storage: "lsblk -J -b -o NAME,KNAME,PATH,TYPE,FSTYPE,MOUNTPOINTS,PKNAME,SIZE; /proc/self/mounts; /proc/swaps; /etc/crypttab",
  shell: "/etc/profile, /etc/profile.d/*.sh, /etc/bash.bashrc, /etc/bashrc (TMOUT)",
  sshd: "sshd -T",
  gnome: "/etc/dconf/db/*.d/* keyfiles and locks",
  accounts: "getent passwd; /etc/shadow (status only); getent group; /etc/sudoers(.d); lastlog; useradd -D",
  audit: "auditctl -s; auditctl -l; journald.conf(.d); /var/log/journal; rsyslog/syslog-ng/journal-upload config",
  time: "timedatectl show; chronyc tracking; running time daemons",
  firewall: "nft list ruleset; iptables -S; ufw status; firewall-cmd --state",
  updates: "apt list --upgradable; /var/lib/apt/lists/*Release",
  pam: "/etc/pam.d/{common-auth,common-password,system-auth,password-auth,sshd,login}; faillock.conf; pwquality.conf(.d)",
  integrity: "aide.conf, /var/lib/aide, cron/timers; apt/dnf config; mokutil --sb-state / efivars",
};

export interface ParsedHost {
  facts: HostFacts;
  sources: Record<string, string>;
}

/** The uid the probe ran as (ident section), or null. */
export function probeUid(split: SplitOutput): number | null {
  const ident = split.sections.get("ident");
  if (!ident?.complete) return null;
  const uid = keyValues(ident.stdout).get("uid");
  return uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : null;
}

/** Turns a split Linux probe run into host facts. Never throws on odd output: a parser that fails gives unknown. */
export function parseLinux(split: SplitOutput, now: Date): ParsedHost {
  const probe = new ProbeOutput(split, probeUid(split));
  const guard = <T>(section: string, fn: () => T) => {
    try {
      return fn();
    } catch (err) {
      return unknown(`${section}: parser failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const sshd = guard("sshd", () => parseSshd(probe));
  const updates = guard("updates", () => parseUpdates(probe));
  const facts: HostFacts = {
    os: guard("os", () => parseOs(probe, now)),
    interfaces: guard("interfaces", () => parseInterfaces(probe)),
    storage: guard("storage", () => parseStorage(probe)),
    shell: guard("shell", () => parseShellTimeout(probe)),
    sshd,
    gnome: guard("gnome", () => parseGnome(probe)),
    accounts: guard("accounts", () => parseAccounts(probe)),
    audit: guard("audit", () => parseAudit(probe)),
    time: guard("time", () => parseTimeSync(probe)),
    firewall: guard("firewall", () => parseFirewall(probe)),
    updates,
    pam: guard("pam", () => parsePam(probe)),
    integrity: guard("integrity", () => parseIntegrity(probe)),
  };
  const sources = { ...LINUX_SOURCES };
  if ("method" in sshd && sshd.method === "config") sources.sshd = "/etc/ssh/sshd_config and its Include files";
  const aptTool = split.sections.get("apt")?.stdout.startsWith("tool=apt-get") ?? false;
  if (aptTool) sources.updates = "apt-get -s dist-upgrade";
  if ("manager" in updates && updates.manager === "dnf") sources.updates = "dnf -C updateinfo list --security; dnf -C check-update";
  return { facts, sources };
}
