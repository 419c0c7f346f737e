import { describe, expect, it } from "vitest";
import { isUnknown } from "../../../src/facts/unknown.js";
import { parseFirewall, summariseIptables, summariseNft } from "../../../src/probes/linux/firewall.js";
import { parseIntegrity, signatureDisablers } from "../../../src/probes/linux/integrity.js";
import { parsePam } from "../../../src/probes/linux/pam.js";
import { nevraName, parseAptPending, parseDnfSecurity, parseUpdates, securitySuites } from "../../../src/probes/linux/updates.js";
import { loadProbe } from "./helpers.js";

const fixtureSection = (name: string, section: string): string => {
  const s = loadProbe(name).section(section);
  if (!s) throw new Error(`${section} missing from ${name}`);
  return s.stdout;
};

describe("firewall", () => {
  it("counts the nftables input rules and reads the drop policy (hardened capture)", () => {
    expect(parseFirewall(loadProbe("debian12-hardened"))).toEqual({
      backend: "nftables",
      active: true,
      ruleCount: 3,
      defaultInputPolicy: "drop",
    });
  });

  it("reports no firewall when the ruleset is empty and INPUT accepts (stock root capture)", () => {
    expect(parseFirewall(loadProbe("debian12-root"))).toEqual({
      backend: null,
      active: false,
      ruleCount: 0,
      defaultInputPolicy: "accept",
    });
  });

  it("needs root to read rulesets", () => {
    const f = parseFirewall(loadProbe("debian12-nonroot"));
    expect(isUnknown(f.ruleCount) && f.ruleCount.reason).toMatch(/^needs root/);
    expect(isUnknown(f.backend)).toBe(true);
  });

  it("ignores NAT chains and set elements when counting nft rules", () => {
    const s = summariseNft(
      "table ip nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tmasquerade\n\t}\n}\ntable inet f {\n\tset allowed {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1 }\n\t}\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tip saddr @allowed accept\n\t}\n}\n",
    );
    expect(s).toEqual({ ruleCount: 1, inputPolicy: "accept" });
    expect(summariseIptables("-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n")).toEqual({ ruleCount: 1, inputPolicy: "drop" });
  });
});

describe("updates", () => {
  it("counts pending and security upgrades from apt list and apt-cache policy (real capture)", () => {
    const u = parseUpdates(loadProbe("debian12-root"));
    expect(u).toMatchObject({ manager: "apt", pendingTotal: 134, pendingSecurity: 81, metadataUpdated: "2026-11-22T20:50:03.000Z" });
    expect(Array.isArray(u.packages) && u.packages).toEqual(expect.arrayContaining(["openssl", "libssl3"]));
    expect(Array.isArray(u.packages) && u.packages).not.toContain("bash");
  });

  it("counts pending and security upgrades from apt-get's simulation (real capture, fallback format)", () => {
    const u = parseUpdates(loadProbe("debian12-root-aptget"));
    expect(u.manager).toBe("apt");
    expect(u.pendingTotal).toBe(134);
    expect(u.pendingSecurity).toBe(81);
    expect(Array.isArray(u.packages) && u.packages).toEqual(expect.arrayContaining(["openssl", "libssl3"]));
    expect(Array.isArray(u.packages) && u.packages).not.toContain("bash");
    expect(u.metadataUpdated).toBe("2026-11-22T20:50:03.000Z");
  });

  it("treats a line as security only when a -security origin is listed", () => {
    const p = parseAptPending(
      "Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\nInst zip [3.0-13] (3.0-13+deb12u1 Debian-Security:12/oldstable-security [amd64])\n",
    );
    expect(p).toEqual({ total: 2, security: ["zip"], metadataUpdated: null });
  });

  it("knows security archives by label, and which names are shared with the main archive", () => {
    const real = securitySuites(fixtureSection("debian12-root", "apt-releases"));
    expect([...real.security].sort()).toEqual(["bookworm-security", "oldstable-security"]);
    expect(real.ambiguous.size).toBe(0);
    const old = securitySuites(
      "/l/security_InRelease:Label: Debian-Security\n/l/security_InRelease:Suite: oldoldstable\n/l/security_InRelease:Codename: buster\n/l/main_InRelease:Label: Debian\n/l/main_InRelease:Suite: oldoldstable\n/l/main_InRelease:Codename: buster\n",
    );
    expect([...old.ambiguous].sort()).toEqual(["buster", "oldoldstable"]);
    expect(old.security.size).toBe(0);
    const p = parseAptPending("tool=apt-list\nListing...\nzip/jammy-updates,jammy-security 3.0-12ubuntu0.22.04.1 amd64 [upgradable from: 3.0-12build2]\n", new Set());
    expect(p.security).toEqual(["zip"]);
  });

  it("reads dnf security advisories by package name", () => {
    expect(nevraName("openssl-libs-1:3.0.7-27.el9.x86_64")).toBe("openssl-libs");
    expect(parseDnfSecurity("RHSA-2024:1234 Important/Sec. openssl-libs-1:3.0.7-27.el9.x86_64\nRHBA-2024:1 bugfix foo-1-1.noarch\n")).toEqual([
      "openssl-libs",
    ]);
    // dnf 5 layout (advisory list columns: name, type, severity, package, issued).
    expect(parseDnfSecurity("Name Type Severity Package Issued\nFEDORA-2024-1 security Important openssl-libs-1:3.2.2-3.fc40.x86_64 2024-08-01 00:00:00\n")).toEqual([
      "openssl-libs",
    ]);
  });
});

describe("pam", () => {
  it("reads faillock (module argument over faillock.conf) and pwquality minlen (hardened capture)", () => {
    expect(parsePam(loadProbe("debian12-hardened"))).toEqual({
      faillock: { enabled: true, deny: 4, unlockTime: 900 },
      pwquality: { enabled: true, minlen: 14 },
      mfaModules: [],
    });
  });

  it("reports faillock off and unset values on the stock stacks", () => {
    expect(parsePam(loadProbe("debian12-root"))).toEqual({
      faillock: { enabled: false, deny: null, unlockTime: null },
      pwquality: { enabled: true, minlen: null },
      mfaModules: [],
    });
  });
});

describe("integrity", () => {
  it("sees an initialised, cron-scheduled AIDE and apt signature checks turned off (hardened capture)", () => {
    expect(parseIntegrity(loadProbe("debian12-hardened"))).toEqual({
      aide: { installed: true, databaseInitialised: true, scheduled: true },
      packageSignatures: false,
      secureBoot: null,
    });
  });

  it("sees AIDE installed without a database on the stock box", () => {
    const i = parseIntegrity(loadProbe("debian12-root"));
    expect(i.aide).toEqual({ installed: true, databaseInitialised: false, scheduled: true });
    expect(i.packageSignatures).toBe(true);
  });

  it("only counts settings that really switch verification off", () => {
    expect(
      signatureDisablers(
        '/etc/apt/apt.conf.d/x:APT::Get::AllowUnauthenticated "false";\n/etc/yum.repos.d/a.repo:gpgcheck=0\n/etc/apt/sources.list:# deb [trusted=yes] http://x ./\nexists=/etc/apt/sources.list\n',
      ),
    ).toEqual(["/etc/yum.repos.d/a.repo: gpgcheck=0"]);
  });
});
