import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  parseCsrutil,
  parseDsclList,
  parseFdesetup,
  parseFirewallState,
  parseGroupMembership,
  parseScreenLock,
  parseSpctl,
  parseStealthMode,
  parseSwVers,
} from "../../../src/probes/macos/parsers.js";
import { parseOpenStepPlist, plistBool, plistDate } from "../../../src/probes/macos/plist.js";
import { parseMacos } from "../../../src/probes/macos/index.js";
import { splitSections } from "../../../src/probes/sections.js";

const fx = (f: string) => readFileSync(join(import.meta.dirname, "../../../fixtures/macos", f), "utf8");

describe("macOS parsers on captured output (fixtures/macos/PROVENANCE.md)", () => {
  it("sw_vers, with spaces or tabs", () => {
    expect(parseSwVers(fx("sw_vers.catalina.txt"))).toEqual({ productName: "Mac OS X", productVersion: "10.15.5", buildVersion: "19F101" });
    expect(parseSwVers(fx("sw_vers.high-sierra.txt"))).toEqual({ productName: "Mac OS X", productVersion: "10.13", buildVersion: "17A405" });
    expect(parseSwVers("sw_vers: command not found")).toBeNull();
  });

  it("fdesetup status", () => {
    expect(parseFdesetup(fx("fdesetup-status.on.txt"))).toBe("on");
    expect(parseFdesetup("")).toBeNull();
  });

  it("socketfilterfw --getglobalstate, including state 2 (block all)", () => {
    expect(parseFirewallState(fx("socketfilterfw-getglobalstate.enabled.txt"))).toBe(1);
    expect(parseFirewallState(fx("socketfilterfw-getglobalstate.block-all.txt"))).toBe(2);
    expect(parseFirewallState("Must be root to change settings.")).toBeNull();
  });

  it("csrutil status", () => {
    expect(parseCsrutil(fx("csrutil-status.enabled.txt"))).toEqual({ enabled: true, custom: false });
    expect(parseCsrutil(fx("csrutil-status.disabled.txt"))).toEqual({ enabled: false, custom: false });
  });

  it("spctl --status", () => {
    expect(parseSpctl(fx("spctl-status.enabled.txt"))).toBe(true);
    expect(parseSpctl(fx("spctl-status.disabled.txt"))).toBe(false);
  });

  it("dscl . -list /Users UniqueID", () => {
    const m = parseDsclList(fx("dscl-list-users-uniqueid.txt"));
    expect(m.size).toBe(31);
    expect(m.get("nobody")).toBe("-2");
    expect(m.get("root")).toBe("0");
    expect(m.get("_amavisd")).toBe("83");
  });

  it("defaults read output (OpenStep plist) with nested arrays and dictionaries", () => {
    const p = parseOpenStepPlist(fx("defaults-read-SoftwareUpdate.catalina.txt")) as Record<string, unknown>;
    expect(p.LastSuccessfulDate).toBe("2021-02-23 07:52:51 +0000");
    expect(p.PrimaryLanguages).toEqual(["en-LT", "en-GB"]);
    expect((p.RecommendedUpdates as Record<string, string>[]).map((u) => u["Product Key"])).toEqual(["071-03270", "071-05425", "001-93719"]);
    expect(plistBool(p.AutomaticCheckEnabled as string)).toBe(true);
    expect(plistDate(p.LastSuccessfulDate as string)).toBe("2021-02-23T07:52:51.000Z");
    expect(() => parseOpenStepPlist("{ a = 1;")).toThrow(/unterminated|expected/);
  });
});

describe("macOS parsers on wording without a published full capture (hand-written input)", () => {
  it("sysadminctl -screenLock status: the strings the CIS audit scripts match", () => {
    expect(parseScreenLock("screenLock delay is immediate")).toBe(0);
    expect(parseScreenLock("screenLock delay is 5 seconds")).toBe(5);
    expect(parseScreenLock("screenLock is off")).toBe("off");
    expect(parseScreenLock("something else")).toBeNull();
  });
  it("stealth mode and group membership", () => {
    expect(parseStealthMode("Stealth mode enabled")).toBe(true);
    expect(parseStealthMode("Firewall stealth mode is off")).toBe(false);
    expect(parseGroupMembership("GroupMembership: root alice")).toEqual(["root", "alice"]);
  });
});

