import type { Static } from "@sinclair/typebox";
import { Accounts } from "../../facts/host-common.js";
import { isUnknown, unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import { parseDsclList, parseGroupMembership } from "./parsers.js";

export function parseAccounts(probe: ProbeOutput): Static<typeof Accounts> {
  const list = (section: string, what: string) => {
    const t = probe.text(section, what);
    return typeof t === "string" ? parseDsclList(t) : t;
  };
  const uids = list("dscl-uid", "dscl . -list /Users UniqueID");
  const gids = list("dscl-gid", "dscl . -list /Users PrimaryGroupID");
  const shells = list("dscl-shell", "dscl . -list /Users UserShell");
  const homes = list("dscl-home", "dscl . -list /Users NFSHomeDirectory");
  const adminText = probe.text("dscl-admin", "dscl . -read /Groups/admin GroupMembership");
  const admins = typeof adminText === "string" ? (parseGroupMembership(adminText) ?? unknown("admin group membership not understood")) : adminText;
  const notRead = unknown("macOS keeps password data in the directory service; not read by the probe");
  let users: Static<typeof Accounts>["users"];
  if (isUnknown(uids)) users = uids;
  else {
    users = [];
    for (const [name, uidText] of uids) {
      if (!/^-?\d+$/.test(uidText)) continue;
      const shell = isUnknown(shells) ? "" : (shells.get(name) ?? "");
      const gid = isUnknown(gids) ? NaN : Number(gids.get(name));
      users.push({
        name,
        uid: Number(uidText),
        gid: Number.isFinite(gid) ? gid : -1,
        gecos: "",
        home: isUnknown(homes) ? "" : (homes.get(name) ?? ""),
        shell,
        interactive: shell !== "" && !/(\/false|nologin|uucico)$/.test(shell),
        password: notRead,
        passwordChanged: notRead,
        expires: unknown("account expiry is not read on macOS"),
        lastLogin: unknown("last login is not read on macOS"),
        groups: !isUnknown(admins) && admins.includes(name) ? ["admin"] : [],
      });
    }
  }
  const privileged = isUnknown(admins)
    ? admins
    : [...new Set([...(Array.isArray(users) ? users.filter((u) => u.uid === 0).map((u) => u.name) : []), ...admins])];
  return { users, privileged, adminGroupMembers: admins, defaultInactiveDays: unknown("macOS has no useradd defaults") };
}

/** The `accounts` probe section (macOS): accounts.sh beside this module (the Linux shape, src/facts/host-common.ts). */
export const accountsSection = defineSection({
  key: "accounts",
  schema: Accounts,
  source: "dscl . -list /Users UniqueID|PrimaryGroupID|UserShell|NFSHomeDirectory; dscl . -read /Groups/admin",
  script: new URL("./accounts.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseAccounts(probe),
  doc: {
    heading: "`dscl . -list /Users UniqueID|PrimaryGroupID|UserShell|NFSHomeDirectory`, `dscl . -read /Groups/admin GroupMembership`",
    body: "The Linux shape. `users[]` from the directory service (password, expiry and last login are unknown: not read on macOS); `privileged` and `adminGroupMembers` from the admin group (plus uid 0).",
  },
});
