import { Type } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num, Str, StrList, unknown } from "../../facts/unknown.js";
import { normaliseLocalUsers } from "./normalise.js";
import { defineWindowsSection } from "./section.js";

export const LocalUser = Type.Object({
  name: Str,
  enabled: Known(Bool),
  sid: Nullable(Str),
  /** Relative id: 500 is the built-in Administrator, 501 the built-in Guest, whatever their names. */
  rid: Nullable(Num),
  description: Str,
  /** ISO time of the last logon; null when never. */
  lastLogon: Known(Nullable(Str)),
  builtinAdministrator: Bool,
  builtinGuest: Bool,
});

export const LocalAccounts = Type.Object({
  /** Get-LocalUser, Win32_UserAccount or net user. */
  source: Str,
  users: Type.Array(LocalUser),
  /** Members of the local Administrators group (S-1-5-32-544), as DOMAIN\name. */
  administrators: Known(StrList),
});

/** The `localAccounts` probe section (Windows): local-accounts.ps1 beside this module (Add-Section 'localUsers', Add-Section 'administrators'). */
export const localAccountsSection = defineWindowsSection({
  key: "localAccounts",
  schema: LocalAccounts,
  source: "Get-LocalUser (or Win32_UserAccount, net user); Get-LocalGroupMember -SID S-1-5-32-544",
  script: new URL("./local-accounts.ps1", import.meta.url),
  psSection: "localUsers", needs: ["administrators"],
  parse: ({ data, extra }) => normaliseLocalUsers(data, extra.administrators ?? unknown("probe section administrators missing")),
  doc: { heading: "Get-LocalUser (or Win32_UserAccount, net user); Get-LocalGroupMember -SID S-1-5-32-544", body: "" },
});
