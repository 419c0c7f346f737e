import { accessSync, constants, existsSync } from "node:fs";

/**
 * What each lab needs from the machine, and the Debian package that brings it. Each lab file calls
 * `requireLab(name)` first, so a machine that lacks something fails at once with one line naming the
 * package, not with a timeout or a suite of skipped tests. `.ci/apt-packages.txt` must list every
 * package named here (test/unit/docs/lab-prereqs.test.ts checks it).
 */
export interface Prerequisite {
  /** An executable, or a data file, that must exist. */
  path: string;
  debian: string;
  executable?: boolean;
}

const exe = (path: string, debian: string): Prerequisite => ({ path, debian, executable: true });
const file = (path: string, debian: string): Prerequisite => ({ path, debian });

const COMMON = [exe("/usr/sbin/ip", "iproute2"), exe("/usr/bin/unshare", "util-linux"), exe("/usr/bin/setsid", "util-linux"), exe("/usr/bin/openssl", "openssl")];

export const LAB_PREREQUISITES = {
  ssh: [...COMMON, exe("/usr/sbin/sshd", "openssh-server"), exe("/usr/bin/ssh-keygen", "openssh-client"), exe("/usr/sbin/nft", "nftables"), exe("/usr/bin/sudo", "sudo")],
  samba: [
    ...COMMON,
    exe("/usr/sbin/samba", "samba"),
    exe("/usr/bin/samba-tool", "samba"),
    exe("/usr/bin/ldbmodify", "ldb-tools"),
    exe("/usr/bin/python3", "python3"),
    file("/usr/share/samba/setup/ad-schema/AD_DS_Attributes__Windows_Server_2012_R2.ldf", "samba-ad-provision"),
    file("/usr/lib/x86_64-linux-gnu/samba/ldb/samba_dsdb.so", "samba-dsdb-modules"),
    // provision sets the sysvol ACLs through this VFS module (a Recommends of samba).
    file("/usr/lib/x86_64-linux-gnu/samba/vfs/acl_xattr.so", "samba-vfs-modules"),
  ],
  openldap: [...COMMON, exe("/usr/sbin/slapd", "slapd"), exe("/usr/sbin/slapadd", "slapd"), exe("/usr/bin/ldapsearch", "ldap-utils")],
  network: [
    ...COMMON,
    exe("/usr/bin/nmap", "nmap"),
    exe("/usr/sbin/nft", "nftables"),
    exe("/usr/sbin/sshd", "openssh-server"),
    exe("/usr/sbin/slapd", "slapd"),
    exe("/usr/sbin/smbd", "samba"),
    exe("/usr/sbin/xrdp", "xrdp"),
  ],
  browser: [exe("/usr/bin/chromium", "chromium")],
  winrm: [exe("/usr/bin/python3", "python3"), file("/usr/lib/python3/dist-packages/winrm/__init__.py", "python3-winrm"), file("/usr/lib/python3/dist-packages/ntlm_auth/__init__.py", "python3-ntlm-auth"), exe("/usr/bin/openssl", "openssl")],
  history: [
    ...COMMON,
    exe("/usr/lib/postgresql/15/bin/initdb", "postgresql"),
    exe("/usr/lib/postgresql/15/bin/pg_ctl", "postgresql"),
    exe("/usr/sbin/runuser", "util-linux"),
    exe("/usr/bin/psql", "postgresql"),
    exe("/usr/sbin/rsyslogd", "rsyslog"),
    file("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so", "rsyslog-gnutls"),
    exe("/usr/bin/sqlite3", "sqlite3"),
    exe("/usr/sbin/sshd", "openssh-server"),
  ],
} satisfies Record<string, Prerequisite[]>;

export type LabName = keyof typeof LAB_PREREQUISITES;

/** What is missing for `lab`, one line each: `missing /usr/sbin/slapd: apt-get install slapd`. */
export function missingPrerequisites(lab: LabName, exists: (p: Prerequisite) => boolean = present): string[] {
  return LAB_PREREQUISITES[lab].filter((p) => !exists(p)).map((p) => `missing ${p.path}: apt-get install ${p.debian}`);
}

function present(p: Prerequisite): boolean {
  if (!p.executable) return existsSync(p.path);
  try {
    accessSync(p.path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Throws one line naming every missing package, before the lab starts anything. */
export function requireLab(lab: LabName): void {
  const missing = missingPrerequisites(lab);
  if (missing.length > 0) throw new Error(`the ${lab} lab cannot start on this machine: ${missing.join("; ")} (see .ci/apt-packages.txt)`);
}
