import { Type } from "@sinclair/typebox";
import { Known } from "./unknown.js";

/**
 * Host facts gathered by the POSIX probe (src/probes/linux.sh) on Linux, locally or over SSH.
 * Each property is one probe section; see docs/facts.md for what each field means.
 */

const Str = Type.String();
const Num = Type.Number();
const Bool = Type.Boolean();
const StrList = Type.Array(Type.String());
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const BlockDevice = Type.Object({
  name: Str,
  path: Str,
  type: Str, // disk, part, crypt, lvm, loop, rom, raid1…
  fstype: Nullable(Str),
  mountpoints: StrList,
  /** Parent device name, or null for a top-level disk. */
  parent: Nullable(Str),
  size: Nullable(Num),
});

export const Filesystem = Type.Object({
  mountpoint: Str,
  source: Str,
  fstype: Str,
  /** Pseudo and virtual filesystems (proc, tmpfs, overlay…) hold no data at rest of their own. */
  pseudo: Bool,
  /** Device chain from the mounted device up to the disk, e.g. ["vg-root (lvm)", "cryptroot (crypt)", "sda2 (part)", "sda (disk)"]. */
  chain: StrList,
  /** A dm-crypt/LUKS layer sits in the chain. Unknown when the source is not a block device lsblk knows. */
  encrypted: Known(Bool),
});

export const Swap = Type.Object({
  source: Str,
  type: Str, // partition, file
  chain: StrList,
  encrypted: Known(Bool),
});

export const Storage = Type.Object({
  blockDevices: Known(Type.Array(BlockDevice)),
  filesystems: Known(Type.Array(Filesystem)),
  swap: Known(Type.Array(Swap)),
  crypttab: Known(Type.Array(Type.Object({ name: Str, device: Str, options: StrList }))),
});

export const ShellTimeout = Type.Object({
  /** Smallest TMOUT assigned in the system-wide shell start-up files, in seconds; null when none. */
  tmout: Known(Nullable(Num)),
  /** TMOUT is made readonly (so a user cannot unset it). */
  readonly: Known(Bool),
  /** Files that set TMOUT, with the value each sets. */
  settings: Known(Type.Array(Type.Object({ file: Str, value: Num, readonly: Bool }))),
});

export const Sshd = Type.Object({
  installed: Bool,
  running: Known(Bool),
  /** `sshd -T` (effective, as root) or `config` (files read with their Include). */
  method: Type.Union([Type.Literal("sshd -T"), Type.Literal("config")]),
  version: Known(Nullable(Str)),
  permitRootLogin: Known(Str),
  passwordAuthentication: Known(Bool),
  kbdInteractiveAuthentication: Known(Bool),
  permitEmptyPasswords: Known(Bool),
  pubkeyAuthentication: Known(Bool),
  authenticationMethods: Known(Str),
  usePam: Known(Bool),
  clientAliveInterval: Known(Num),
  clientAliveCountMax: Known(Num),
  /**
   * ChannelTimeout (OpenSSH 9.2+) session limit in seconds: the real idle logout for interactive
   * sessions. null when not set (no limit).
   */
  channelTimeoutSession: Known(Nullable(Num)),
  /** UnusedConnectionTimeout (9.2+) in seconds; null when not set. */
  unusedConnectionTimeout: Known(Nullable(Num)),
  ciphers: Known(StrList),
  macs: Known(StrList),
  kexAlgorithms: Known(StrList),
  x11Forwarding: Known(Bool),
  maxAuthTries: Known(Num),
  logLevel: Known(Str),
});

export const Gnome = Type.Object({
  installed: Bool,
  /** org.gnome.desktop.session idle-delay in seconds (0 = never). */
  idleDelay: Known(Nullable(Num)),
  lockEnabled: Known(Nullable(Bool)),
  lockDelay: Known(Nullable(Num)),
  /** Keys locked in /etc/dconf/db/*.d/locks so users cannot change them. */
  lockedKeys: Known(StrList),
});

