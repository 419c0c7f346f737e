import { Type } from "@sinclair/typebox";
import { Known, Str, Num, Bool, StrList, Nullable } from "./unknown.js";

/**
 * Host facts gathered by the POSIX probe (src/probes/posix/linux.sh) on Linux, locally or over SSH,
 * parsed by src/probes/linux/. Each property is one facts section; docs/facts.md says which command
 * or file each comes from. Facts are raw observations: nothing here is a verdict.
 */


/** One node of `lsblk -J`, flattened (a device with several parents appears once per parent). */
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
  /**
   * Pseudo and virtual filesystems (proc, sysfs, tmpfs, cgroup, squashfs images…) hold no data at rest
   * of their own. overlay is not pseudo: its chain and encryption are those of the filesystem holding
   * its upperdir (unknown inside a container, where that filesystem is not visible).
   */
  pseudo: Bool,
  /** Device chain from the mounted device up to the disk, e.g. ["vg-root (lvm)", "cryptroot (crypt)", "sda2 (part)", "sda (disk)"]; [] for pseudo filesystems. */
  chain: StrList,
  /**
   * A dm-crypt/LUKS layer sits in the chain (in every chain, for a device with several parents); false
   * for pseudo filesystems. Unknown for network filesystems and sources lsblk does not list.
   */
  encrypted: Known(Bool),
  /**
   * Every mount point of this backing device, in mount order (bind mounts such as a container's
   * /etc/hosts, /etc/passwd included); listed on the device's first mount only.
   */
  mountpoints: Type.Optional(StrList),
  /** A later mount of a device already listed (a bind mount or a repeat): judged with the first one. */
  duplicate: Type.Optional(Bool),
  /** `DEVICE at MOUNTPOINT, MOUNTPOINT…` (or the mount point alone for filesystems without a device). */
  label: Type.Optional(Str),
});

/** One active swap area from /proc/swaps. */
export const Swap = Type.Object({
  source: Str,
  type: Str, // partition, file
  chain: StrList,
  /** A dm-crypt layer sits in the chain (a swap file: the chain of the filesystem holding it). */
  encrypted: Known(Bool),
  /** Compressed RAM swap (zram): nothing reaches a disk. */
  inMemory: Bool,
});

export const Storage = Type.Object({
  blockDevices: Known(Type.Array(BlockDevice)),
  filesystems: Known(Type.Array(Filesystem)),
  swap: Known(Type.Array(Swap)),
  /** /etc/crypttab entries; [] when the file is absent. */
  crypttab: Known(Type.Array(Type.Object({ name: Str, device: Str, options: StrList }))),
});

export const ShellTimeout = Type.Object({
  /** Smallest TMOUT assigned in the system-wide shell start-up files, in seconds; null when none. */
  tmout: Known(Nullable(Num)),
  /** TMOUT is made readonly (`readonly`, `declare -r`, `typeset -r`) in one of those files. */
  readonly: Known(Bool),
  /** Files that set TMOUT, with the value each sets (numeric assignments only). */
  settings: Known(Type.Array(Type.Object({ file: Str, value: Num, readonly: Bool }))),
});

/**
 * OpenSSH server settings. With `sshd -T` these are the effective global values; from the config files
 * (non-root), the first value outside a Match block wins and OpenSSH's documented default fills in
 * settings that are not set (algorithm lists stay unknown: their default depends on the build).
 * Numbers are raw: since OpenSSH 8.2 `ClientAliveCountMax 0` disables termination, and
 * ClientAlive* only detect dead clients — an idle but connected user is only logged out by
 * ChannelTimeout/UnusedConnectionTimeout (9.2+) or a shell TMOUT.
 */
