/**
 * Per-target settings from the inventory (host settings in src/inventory/schema.ts: defaults →
 * group → host), resolved by src/inventory/load.ts: paths made absolute, `timeout` seconds turned
 * into milliseconds. They win over the command-line flags for that target. The one shape from the
 * inventory to the collectors and the pipeline.
 */
export interface TargetOptions {
  /** `identity:` private key file(s). */
  identityFiles?: string[];
  /** `knownHosts:` */
  knownHostsFile?: string;
  acceptNewHostKeys?: boolean;
  /** `jump: [user@]host[:port]` */
  jump?: string;
  sudo?: boolean;
  /** `timeout:` this target's deadline, in place of `--timeout`. */
  timeoutMs?: number;
  /** `port:` from a host entry (the target URI's own port wins). */
  port?: number;
}
