// Generates LDIF for the OpenLDAP lab (slapadd, before slapd starts).
//   node gen-openldap-ldif.mjs lab PASSWORD_FILE      the seeded lab (conditions + clean accounts)
//   node gen-openldap-ldif.mjs bench N PASSWORD_FILE  N generated users for the benchmark
// Dates are relative to now. Only the auditor gets a password ({SSHA}); the hash is computed here
// and written only into the LDIF that slapadd reads.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

const [mode, a, b] = process.argv.slice(2);
const pwFile = mode === "bench" ? b : a;
const auditorPw = readFileSync(pwFile, "utf8").split("\n")[1] ?? "";
const BASE = "dc=hsl,dc=lab";
const now = Date.now();
const gt = (daysAgo) => new Date(now - daysAgo * 86_400_000).toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z");
const epochDays = (daysAgo) => Math.floor((now - daysAgo * 86_400_000) / 86_400_000);
const ssha = (pw) => {
  const salt = randomBytes(8);
  return `{SSHA}${Buffer.concat([createHash("sha1").update(pw).update(salt).digest(), salt]).toString("base64")}`;
};
const out = [];
const entry = (lines) => out.push(lines.filter(Boolean).join("\n") + "\n");

entry([`dn: ${BASE}`, "objectClass: dcObject", "objectClass: organization", "o: HSL lab", "dc: hsl"]);
for (const ou of ["people", "groups", "policies"]) entry([`dn: ou=${ou},${BASE}`, "objectClass: organizationalUnit", `ou: ${ou}`]);
entry([
  `dn: cn=default,ou=policies,${BASE}`, "objectClass: pwdPolicy", "objectClass: device", "cn: default",
  "pwdAttribute: userPassword", "pwdMinLength: 8", "pwdCheckQuality: 1", "pwdLockout: TRUE", "pwdMaxFailure: 5",
  "pwdLockoutDuration: 900", "pwdMaxAge: 0", "pwdInHistory: 5",
]);

let uidNumber = 10000;
function person(uid, o = {}) {
  const [given, sur] = uid.includes(".") ? uid.split(".") : [uid, uid];
  entry([
    `dn: uid=${uid},ou=people,${BASE}`,
    "objectClass: inetOrgPerson", "objectClass: posixAccount", "objectClass: shadowAccount",
    `uid: ${uid}`, `cn: ${given} ${sur}`, `sn: ${sur}`, `givenName: ${given}`,
    `uidNumber: ${uidNumber++}`, "gidNumber: 10000", `homeDirectory: /home/${uid}`, "loginShell: /bin/bash",
    o.mail === null ? "" : `mail: ${o.mail ?? `${uid}@hsl.lab`}`,
    o.emp ? `employeeNumber: ${o.emp}` : "",
    o.description ? `description: ${o.description}` : "",
    o.password ? `userPassword: ${ssha(o.password)}` : "",
    o.logon === null ? "" : `pwdLastSuccess: ${gt(o.logon ?? 3)}`,
    `createTimestamp: ${gt(o.created ?? 400)}`,
    `shadowLastChange: ${epochDays(o.pwdChanged ?? 30)}`,
    o.shadowMax ? `shadowMax: ${o.shadowMax}` : "",
    o.expires !== undefined ? `shadowExpire: ${epochDays(o.expires)}` : "",
    o.locked ? "pwdAccountLockedTime: 000001010000Z" : "",
  ]);
}
function group(cn, members) {
  entry([`dn: cn=${cn},ou=groups,${BASE}`, "objectClass: groupOfNames", `cn: ${cn}`, ...members.map((m) => `member: ${m}`)]);
}
const dn = (uid) => `uid=${uid},ou=people,${BASE}`;

if (mode === "lab") {
  // clean people
  for (const [uid, emp] of [["alice.nguyen", "E1001"], ["bob.smith", "E1002"], ["carol.jones", "E1003"], ["dave.brown", "E1004"], ["erin.white", "E1005"]]) person(uid, { emp });
  person("auditor", { emp: "E1099", password: auditorPw });
  person("new.hire", { emp: "E1021", logon: null, created: 2 });
  person("adm-alice", { emp: "E1001", mail: null });
  // conditions
  person("stale.tom", { emp: "E2001", logon: 200 });
  person("neverused.vera", { emp: "E2003", logon: null, created: 120 });
  person("expired.victor", { emp: "E2004", expires: 10 });
  person("pne.wendy", { emp: "E2005", shadowMax: 99999 });
  person("frontdesk", { mail: null });
  person("locked.lisa", { emp: "E2009", locked: true });
  person("stale.admin", { emp: "E2010", logon: 300 });
  person("doc.smith", { emp: "E2011" });
  person("quinn.left", { emp: "E9999" });
  group("helpdesk", [dn("stale.admin")]);
  group("admins", [dn("adm-alice"), dn("doc.smith"), dn("locked.lisa"), `cn=helpdesk,ou=groups,${BASE}`]);
  group("nurses", [dn("carol.jones"), dn("dave.brown")]);
} else if (mode === "bench") {
  const n = Number(a);
  person("auditor", { emp: "E0", password: auditorPw });
  const members = [];
  for (let i = 0; i < n; i++) {
    const uid = `user${String(i).padStart(6, "0")}.bench`;
    // a spread of conditions so the rules have work to do
    person(uid, { emp: `B${i}`, logon: i % 10 === 0 ? 200 : (i % 60) + 1, created: 400, expires: i % 97 === 0 ? 5 : undefined, shadowMax: i % 53 === 0 ? 99999 : undefined });
    if (i % 2000 === 0) members.push(dn(uid));
  }
  group("admins", members);
} else {
  console.error("usage: gen-openldap-ldif.mjs lab PWFILE | bench N PWFILE");
  process.exit(2);
}
process.stdout.write(out.join("\n"));
