import { InvalidArgumentError, Option } from "commander";
import { WINRM_AUTH } from "../collectors/types.js";
import { formatList } from "../reporters/formats.js";

/**
 * Every option of `scan`, `collect` and `evaluate`, in one table: the commander declarations are
 * built from it and `CliOptions` (what the actions receive) is derived from it, so a flag and its
 * type cannot drift. The key is commander's attribute name for the flag (a test checks it).
 */

type Kind = "flag" | "text" | "list" | "int";
interface OptionDef {
  flags: string;
  help: string;
  kind: Kind;
  choices?: readonly string[];
  default?: string | number;
  /** Help of the entry's `--no-…` form, which sets the same attribute to false (`--history PATH` / `--no-history`). */
  negate?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1.");
  return n;
}

export const CLI_OPTIONS = {
  network: { flags: "--network <cidr>", help: "network to scan with nmap (repeatable)", kind: "list" },
  networkProfile: { flags: "--network-profile <name>", help: "nmap scan profile", kind: "text", choices: ["quick", "standard", "thorough"], default: "standard" },
  yesLargeNetwork: { flags: "--yes-large-network", help: "allow networks larger than a /16", kind: "flag" },
  from: { flags: "--from <name>", help: "vantage point of this scan, for segmentation tests (e.g. guest-wifi)", kind: "text" },
  inventory: { flags: "--inventory <file>", help: "inventory file (YAML): targets, groups, defaults, tags", kind: "text" },
  concurrency: { flags: "--concurrency <n>", help: "targets scanned at once", kind: "int", default: 128 },
  shard: { flags: "--shard <K/N>", help: "scan only shard K of N (stable hash of each target id; merge the N results with merge)", kind: "text" },
  group: { flags: "--group <name>", help: "run group the shards of one run share (default: from N and the target list)", kind: "text" },
  timeout: { flags: "--timeout <sec>", help: "deadline per target, in seconds (default 120; 1800 for --network)", kind: "int" },
  identity: { flags: "--identity <file>", help: "SSH private key file (repeatable)", kind: "list" },
  knownHosts: { flags: "--known-hosts <file>", help: "known_hosts file (default ~/.ssh/known_hosts)", kind: "text" },
  acceptNewHostKeys: { flags: "--accept-new-host-keys", help: "trust and record host keys seen for the first time", kind: "flag" },
  jump: { flags: "--jump <[user@]host>", help: "SSH jump host", kind: "text" },
  sudo: { flags: "--sudo", help: "run the host probe with sudo (sudo -n, or the --password-env password)", kind: "flag" },
  passwordEnv: { flags: "--password-env <var>", help: "read the password from this environment variable (never pass secrets as arguments)", kind: "text" },
  bindDn: { flags: "--bind-dn <dn>", help: "LDAP bind DN, UPN or DOMAIN\\user", kind: "text" },
  starttls: { flags: "--starttls", help: "use StartTLS on ldap://", kind: "flag" },
  caFile: { flags: "--ca-file <file>", help: "CA certificate(s) to trust for LDAPS, WinRM HTTPS and the SIEM's TLS", kind: "text" },
  insecureTls: { flags: "--insecure-tls", help: "do not verify TLS certificates (shown in the report)", kind: "flag" },
  allowCleartextBind: { flags: "--allow-cleartext-bind", help: "send the LDAP bind password on ldap:// without --starttls (shown in the report)", kind: "flag" },
  sshConfig: { flags: "--ssh-config <file>", help: "ssh_config file to read (default ~/.ssh/config)", kind: "text" },
  winrmAuth: { flags: "--winrm-auth <method>", help: "WinRM authentication", kind: "text", choices: WINRM_AUTH, default: "auto" },
  roster: { flags: "--roster <file>", help: "CSV of current staff, to find accounts of people who left", kind: "text" },
  activityWindow: { flags: "--activity-window <days>", help: "days of login records to read and review, e.g. 30d or 6w (default 30d; sets --param window_days)", kind: "text" },
  quiet: { flags: "--quiet", help: "no progress or status lines", kind: "flag" },
  verbose: { flags: "--verbose", help: "more detail: evidence for every finding, debug lines", kind: "flag" },
  color: { flags: "--no-color", help: "no colour (also NO_COLOR)", kind: "flag" },
  format: { flags: "--format <name>", help: `${formatList()} (repeatable; pairs with --output in order)`, kind: "list" },
  output: { flags: "--output <file>", help: "write the report to a file instead of stdout (repeatable)", kind: "list" },
  failOn: { flags: "--fail-on <severity>", help: "lowest severity that fails the gate", kind: "text", choices: ["critical", "high", "medium", "low", "none"], default: "high" },
  rules: { flags: "--rules <path>", help: "extra rule pack directory (repeatable)", kind: "list" },
  param: { flags: "--param <name=value>", help: "override a rule parameter, e.g. idle_limit_seconds=600 (repeatable)", kind: "list" },
  alternatives: { flags: "--alternatives <file>", help: "documented alternative measures for addressable specifications (YAML)", kind: "text" },
  plan: { flags: "--plan <file>", help: "remediation plan (YAML, from `plan init`): show each risk's plan state; overdue items fail the gate", kind: "text" },
  pack: { flags: "--pack <id>", help: "add a built-in opt-in rule pack, e.g. hipaa-nprm-2025 (repeatable)", kind: "list" },
  saveFacts: { flags: "--save-facts <file>", help: "also save the collected facts (evaluate them again later)", kind: "text" },
  history: {
    flags: "--history <path|url>",
    help: "history store: SQLite file or postgres://user@host/db (default $XDG_STATE_HOME/hipaa-scan/history.db, or HIPAA_SCAN_HISTORY)",
    kind: "text",
    negate: "do not record this run",
  },
  baseline: { flags: "--baseline <last|run-id|report.json>", help: "compare with this run (default: the last run of the same targets)", kind: "text" },
  failOnNew: { flags: "--fail-on-new", help: "gate on regressions only: exit 1 only for failing findings the baseline did not have", kind: "flag" },
  signKey: { flags: "--sign-key <file>", help: "Ed25519 private key (PEM) to sign this run's chain entry", kind: "text" },
  siem: { flags: "--siem <url>", help: "send events to syslog+tls://host:6514, syslog+tcp://host:514 or https://… (repeatable)", kind: "list" },
  siemTokenEnv: { flags: "--siem-token-env <var>", help: "environment variable holding the SIEM HTTP token", kind: "text" },
} as const satisfies Record<string, OptionDef>;

