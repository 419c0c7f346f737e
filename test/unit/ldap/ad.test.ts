import { describe, expect, it } from "vitest";
import { adAccountFromEntry, adComputerFromEntry, adFgppFromEntry, adPolicyFromEntry, findBindAccount } from "../../../src/directory/ad.js";
import { rangedValues } from "../../../src/transports/ldap/client.js";
import { loadEntries } from "./fixtures.js";

const users = Object.fromEntries(loadEntries("samba-4.17/users.json").map((e) => [String(e.sAMAccountName), adAccountFromEntry(e)]));

describe("AD account parsing (captured from Samba 4.17)", () => {
  it("reads the seeded flag conditions", () => {
    expect(users["pne.wendy"]).toMatchObject({ passwordNeverExpires: true, passwordNotRequired: false, enabled: true });
    expect(users["pnr.xavier"]).toMatchObject({ passwordNotRequired: true });
    expect(users["rev.yara"]).toMatchObject({ reversibleEncryption: true });
    expect(users["nopre.zack"]).toMatchObject({ noPreauth: true });
    expect(users["dis.admin"]).toMatchObject({ enabled: false });
  });
  it("reads dates: never-used, expired, stale", () => {
    expect(users["neverused.vera"]!.lastLogon).toBeNull();
    expect(users["expired.victor"]!.accountExpires).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(users["alice.nguyen"]!.accountExpires).toBeNull(); // 9223372036854775807 = never
    expect(Date.parse(users["stale.tom"]!.lastLogon as string)).toBeLessThan(Date.parse(users["alice.nguyen"]!.lastLogon as string));
    expect(users["alice.nguyen"]!.lastLogonSource).toMatch(/9-14 days/);
  });
  it("reads identity attributes, SPNs and built-ins", () => {
    expect(users["alice.nguyen"]).toMatchObject({ mail: "alice.nguyen@hsl.lab", employeeID: "E1001", hasSpn: false, builtin: false });
    expect(users["svc-backup"]).toMatchObject({ hasSpn: true, servicePrincipalNames: ["backup/dc1.hsl.lab"], mail: null });
    expect(users["Administrator"]).toMatchObject({ rid: 500, builtin: true, adminCount: 1 });
    expect(users["krbtgt"]).toMatchObject({ rid: 502, builtin: true, enabled: false });
    expect(users["clinic.ops"]!.description).toBe("Shared login for the billing team");
  });
  it("finds the bind account by UPN, DOMAIN\\user or DN", () => {
    const list = Object.values(users);
    expect(findBindAccount(list, "alice.nguyen@hsl.lab")?.name).toBe("alice.nguyen");
    expect(findBindAccount(list, "HSL\\Administrator")?.name).toBe("Administrator");
    expect(findBindAccount(list, "cn=pne.wendy,cn=users,dc=hsl,dc=lab")?.name).toBe("pne.wendy");
  });
});

describe("AD policies and computers", () => {
  it("reads the domain policy", () => {
    const [domain] = loadEntries("samba-4.17/domain.json");
    expect(adPolicyFromEntry(domain!)).toMatchObject({ minLength: 8, lockoutThreshold: 0, maxAgeDays: 42, complexity: true, historyLength: 24, lockoutDurationSeconds: 1800 });
  });
  it("reads a fine-grained policy", () => {
    const [pso] = loadEntries("samba-4.17/pso.json");
    expect(adFgppFromEntry(pso!)).toMatchObject({ name: "Clinicians PSO", minLength: 6, precedence: 10, complexity: true, maxAgeDays: 42 });
  });
  it("reads computers: DC, disabled/enabled, LAPS absent", () => {
    const comps = Object.fromEntries(loadEntries("samba-4.17/computers.json").map((e) => [String(e.sAMAccountName), adComputerFromEntry(e)]));
    expect(comps["DC1$"]).toMatchObject({ name: "DC1", domainController: true, lapsPresent: false });
    expect(comps["WS01$"]).toMatchObject({ name: "WS01", domainController: false, enabled: true });
  });
  it("reads ranged attributes", () => {
    const [da] = loadEntries("samba-4.17/domain-admins-range.json");
    const r = rangedValues(da!, "member");
    expect(r).toMatchObject({ low: 0, high: 2 });
    expect(r!.values).toHaveLength(3);
    expect(rangedValues({ dn: "x", "member;range=1500-*": ["a"] }, "member")).toEqual({ values: ["a"], low: 1500, high: null });
    expect(rangedValues({ dn: "x", member: ["a"] }, "member")).toBeNull();
  });
});

describe("AD login failures per account", () => {
  it("reads badPwdCount, badPasswordTime and lockoutTime where returned, unknown where not", async () => {
    const { adLoginFailures } = await import("../../../src/directory/ad.js");
    // FILETIME 133774848000000000 = 2024-12-01T00:00:00Z; 0 means never.
    expect(adLoginFailures({ dn: "cn=a", badPwdCount: "3", badPasswordTime: "133774848000000000", lockoutTime: "0" })).toEqual({
      badPwdCount: 3,
      badPasswordTime: "2024-12-01T00:00:00.000Z",
      lockoutTime: null,
    });
    const none = adLoginFailures({ dn: "cn=b" });
    expect(none.badPwdCount).toMatchObject({ unknown: true });
    expect(none.badPasswordTime).toMatchObject({ unknown: true });
  });
});