export const Sshd = Type.Object({
  /** The sshd binary is present. */
  installed: Bool,
  /** An sshd process runs (or systemd reports ssh/sshd active). */
  running: Known(Bool),
  /** `sshd -T` (effective, as root) or `config` (files read with their Include). */
  method: Type.Union([Type.Literal("sshd -T"), Type.Literal("config")]),
  /** e.g. `OpenSSH_9.2p1 Debian-2+deb12u3`. */
  version: Known(Nullable(Str)),
  /** yes, prohibit-password (the old name without-password is reported as prohibit-password), forced-commands-only, no. */
  permitRootLogin: Known(Str),
  passwordAuthentication: Known(Bool),
  kbdInteractiveAuthentication: Known(Bool),
  permitEmptyPasswords: Known(Bool),
  pubkeyAuthentication: Known(Bool),
  /** AuthenticationMethods as written; `any` when not set. */
  authenticationMethods: Known(Str),
  usePam: Known(Bool),
  clientAliveInterval: Known(Num),
  clientAliveCountMax: Known(Num),
  /**
   * ChannelTimeout (OpenSSH 9.2+) in seconds for interactive sessions: the smallest interval among the
   * `session`, `session:*`, `*` and `global` entries. The real idle logout for an interactive
   * session. null when not set or `none` (no limit).
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

/**
 * GNOME screen lock from the system dconf databases (/etc/dconf/db/*.d keyfiles). null = not set
 * system-wide, so GNOME's default applies (idle-delay 300, lock-enabled true, lock-delay 0) and each
 * user may change it.
 */
export const Gnome = Type.Object({
  /** gnome-shell is present. */
  installed: Bool,
  /** org.gnome.desktop.session idle-delay in seconds (0 = never). */
  idleDelay: Known(Nullable(Num)),
  /** org.gnome.desktop.screensaver lock-enabled. */
  lockEnabled: Known(Nullable(Bool)),
  /** org.gnome.desktop.screensaver lock-delay in seconds. */
  lockDelay: Known(Nullable(Num)),
  /** Keys locked in /etc/dconf/db/*.d/locks so users cannot change them, e.g. `/org/gnome/desktop/session/idle-delay`. */
  lockedKeys: Known(StrList),
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

export const Audit = Type.Object({
  auditd: Type.Object({
    installed: Bool,
    active: Known(Bool),
    /** `auditctl -s` enabled flag (1 or 2 = on). */
    enabled: Known(Bool),
    rules: Known(StrList),
    /**
     * Which kinds of event the loaded rules watch: logins (lastlog/faillog/wtmp/btmp/faillock),
     * sudo (sudoers files or the sudo binary), identity (passwd/group/shadow/gshadow/opasswd),
     * time (adjtimex/settimeofday/clock_settime/localtime).
     */
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
  /**
   * Remote log destinations of running log daemons, as `<daemon> <protocol>://<host>[:port]`, e.g.
   * `rsyslog tcp://logs.example:514`, `syslog-ng udp://10.0.0.5`, `journal-upload https://…`.
   */
  forwarding: Known(StrList),
});

export const TimeSync = Type.Object({
  /** timedatectl NTPSynchronized, else chrony's leap status. */
  synchronized: Known(Bool),
  /** chrony, ntpd, systemd-timesyncd, openntpd… null when none is active. */
  service: Known(Nullable(Str)),
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

/** Pending updates as the package manager's local metadata sees them (nothing is downloaded). */
export const Updates = Type.Object({
  /** apt or dnf; null when neither is present. */
  manager: Known(Nullable(Str)),
  pendingSecurity: Known(Num),
  pendingTotal: Known(Num),
  /** Names of the packages with a pending security update. */
  packages: Known(StrList),
  /** ISO time the package metadata was last refreshed (apt: newest lists/*Release); null when not known. */
  metadataUpdated: Known(Nullable(Str)),
});

/**
 * PAM stacks (common-auth/common-password on Debian, system-auth/password-auth on RHEL, sshd, login).
 * deny/unlockTime/minlen: module arguments win over faillock.conf/pwquality.conf; null = not set
 * (module defaults: faillock deny 3, unlock_time 600; pwquality minlen 8).
 */
export const Pam = Type.Object({
  /** pam_faillock (or pam_tally2) in an auth stack. */
  faillock: Type.Object({ enabled: Known(Bool), deny: Known(Nullable(Num)), unlockTime: Known(Nullable(Num)) }),
  /** pam_pwquality (or pam_cracklib) in a password stack. */
  pwquality: Type.Object({ enabled: Known(Bool), minlen: Known(Nullable(Num)) }),
  /** MFA PAM modules found in the auth stacks (pam_google_authenticator, pam_oath, pam_u2f, pam_duo…). */
  mfaModules: Known(StrList),
});

export const Integrity = Type.Object({
  aide: Type.Object({
    installed: Bool,
    /** The AIDE database file exists (path from aide.conf, else the distribution default). */
    databaseInitialised: Known(Bool),
    /** A cron file mentions aide, or a (daily)aidecheck timer is enabled. */
    scheduled: Known(Bool),
  }),
  /** apt/dnf signature checking left on: no AllowUnauthenticated, trusted=yes, gpgcheck=0 anywhere. */
  packageSignatures: Known(Bool),
  /** UEFI Secure Boot state; null on a machine without EFI (BIOS boot, most containers). */
  secureBoot: Known(Nullable(Bool)),
});

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
