import { readFile } from "node:fs/promises";
import { homedir, userInfo } from "node:os";
import { join } from "node:path";
import SSHConfig from "ssh-config";
import { isValidHost } from "../../core/targets.js";

/**
 * The settings of the user's ~/.ssh/config (ssh_config(5)) hipaa-scan honours: HostName, User,
 * Port, IdentityFile and ProxyJump. Values given on the command line or in the inventory win, as
 * with OpenSSH. `Match exec` is never evaluated (the `ssh-config` library would run a shell).
 */
export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
}

export interface JumpHop {
  host: string;
  port: number;
  user?: string;
}

const cache = new Map<string, Promise<SSHConfig | null>>();

/** Parses a config file once per process; a missing file is no config. */
export function loadSshConfig(file = join(homedir(), ".ssh", "config")): Promise<SSHConfig | null> {
  let p = cache.get(file);
  if (!p) {
    p = readFile(file, "utf8").then(
      (text) => SSHConfig.parse(text),
      (err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return null;
        throw err;
      },
    );
    cache.set(file, p);
  }
  return p;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Looks `host` up the way `ssh -G host` would for the supported keywords. */
export function resolveHostConfig(config: SSHConfig | null, host: string, user?: string): SshHostConfig {
  if (!config) return { identityFiles: [] };
  const c = config.compute({ Host: host, ...(user ? { User: user } : {}) }, { ignoreCase: true, matchExec: false });
  const port = first(c.port);
  const idf = c.identityfile;
  const proxyJump = first(c.proxyjump);
  return {
    hostName: first(c.hostname),
    user: first(c.user),
    port: port !== undefined && /^\d{1,5}$/.test(port) ? Number(port) : undefined,
    identityFiles: idf === undefined ? [] : Array.isArray(idf) ? idf : [idf],
    proxyJump: proxyJump && proxyJump.toLowerCase() !== "none" ? proxyJump : undefined,
  };
}

let localUser: string | undefined;
/** This process's user name (OpenSSH's `%u` and the default login), read once: a fleet scan asked the password database per host. */
export function localUserName(): string {
  return (localUser ??= userInfo().username);
}

/** Expands `~` and the ssh_config tokens %d %u %h %r %% in a path. */
export function expandPath(p: string, ctx: { host: string; user?: string }): string {
  const home = homedir();
  let out = p.replace(/%([%duhr])/g, (_, t: string) => {
    switch (t) {
      case "%":
        return "%";
      case "d":
        return home;
      case "u":
        return localUserName();
      case "h":
        return ctx.host;
      default:
        return ctx.user ?? localUserName();
    }
  });
  if (out === "~" || out.startsWith("~/")) out = join(home, out.slice(1));
  return out;
}

/**
 * Parses a `--jump` / ProxyJump value: `[user@]host[:port]`, comma-separated for several hops,
 * `ssh://` form accepted. Host names are validated like targets.
 */
export function parseJump(spec: string): JumpHop[] {
  return spec.split(",").map((hop) => {
    const raw = hop.trim().replace(/^ssh:\/\//, "");
    const m = /^(?:([^@\s]+)@)?(\[[0-9a-fA-F:.]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(raw);
    if (!m) throw new Error(`bad jump host "${raw.slice(0, 100)}": expected [user@]host[:port]`);
    const host = m[2]!.replace(/^\[|\]$/g, "");
    if (!isValidHost(host)) throw new Error(`bad jump host "${raw.slice(0, 100)}"`);
    const port = m[3] ? Number(m[3]) : 22;
    if (port < 1 || port > 65535) throw new Error(`bad jump host port in "${raw.slice(0, 100)}"`);
    return { host, port, ...(m[1] ? { user: m[1] } : {}) };
  });
}