export const Account = Type.Object({
  name: Str,
  uid: Num,
  gid: Num,
  gecos: Str,
  home: Str,
  shell: Str,
  /** Shell is a real login shell (not nologin/false). */
  interactive: Bool,
  /** From /etc/shadow: set, empty, locked (! or *), or unknown when shadow is unreadable. */
  password: Known(Type.Union([Type.Literal("set"), Type.Literal("empty"), Type.Literal("locked")])),
  /** ISO date of the last password change (shadow field 3); null when 0 or empty. */
  passwordChanged: Known(Nullable(Str)),
  /** ISO time of the last login (lastlog/wtmp); null when never logged in. */
  lastLogin: Known(Nullable(Str)),
  groups: StrList,
});

export const Accounts = Type.Object({
  users: Known(Type.Array(Account)),
  /** Members of sudo, wheel and admin groups plus users granted ALL in sudoers. */
  privileged: Known(StrList),
  /** `useradd -D` INACTIVE days; -1 = never. */
  defaultInactiveDays: Known(Nullable(Num)),
});

export const Audit = Type.Object({
  auditd: Type.Object({
    installed: Bool,
    active: Known(Bool),
    /** `auditctl -s` enabled flag (1 or 2 = on). */
    enabled: Known(Bool),
    rules: Known(StrList),
    /** Which kinds of event the loaded rules watch. */
    watches: Known(
      Type.Object({ logins: Bool, sudo: Bool, identity: Bool, time: Bool }),
    ),
  }),
  journald: Type.Object({
    /** Storage= as configured: persistent, volatile, auto, none. */
    storage: Known(Str),
    /** Logs survive reboot: Storage=persistent, or auto with /var/log/journal present. */
    persistent: Known(Bool),
  }),
  /** Remote log destinations (rsyslog @@host/omfwd, syslog-ng, journal-upload). */
  forwarding: Known(StrList),
});

export const TimeSync = Type.Object({
  synchronized: Known(Bool),
  /** chrony, ntpd, systemd-timesyncd, openntpd… null when none is active. */
  service: Known(Nullable(Str)),
});

export const Firewall = Type.Object({
  /** nftables, iptables, ufw, firewalld, or null when none is active. */
  backend: Known(Nullable(Str)),
  active: Known(Bool),
  /** Filtering rules loaded (ACCEPT-all defaults do not count). */
  ruleCount: Known(Num),
  defaultInputPolicy: Known(Nullable(Str)),
});

export const Updates = Type.Object({
  manager: Known(Nullable(Str)),
  pendingSecurity: Known(Num),
  pendingTotal: Known(Num),
  packages: Known(StrList),
});

export const Pam = Type.Object({
  faillock: Type.Object({ enabled: Known(Bool), deny: Known(Nullable(Num)), unlockTime: Known(Nullable(Num)) }),
  pwquality: Type.Object({ enabled: Known(Bool), minlen: Known(Nullable(Num)) }),
  /** MFA PAM modules found in the auth stacks (pam_google_authenticator, pam_oath, pam_u2f, pam_duo…). */
  mfaModules: Known(StrList),
});

export const Integrity = Type.Object({
  aide: Type.Object({
    installed: Bool,
    databaseInitialised: Known(Bool),
    scheduled: Known(Bool),
  }),
  /** apt/dnf signature checking left on. */
  packageSignatures: Known(Bool),
  secureBoot: Known(Nullable(Bool)),
});

export const Os = Type.Object({
  family: Type.Union([Type.Literal("linux"), Type.Literal("macos"), Type.Literal("windows"), Type.Literal("unknown")]),
  name: Str,
  version: Str,
  id: Str,
  kernel: Str,
  hostname: Str,
  arch: Str,
  /** End of vendor support passed, per the built-in table; null when the release is not in it. */
  endOfLife: Known(Nullable(Bool)),
});

export const NetworkInterface = Type.Object({
  name: Str,
  ipv4: StrList,
  ipv6: StrList,
  mac: Nullable(Str),
});

/** Linux host sections (besides `os`, shared by every host). */
export const linuxSections = {
  storage: Storage,
  shell: ShellTimeout,
  sshd: Sshd,
  gnome: Gnome,
  accounts: Accounts,
  audit: Audit,
  time: TimeSync,
  firewall: Firewall,
  updates: Updates,
  pam: Pam,
  integrity: Integrity,
};
