import { describe, expect, it } from "vitest";
import { isUnknown } from "../../../src/facts/unknown.js";
import { parseAccounts, parseLastLogin, parseSudoersAll } from "../../../src/probes/linux/accounts.js";
import { parseAudit, rsyslogDestinations, syslogNgDestinations } from "../../../src/probes/linux/audit.js";
import { loadProbe } from "./helpers.js";

describe("accounts", () => {
  it("reads password status, dates, groups, sudo rights and useradd -D (hardened capture, root)", () => {
    const a = parseAccounts(loadProbe("debian12-hardened"));
    const users = a.users;
    if (isUnknown(users)) throw new Error(users.reason);
    const user = (n: string) => users.find((u) => u.name === n);
    expect(user("hspshared")).toMatchObject({ password: "empty", interactive: true, gecos: "Front desk (shared)", lastLogin: null });
    expect(user("hspsvc")).toMatchObject({ password: "locked", interactive: false });
    expect(user("hspadmin")).toMatchObject({ password: "set", expires: "2026-12-31", groups: ["hspadmin", "hsp-admins"] });
    expect(user("hspadmin")?.passwordChanged).toBe("2026-11-22");
    expect(user("root")).toMatchObject({ uid: 0, password: "locked" });
    // root (uid 0 and sudoers), hspadmin (%hsp-admins ALL), hspshared (User_Alias HSPOPS ALL); hspsvc only has one command.
    expect(a.privileged).toEqual(["hspadmin", "hspshared", "root"]);
    expect(a.adminGroupMembers).toEqual([]);
    expect(a.defaultInactiveDays).toBe(35);
  });

  it("says what needs root when shadow and sudoers are unreadable (hardened capture, nobody)", () => {
    const a = parseAccounts(loadProbe("debian12-hardened-nonroot"));
    if (isUnknown(a.users)) throw new Error(a.users.reason);
    const shared = a.users.find((u) => u.name === "hspshared");
    expect(isUnknown(shared?.password) && shared?.password.reason).toBe("needs root: /etc/shadow not readable");
    expect(isUnknown(a.privileged) && a.privileged.reason).toBe("needs root: /etc/sudoers not readable");
    expect(a.adminGroupMembers).toEqual([]);
  });

  it("never carries a password hash", () => {
    const a = parseAccounts(loadProbe("debian12-hardened"));
    expect(JSON.stringify(a)).not.toMatch(/\$(1|5|6|y|2b)\$/);
  });

  it("parses lastlog dates with their offset", () => {
    const l = parseLastLogin(
      "tool=lastlog\nUsername         Port     From             Latest\nalice            pts/0    10.0.0.5         Sun Nov 22 20:49:56 +0100 2026\nbob                                        **Never logged in**\n",
    );
    expect(l.logins.get("alice")).toBe("2026-11-22T19:49:56.000Z");
    expect(l.logins.get("bob")).toBeNull();
  });

  it("expands sudoers aliases and ignores commented and limited grants", () => {
    const g = parseSudoersAll([
      {
        path: "/etc/sudoers",
        denied: false,
        content: "User_Alias ADMINS = carol, dave\nADMINS ALL=(ALL) ALL\n%wheel ALL=(ALL:ALL) NOPASSWD: ALL\nerin ALL=(root) /usr/bin/ls\n#frank ALL=(ALL) ALL\n",
      },
    ]);
    expect(g.users.sort()).toEqual(["carol", "dave"]);
    expect(g.groups).toEqual(["wheel"]);
  });
});

describe("audit and logging", () => {
  it("sees auditd running with rules covering logins, sudo, identity and time (hardened capture)", () => {
    const a = parseAudit(loadProbe("debian12-hardened"));
    expect(a.auditd).toMatchObject({
      installed: true,
      active: true,
      enabled: true,
      watches: { logins: true, sudo: true, identity: true, time: true },
    });
    expect(Array.isArray(a.auditd.rules) && a.auditd.rules.length).toBe(5);
    expect(a.journald).toEqual({ storage: "persistent", persistent: true });
    expect(a.forwarding).toEqual(["rsyslog tcp://127.0.0.1:6514", "rsyslog udp://127.0.0.2:10514"]);
  });

  it("reports installed-but-off auditd and no forwarding on a stock box (root capture)", () => {
    const a = parseAudit(loadProbe("debian12-root"));
    expect(a.auditd).toMatchObject({ installed: true, active: false, enabled: false, rules: [] });
    expect(a.journald.storage).toBe("auto");
    expect(a.forwarding).toEqual([]);
  });

  it("needs root for auditctl", () => {
    const a = parseAudit(loadProbe("debian12-nonroot"));
    expect(isUnknown(a.auditd.enabled) && a.auditd.enabled.reason).toBe("needs root: auditctl -s");
  });

  it("finds legacy and RainerScript rsyslog targets and syslog-ng network destinations", () => {
    expect(rsyslogDestinations('*.* @logs.example:514\nauth.* @@[2001:db8::1]:6514\n*.* :omrelp:relp.example:2514\n')).toEqual([
      "rsyslog udp://logs.example:514",
      "rsyslog tcp://[2001:db8::1]:6514",
      "rsyslog relp://relp.example:2514",
    ]);
    expect(syslogNgDestinations('destination d_net { network("10.0.0.5" transport("tcp") port(601)); };')).toEqual([
      "syslog-ng tcp://10.0.0.5:601",
    ]);
  });
});
