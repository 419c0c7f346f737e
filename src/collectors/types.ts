import type { Scheme, TargetFacts, TargetSpec } from "../core/model.js";

/** Options every collector may read. Set from flags, the inventory and the environment by the CLI. */
export interface CollectOptions {
  /** Per-target deadline in milliseconds for hosts and directories (`--timeout`, default 120 s). */
  timeoutMs: number;
  /** Per-target deadline for `--network` scans (`--timeout`, default 1800 s: nmap on a /24 takes minutes); timeoutMs when unset. */
  networkTimeoutMs?: number;
  /** Private key files (`--identity`). */
  identityFiles: string[];
  /** known_hosts file (`--known-hosts`); default the user's. */
  knownHostsFile?: string;
  acceptNewHostKeys: boolean;
  /** `--jump [user@]host` */
  jump?: string;
  sudo: boolean;
  /** LDAP bind DN / UPN / DOMAIN\user (`--bind-dn`). */
  bindDN?: string;
  starttls: boolean;
  caFile?: string;
  insecureTls: boolean;
  /** `--allow-cleartext-bind`: send an LDAP bind password on ldap:// without StartTLS (noted in the report). */
  allowCleartextBind?: boolean;
  /** `--from NAME`: the vantage point a segmentation test runs from. */
  vantage?: string;
  networkProfile: "quick" | "standard" | "thorough";
  /** `--ssh-config FILE`: the ssh_config to read (default ~/.ssh/config). */
  sshConfigFile?: string;
  /** `--winrm-auth`: `auto` (Negotiate/NTLM, Basic over HTTPS when that is all the server offers), `ntlm` or `basic`. */
  winrmAuth?: WinRmAuth;
  /** `--roster FILE`: CSV of current staff, for the directory collector. */
  rosterFile?: string;
  /** `--activity-window` (or `--param window_days`): days of login records the host probes read; 30 when not given. */
  activityWindowDays?: number;
  /** `--yes-large-network`: allow networks larger than a /16. */
  allowLargeNetwork?: boolean;
  /** `--inventory`: its hosts, so a network scan can tell listed assets (and their ePHI tags) from strangers. */
  networkInventory?: NetworkInventoryEntry[];
  /** The scanner's own addresses and route gateways (read by the CLI): the network, not devices on it. */
  scannerAddresses?: string[];
  scannerGateways?: string[];
}

export const WINRM_AUTH = ["auto", "ntlm", "basic"] as const;
export type WinRmAuth = (typeof WINRM_AUTH)[number];

/** One inventory host, as the network collector matches scan results against it. */
export interface NetworkInventoryEntry {
  address: string;
  name?: string;
  tags?: Record<string, string | boolean>;
}

/**
 * Secrets are asked for when needed, never passed around as plain fields: the provider reads
 * `--password-env VAR` or prompts on a TTY. Implementations must never log or store them.
 */
export interface SecretProvider {
  /** The password for `purpose` (e.g. `ssh password for alice@host`); undefined when none is configured. */
  password(purpose: string): Promise<string | undefined>;
}

export type ProgressEvent =
  | { type: "target-start"; target: string }
  | { type: "target-step"; target: string; step: string; percent?: number }
  | { type: "target-done"; target: string; status: TargetFacts["status"] };

export interface Logger {
  verbose(message: string): void;
  warn(message: string): void;
}

export interface CollectContext {
  options: CollectOptions;
  secrets: SecretProvider;
  /** Aborted at the target's deadline or on Ctrl-C; collectors must stop and return what they have. */
  signal: AbortSignal;
  progress(event: ProgressEvent): void;
  log: Logger;
  /** Collection time used for every target of this run (ISO). */
  now(): Date;
}

/**
 * A collector gathers every fact one kind of target offers, in one pass, and never judges. It
 * returns facts even on failure: a target it could not reach comes back with a non-ok status.
 */
export interface Collector {
  readonly name: string;
  collect(target: TargetSpec, ctx: CollectContext): Promise<TargetFacts>;
}

export type CollectorRegistry = Record<Scheme, () => Promise<Collector>>;
