import { describe, expect, it } from "vitest";
import { openldapAccountFromEntry, openldapPolicyFromEntry } from "../../../src/directory/openldap.js";
import { loadEntries } from "./fixtures.js";

const users = Object.fromEntries(loadEntries("openldap-2.5/users.json").map((e) => [String(e.uid), openldapAccountFromEntry(e, true)]));

describe("OpenLDAP parsing (captured from slapd 2.5 with ppolicy and lastbind)", () => {
  it("reads last bind, creation, expiry and shadowMax", () => {
    expect(users["alice.nguyen"]!.lastLogon).toMatch(/^\d{4}-/);
    expect(users["alice.nguyen"]!.lastLogonSource).toMatch(/pwdLastSuccess/);
    expect(users["neverused.vera"]!.lastLogon).toBeNull();
    expect(users["neverused.vera"]!.whenCreated).toMatch(/^\d{4}-/);
    expect(users["expired.victor"]!.accountExpires).toMatch(/^\d{4}-/);
    expect(users["pne.wendy"]!.passwordNeverExpires).toBe(true);
    expect(users["alice.nguyen"]!.passwordNeverExpires).toBe(false);
    expect(users["alice.nguyen"]!.employeeID).toBe("E1001"); // from employeeNumber
  });
  it("treats a permanent ppolicy lock as disabled", () => {
    expect(users["locked.lisa"]).toMatchObject({ enabled: false, lockedOut: true });
    expect(users["alice.nguyen"]).toMatchObject({ enabled: true, lockedOut: false });
  });
  it("says last logon is unknown when no bind times are recorded at all", () => {
    const [e] = loadEntries("openldap-2.5/users.json");
    const a = openldapAccountFromEntry({ ...e!, pwdLastSuccess: [], authTimestamp: [] }, false);
    expect(a.lastLogon).toMatchObject({ unknown: true });
  });
  it("reads the default ppolicy", () => {
    const [p] = loadEntries("openldap-2.5/ppolicy.json");
    expect(openldapPolicyFromEntry(p!)).toMatchObject({ minLength: 8, lockoutThreshold: 5, maxAgeDays: null, complexity: false, lockoutDurationSeconds: 900, historyLength: 5 });
  });
});