export type CliOptionName = keyof typeof CLI_OPTIONS;

type ValueOf<D extends OptionDef> = D extends { choices: readonly (infer C)[] }
  ? C
  : D extends { negate: string }
    ? ValueOf<Omit<D, "negate">> | false
    : D["kind"] extends "flag"
    ? boolean
    : D["kind"] extends "list"
      ? string[]
      : D["kind"] extends "int"
        ? number
        : string;

/** Options commander hands the scan, collect and evaluate actions. `collect -o FILE` gives one `output`. */
export type CliOptions = { [K in Exclude<CliOptionName, "output">]?: ValueOf<(typeof CLI_OPTIONS)[K]> } & { output?: string[] | string };

/** The options of each command, in `--help` order. */
export const SCAN_OPTIONS = [
  "network", "networkProfile", "yesLargeNetwork", "from", "inventory", "concurrency", "shard", "group", "timeout", "identity", "knownHosts",
  "acceptNewHostKeys", "jump", "sshConfig", "sudo", "passwordEnv", "winrmAuth", "bindDn", "starttls", "caFile", "insecureTls", "allowCleartextBind", "roster", "activityWindow", "quiet", "verbose", "color",
] as const satisfies readonly CliOptionName[];
export const REPORT_OPTIONS = ["format", "output", "failOn", "rules", "param", "alternatives", "plan", "pack"] as const satisfies readonly CliOptionName[];
/** The history, drift and SIEM flags of `scan` and `evaluate` (src/cli/history-run.ts); `--ca-file` also serves the SIEM's TLS. */
export const HISTORY_OPTIONS = ["history", "baseline", "failOnNew", "signKey", "siem", "siemTokenEnv"] as const satisfies readonly CliOptionName[];

/**
 * A commander Option for a table entry; `help` replaces the table's text where a command says it
 * its own way. `optionalValue`: the value may be left out (`merge --history` alone means the default store).
 */
export function cliOption(name: CliOptionName, help?: string, { optionalValue = false } = {}): Option {
  const def: OptionDef = CLI_OPTIONS[name];
  const opt = new Option(optionalValue ? def.flags.replace(/<([^>]*)>$/, "[$1]") : def.flags, help ?? def.help);
  if (def.choices) opt.choices(def.choices);
  if (def.kind === "list") opt.argParser(collect);
  if (def.kind === "int") opt.argParser(positiveInt);
  if (def.default !== undefined) opt.default(def.default);
  return opt;
}

/** The commander Options for table entries, in order: each entry, then its `--no-…` form when it has one. */
export function cliOptions(names: readonly CliOptionName[]): Option[] {
  return names.flatMap((name) => {
    const def: OptionDef = CLI_OPTIONS[name];
    return def.negate ? [cliOption(name), new Option(`--no-${def.flags.slice(2).split(" ")[0]}`, def.negate)] : [cliOption(name)];
  });
}
