// Captures raw ldapts entries from a running lab into fixtures/ldap/<dir>/ for the parser unit tests.
// usage: node test/lab/ldap/capture-fixtures.mjs ldaps://HOST BASE_DN BIND_DN CA_FILE OUT_DIR  (password in HSL_PW)
import { Client } from "ldapts";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const [url, base, bindDN, caFile, out] = process.argv.slice(2);
const client = new Client({ url, tlsOptions: caFile ? { ca: [readFileSync(caFile)] } : undefined, timeout: 20000 });
await client.bind(bindDN, process.env.HSL_PW ?? "");
mkdirSync(out, { recursive: true });
const enc = (entries) =>
  JSON.stringify(entries.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, Buffer.isBuffer(v) ? { $base64: v.toString("base64") } : v]))), null, 1);
const save = async (name, dn, opts) => {
  const r = await client.search(dn, opts);
  writeFileSync(join(out, `${name}.json`), enc(r.searchEntries) + "\n");
};
const isAd = (await client.search("", { scope: "base", attributes: ["supportedCapabilities"] })).searchEntries[0]?.supportedCapabilities?.includes?.("1.2.840.113556.1.4.800");
await save("rootdse", "", { scope: "base", attributes: ["*", "+", "supportedCapabilities"] });
if (isAd) {
  const users = ["Administrator", "krbtgt", "alice.nguyen", "stale.tom", "neverused.vera", "expired.victor", "pne.wendy", "pnr.xavier", "rev.yara", "nopre.zack", "svc-backup", "dis.admin", "clinic.ops"];
  await save("users", base, {
    filter: `(|${users.map((u) => `(sAMAccountName=${u})`).join("")})`,
    attributes: ["sAMAccountName", "userAccountControl", "msDS-User-Account-Control-Computed", "lastLogonTimestamp", "pwdLastSet", "whenCreated", "accountExpires", "mail", "employeeID", "manager", "description", "displayName", "servicePrincipalName", "objectSid", "adminCount"],
    explicitBufferAttributes: ["objectSid"],
  });
  await save("domain", base, { scope: "base", attributes: ["objectSid", "minPwdLength", "lockoutThreshold", "lockoutDuration", "maxPwdAge", "minPwdAge", "pwdHistoryLength", "pwdProperties"], explicitBufferAttributes: ["objectSid"] });
  await save("pso", `CN=Password Settings Container,CN=System,${base}`, { filter: "(objectClass=msDS-PasswordSettings)", attributes: ["cn", "msDS-PasswordSettingsPrecedence", "msDS-MinimumPasswordLength", "msDS-LockoutThreshold", "msDS-MaximumPasswordAge", "msDS-PasswordComplexityEnabled", "msDS-PSOAppliesTo"] });
  await save("computers", base, { filter: "(objectCategory=computer)", attributes: ["sAMAccountName", "userAccountControl", "lastLogonTimestamp", "whenCreated", "operatingSystem", "ms-Mcs-AdmPwdExpirationTime", "msLAPS-PasswordExpirationTime"] });
  await save("domain-admins-range", `CN=Domain Admins,CN=Users,${base}`, { scope: "base", attributes: ["member;range=0-2"] });
} else {
  await save("users", base, { filter: "(|(objectClass=posixAccount)(objectClass=inetOrgPerson))", attributes: ["uid", "cn", "mail", "employeeNumber", "manager", "description", "displayName", "shadowLastChange", "shadowExpire", "shadowMax", "pwdChangedTime", "pwdAccountLockedTime", "pwdLastSuccess", "authTimestamp", "pwdReset", "createTimestamp"] });
  await save("ppolicy", base, { filter: "(objectClass=pwdPolicy)", attributes: ["*"] });
}
await client.unbind();
console.log(`captured into ${out}`);
