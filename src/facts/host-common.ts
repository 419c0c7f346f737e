import { Type } from "@sinclair/typebox";
import { Known, Str, Num, Bool, StrList, Nullable } from "./unknown.js";

/**
 * Host fact shapes more than one platform's probe fills: `os` (every host), the network
 * interfaces, and the accounts and firewall sections Linux and macOS share. Each platform's own
 * sections keep their schema in their probe section module (src/probes/<platform>/*.ts).
 */

export const Os = Type.Object({
  family: Type.Union([Type.Literal("linux"), Type.Literal("macos"), Type.Literal("windows"), Type.Literal("unknown")]),
  /** Distribution name (os-release NAME, e.g. "Debian GNU/Linux"; "macOS"; "Microsoft Windows …"). */
  name: Str,
  /** Release (os-release VERSION_ID, e.g. "12", "22.04", "9.4"); "" when not known. */
  version: Str,
  /** Machine-readable distribution id (os-release ID: debian, ubuntu, rhel, rocky, almalinux…). */
  id: Str,
  /** Kernel release (`uname -r`). */
  kernel: Str,
  hostname: Str,
  /** `uname -m` (x86_64, aarch64…). */
  arch: Str,
  /** End of vendor support passed, per the built-in table; null when the release is not in it. */
  endOfLife: Known(Nullable(Bool)),
  /** The end-of-support date (ISO day) from the built-in table; null when the release is not in it. */
  endOfLifeDate: Type.Optional(Known(Nullable(Str))),
});

export const NetworkInterface = Type.Object({
  name: Str,
  ipv4: StrList,
  ipv6: StrList,
  mac: Nullable(Str),
});

export const Account = Type.Object({
  name: Str,
  uid: Num,
  gid: Num,
  gecos: Str,
  home: Str,
  shell: Str,
  /** Shell is a real login shell (not nologin, false, sync, halt, shutdown). */
  interactive: Bool,
  /** From /etc/shadow: set, empty, locked (! or *), or unknown when shadow is unreadable. */
  password: Known(Type.Union([Type.Literal("set"), Type.Literal("empty"), Type.Literal("locked")])),
  /** ISO date of the last password change (shadow field 3); null when empty; 0 (must change) gives 1970-01-01. */
  passwordChanged: Known(Nullable(Str)),
  /** ISO date the account expires (shadow field 8); null when it never expires. */
  expires: Known(Nullable(Str)),
  /** ISO time of the last login (lastlog/wtmp); null when never logged in. */
  lastLogin: Known(Nullable(Str)),
  /** Supplementary groups (from the group file) plus the primary group's name. */
  groups: StrList,
});

export const Accounts = Type.Object({
  users: Known(Type.Array(Account)),
  /**
   * Users with full administrative rights: uid 0, members of sudo/wheel/admin, users (and members of
   * groups) granted ALL in sudoers. Unknown when sudoers cannot be read (needs root).
   */
  privileged: Known(StrList),
  /** Members of the sudo, wheel and admin groups (readable without root). */
  adminGroupMembers: Known(StrList),
  /** `useradd -D` INACTIVE days; -1 = never. */
  defaultInactiveDays: Known(Nullable(Num)),
});

export const Firewall = Type.Object({
  /** nftables, iptables, ufw, firewalld, or null when none is active. */
  backend: Known(Nullable(Str)),
  active: Known(Bool),
  /** Filtering rules loaded: nft rule lines in filter chains, or `iptables -S` -A lines (ACCEPT-all defaults do not count). */
  ruleCount: Known(Num),
  /** Policy of the input hook/INPUT chain (accept, drop); null when there is none. */
  defaultInputPolicy: Known(Nullable(Str)),
});
