import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Finding, TargetFacts } from "../../../src/core/model.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { parseLinux } from "../../../src/probes/linux/index.js";
import { splitSections } from "../../../src/probes/sections.js";

/**
 * The Linux rules evaluated on facts parsed from real probe runs (fixtures/linux/, see each
 * PROVENANCE.md). debian12-hardened was captured in a throwaway namespace whose state its setup.sh
 * spells out line by line, so the verdicts below follow from that script, not from this machine.
 */

const LINUX_DIR = fileURLToPath(new URL("../../../rules/hipaa/linux/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../../fixtures/linux/", import.meta.url));
const files = readdirSync(LINUX_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => `${LINUX_DIR}${f}`);
const { rules } = await loadRuleSet(files, { builtin: false });

function captured(name: string): TargetFacts {
  const dir = `${FIXTURES}${name}/`;
  const mark = readFileSync(`${dir}mark.txt`, "utf8").trim();
  const date = /date=(\S+)/.exec(readFileSync(`${dir}run.txt`, "utf8"))?.[1];
  if (!date) throw new Error(`${name}/run.txt has no date`);
  const { facts, sources } = parseLinux(splitSections(readFileSync(`${dir}probe-output.txt`, "utf8"), mark), new Date(date));
  return { target: { kind: "host", id: name }, status: "ok", collector: "fixture", collectedAt: date, tags: {}, facts, sources, notes: [] };
}

function evaluateAll(target: TargetFacts, params: Record<string, unknown> = {}): Map<string, Finding> {
  return new Map(rules.map((r) => [r.def.id, r.evaluate(target, params)]));
}

const hardened = captured("debian12-hardened");
const hardenedNonRoot = captured("debian12-hardened-nonroot");

/** What setup.sh put in place, and the verdict each rule must reach on it. */
const HARDENED: Record<string, { status: Finding["status"]; names?: string[] }> = {
  "linux-shell-idle-timeout": { status: "pass", names: ["600 s"] }, // declare -r TMOUT=600 wins over 900
  "linux-ssh-idle-logout": { status: "pass", names: ["ChannelTimeout for sessions 900"] },
  "linux-ssh-dead-client-timeout": { status: "fail", names: ["ClientAliveCountMax 0"] },
  "linux-gnome-screen-lock": { status: "not_applicable" }, // dconf files written, GNOME not installed
  "linux-shared-accounts": { status: "fail", names: ["hspshared"] }, // GECOS "Front desk (shared)"
  "linux-empty-passwords": { status: "fail", names: ["hspshared"] },
  "linux-uid0-only-root": { status: "pass" },
  "linux-unique-uids": { status: "pass" },
  "linux-admin-count": { status: "pass", names: ["hspadmin", "hspshared"] }, // %hsp-admins, User_Alias; not hspsvc
  "linux-useradd-inactive-default": { status: "fail", names: ["35"] }, // useradd -D -f 35 > 30
  "linux-expired-accounts-locked": { status: "pass" }, // hspadmin expires 2026-12-31, after the capture
  "linux-account-lockout": { status: "pass", names: ["deny: 4"] }, // module argument beats faillock.conf
  "linux-password-min-length": { status: "pass", names: ["14"] },
  "linux-auditd-active": { status: "pass" },
  "linux-audit-rules": { status: "pass" },
  "linux-journal-persistent": { status: "pass", names: ["persistent"] },
  "linux-log-forwarding": { status: "pass", names: ["tcp://127.0.0.1:6514", "udp://127.0.0.2:10514"] },
  "linux-time-sync": { status: "fail", names: ["chrony"] }, // chrony pointed at loopback, never syncs
  "linux-host-firewall": { status: "pass", names: ["nftables", "drop"] },
  "linux-file-integrity-monitoring": { status: "pass" },
  "linux-package-signatures": { status: "fail" }, // APT::Get::AllowUnauthenticated "true"
  "linux-ssh-root-login": { status: "pass" },
  "linux-ssh-password-only-auth": { status: "pass" },
  "linux-ssh-empty-passwords": { status: "pass" },
  "linux-ssh-ciphers": { status: "pass" },
  "linux-ssh-macs": { status: "pass" },
};

describe("Linux rules on a captured hardened Debian 12 (root)", () => {
  const findings = evaluateAll(hardened);

  it.each(Object.entries(HARDENED))("%s", (id, want) => {
    const f = findings.get(id);
    expect(f, id).toBeDefined();
    expect(f!.status, f!.message).toBe(want.status);
    for (const n of want.names ?? []) expect(f!.message).toContain(n);
  });

  it("reaches a verdict on every rule when run as root (no error)", () => {
    const errors = [...findings.values()].filter((f) => f.status === "error").map((f) => `${f.ruleId}: ${f.message}`);
    expect(errors).toEqual([]);
  });

  it("honours params: fewer admins allowed, a longer INACTIVE accepted", () => {
    const tuned = evaluateAll(hardened, { max_admin_users: 1, max_inactive_days: 35 });
    expect(tuned.get("linux-admin-count")?.status).toBe("fail");
    expect(tuned.get("linux-useradd-inactive-default")?.status).toBe("pass");
  });
});

describe("Linux rules on the same state probed as nobody", () => {
  const findings = evaluateAll(hardenedNonRoot);

  it("gives error, never a verdict, where root-only facts are needed, and says so", () => {
    for (const id of ["linux-empty-passwords", "linux-admin-count", "linux-auditd-active", "linux-audit-rules", "linux-host-firewall", "linux-password-max-age"]) {
      const f = findings.get(id)!;
      expect(f.status, `${id}: ${f.message}`).toBe("error");
      expect(f.message).toMatch(/needs root|run as root/);
    }
  });

  it("every error names root as the missing piece", () => {
    for (const f of findings.values()) if (f.status === "error") expect(f.message, f.ruleId).toMatch(/needs root|run as root/);
  });

  it("still judges what a normal user can read", () => {
    for (const id of ["linux-shell-idle-timeout", "linux-ssh-idle-logout", "linux-account-lockout", "linux-password-min-length", "linux-ssh-root-login"]) {
      expect(findings.get(id)?.status, id).toBe("pass");
    }
    expect(findings.get("linux-shared-accounts")?.status).toBe("fail");
    expect(findings.get("linux-shared-accounts")?.message).toContain("hspshared");
  });
});