const MARK = `@@hs:${"ab".repeat(16)}`;
/** A probe run assembled from sections (real outputs where fixtures exist), framed as hs_mk frames them. */
function probeRun(sections: Record<string, { out: string; rc?: number; err?: string } | { files: [string, string][] }>): string {
  const mk = (words: string) => `\n${MARK} ${words}\n`;
  let s = mk("begin ident") + "uid=0\nuser=root\nos=Darwin\nkernel=19.6.0\narch=x86_64\nhostname=frontdesk-mac\n" + mk("end ident rc=0");
  for (const [name, v] of Object.entries(sections)) {
    s += mk(`begin ${name}`);
    if ("files" in v) for (const [path, content] of v.files) s += mk(`file ${path}`) + content;
    else {
      s += v.out;
      if (v.err) s += mk(`stderr ${name}`) + v.err;
    }
    s += mk(`end ${name} rc=${"files" in v ? 0 : (v.rc ?? 0)}`);
  }
  return s + mk("done");
}

describe("parseMacos", () => {
  const base = {
    "sw-vers": { out: fx("sw_vers.catalina.txt") },
    fdesetup: { out: fx("fdesetup-status.on.txt") },
    "fw-global": { out: fx("socketfilterfw-getglobalstate.block-all.txt") },
    csrutil: { out: fx("csrutil-status.disabled.txt") },
    spctl: { out: fx("spctl-status.enabled.txt") },
    "dscl-uid": { out: fx("dscl-list-users-uniqueid.txt") },
    swupdate: { out: fx("defaults-read-SoftwareUpdate.catalina.txt") },
  };
  const now = new Date("2026-11-22T00:00:00Z");

  it("turns captured outputs into facts; what the run lacks is unknown with a reason", () => {
    const { facts } = parseMacos(splitSections(probeRun(base), MARK), now);
    expect(facts.os).toMatchObject({ family: "macos", name: "Mac OS X", version: "10.15.5", hostname: "frontdesk-mac", endOfLife: true, endOfLifeDate: "2022-09-12" });
    expect(facts.filevault).toEqual({ status: "on", enabled: true });
    expect(facts.appFirewall).toMatchObject({ globalState: 2, stealthMode: { unknown: true } });
    expect(facts.firewall).toMatchObject({ backend: "socketfilterfw", active: true, defaultInputPolicy: "block-all-non-essential" });
    expect(facts.sip).toEqual({ enabled: false, custom: false });
    expect(facts.gatekeeper).toEqual({ enabled: true });
    expect(facts.softwareUpdate).toEqual({
      lastSuccessfulDate: "2021-02-23T07:52:51.000Z",
      automaticCheckEnabled: true,
      automaticDownload: true,
      automaticallyInstallMacOSUpdates: false,
      criticalUpdateInstall: false,
      recommendedUpdatesAvailable: 3,
    });
    const accounts = facts.accounts as { users: { name: string; uid: number }[]; privileged: unknown };
    expect(accounts.users).toHaveLength(31);
    expect(accounts.users.filter((u) => u.uid === 0).map((u) => u.name)).toEqual(["root"]);
    expect(accounts.privileged).toMatchObject({ unknown: true });
    expect(facts.screensaver).toMatchObject({ idleTime: { unknown: true }, screenLockDelay: { unknown: true } });
  });

  it("lets a configuration profile win over a user's own screen saver setting (hand-written plists)", () => {
    const run = probeRun({
      ...base,
      screensaver: {
        files: [
          ["/Library/Managed Preferences/com.apple.screensaver.plist", "{\n    askForPassword = 1;\n    askForPasswordDelay = 5;\n    idleTime = 600;\n}\n"],
          ["/Users/alice/Library/Preferences/ByHost/com.apple.screensaver.0000.plist", "{\n    idleTime = 3600;\n}\n"],
        ],
      },
      screenlock: { out: "", rc: 0, err: "2026-11-22 10:00:00.000 sysadminctl[123:456] screenLock delay is immediate" },
    });
    expect(parseMacos(splitSections(run, MARK), now).facts.screensaver).toEqual({
      idleTime: 600,
      idleTimeSource: "profile",
      askForPassword: true,
      askForPasswordDelay: 5,
      screenLockDelay: 0,
      managed: true,
    });
  });

  it("without a profile takes the weakest user setting, and says when none is set", () => {
    const users = probeRun({
      ...base,
      screensaver: {
        files: [
          ["/Users/alice/Library/Preferences/ByHost/com.apple.screensaver.0000.plist", "{\n    idleTime = 300;\n}\n"],
          ["/Users/bob/Library/Preferences/ByHost/com.apple.screensaver.0000.plist", "{\n    idleTime = 0;\n}\n"],
        ],
      },
      screenlock: { out: "", err: "screenLock is off" },
    });
    expect(parseMacos(splitSections(users, MARK), now).facts.screensaver).toMatchObject({
      idleTime: null,
      idleTimeSource: "user",
      askForPassword: null,
      screenLockDelay: null,
      managed: false,
    });
    const none = probeRun({ ...base, screensaver: { files: [] } });
    expect(parseMacos(splitSections(none, MARK), now).facts.screensaver).toMatchObject({ idleTime: 1200, idleTimeSource: "default" });
  });
});
