import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { TOOL } from "../version.js";

/**
 * The command line. The only module that reads argv, writes to the terminal and decides the exit
 * code — which it returns; bin/hipaa-scan.js sets it. Heavy modules load inside the actions so
 * `--help` and `--version` stay fast.
 */

export const EXIT = { ok: 0, failed: 1, usage: 2, incomplete: 3 } as const;

const collect = (value: string, previous: string[] = []) => [...previous, value];

const TARGET_HELP = `
Targets:
  local                                   this machine (the default when no target is given)
  ssh://[user@]host[:port]                Linux or macOS over SSH (Windows with OpenSSH too)
  winrm://[user@]host[:port]              Windows over WinRM/HTTP (5985, NTLM with encryption)
  winrms://[user@]host[:port]             Windows over WinRM/HTTPS (5986)
  ldap://host[:port]/<baseDN>             a directory (with --starttls), ldaps:// for LDAPS
  --network <CIDR|IP>                     a network, scanned with nmap

Exit codes:
  0  gate passed    1  a finding at or above --fail-on failed
  2  usage, config or rule-pack error (nothing scanned)
  3  nothing failed over the bar, but a target or check could not be completed`;

function addScanOptions(cmd: Command, { report }: { report: boolean }): Command {
  cmd
    .option("--network <cidr>", "network to scan with nmap (repeatable)", collect)
    .addOption(new Option("--network-profile <name>", "nmap scan profile").choices(["quick", "standard", "thorough"]).default("standard"))
    .option("--yes-large-network", "allow networks larger than a /16")
    .option("--from <name>", "vantage point of this scan, for segmentation tests (e.g. guest-wifi)")
    .option("--inventory <file>", "inventory file (YAML): targets, groups, defaults, tags")
    .option("--concurrency <n>", "targets scanned at once", positiveInt, 32)
    .option("--timeout <sec>", "deadline per target, in seconds (default 120; 1800 for --network)", positiveInt)
    .option("--identity <file>", "SSH private key file (repeatable)", collect)
    .option("--known-hosts <file>", "known_hosts file (default ~/.ssh/known_hosts)")
    .option("--accept-new-host-keys", "trust and record host keys seen for the first time")
    .option("--jump <[user@]host>", "SSH jump host")
    .option("--sudo", "run the host probe with sudo (sudo -n, or the --password-env password)")
    .option("--password-env <var>", "read the password from this environment variable (never pass secrets as arguments)")
    .option("--bind-dn <dn>", "LDAP bind DN, UPN or DOMAIN\\user")
    .option("--starttls", "use StartTLS on ldap://")
    .option("--ca-file <file>", "CA certificate(s) to trust for LDAPS/WinRM HTTPS")
    .option("--insecure-tls", "do not verify TLS certificates (shown in the report)")
    .option("--roster <file>", "CSV of current staff, to find accounts of people who left")
    .option("--quiet", "no progress or status lines")
    .option("--verbose", "more detail: evidence for every finding, debug lines")
    .option("--no-color", "no colour (also NO_COLOR)");
  if (report) {
    addReportOptions(cmd);
    cmd.option("--save-facts <file>", "also save the collected facts (evaluate them again later)");
  }
  return cmd;
}

function addReportOptions(cmd: Command): Command {
  return cmd
    .option("--format <name>", "text, json, junit, sarif, csv, markdown, html, risks-csv or assets-csv (repeatable; pairs with --output in order)", collect)
    .option("--output <file>", "write the report to a file instead of stdout (repeatable)", collect)
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the gate").choices(["critical", "high", "medium", "low", "none"]).default("high"))
    .option("--rules <path>", "extra rule pack directory (repeatable)", collect)
    .option("--param <name=value>", "override a rule parameter, e.g. idle_limit_seconds=600 (repeatable)", collect)
    .option("--alternatives <file>", "documented alternative measures for addressable specifications (YAML)")
    .option("--plan <file>", "remediation plan (YAML, from `plan init`): show each risk's plan state; overdue items fail the gate")
    .option("--pack <id>", "add a built-in opt-in rule pack, e.g. hipaa-nprm-2025 (repeatable)", collect);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1.");
  return n;
}

function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command("hipaa-scan")
    .description("Finds where hosts, directories and networks fall short of the HIPAA Security Rule's technical safeguards, with evidence.")
    .version(TOOL.version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  const run = (fn: () => Promise<number>) => async () => setCode(await fn());

  addScanOptions(
    program
      .command("scan", { isDefault: true })
      .description("collect facts from targets, check them against the rule packs, report")
      .argument("[targets...]", "targets (default: local)"),
    { report: true },
  )
    .addHelpText(
      "after",
      `${TARGET_HELP}

Examples:
  $ hipaa-scan                                          scan this machine, text report
  $ hipaa-scan scan --format json --output report.json  JSON report to a file
  $ hipaa-scan scan ssh://admin@10.0.0.5 --identity ~/.ssh/id_ed25519 --sudo
  $ hipaa-scan scan --inventory site.yaml --format junit --output junit.xml --fail-on medium
  $ PW=... hipaa-scan scan ldaps://dc1.clinic.local/DC=clinic,DC=local --bind-dn auditor@clinic.local --password-env PW
  $ hipaa-scan scan --network 192.168.10.0/24 --from guest-wifi`,
    )
    .action(function (this: Command, targets: string[]) {
      return run(async () => (await import("./scan-command.js")).scanCommand(targets, this.opts()))();
    });

  addScanOptions(
    program
      .command("collect")
      .description("collect facts only and save them (check them later with evaluate)")
      .argument("[targets...]", "targets (default: local)")
      .option("-o, --output <file>", "facts file to write (default: stdout)"),
    { report: false },
  )
    .addHelpText(
      "after",
      `${TARGET_HELP}

Examples:
  $ hipaa-scan collect --output facts.json
  $ hipaa-scan collect ssh://admin@db1 ssh://admin@db2 --sudo -o facts.json`,
    )
    .action(function (this: Command, targets: string[]) {
      return run(async () => (await import("./scan-command.js")).collectCommand(targets, this.opts()))();
    });

  addReportOptions(
    program
      .command("evaluate")
      .description("check a saved facts file against the rule packs and report")
      .argument("<facts-file>", "file written by collect")
      .option("--quiet", "no status lines")
      .option("--verbose", "evidence for every finding")
      .option("--no-color", "no colour (also NO_COLOR)"),
  )
    .addHelpText(
      "after",
      `
Examples:
  $ hipaa-scan evaluate facts.json
  $ hipaa-scan evaluate facts.json --param stale_days=60 --format junit --output junit.xml`,
    )
    .action(function (this: Command, file: string) {
      return run(async () => (await import("./scan-command.js")).evaluateCommand(file, this.opts()))();
    });

  program
    .command("plan")
    .description("remediation plan from the risk register")
    .command("init")
    .description("write a plan file (one item per risk: owner, due date, status) from a JSON report")
    .argument("<report>", "JSON report written by scan --format json")
    .requiredOption("-o, --output <file>", "plan file to write (YAML); items of an existing plan are kept")
    .option("--param <name=value>", "plan params, e.g. plan.due_high_days=21 (repeatable)", collect)
    .addHelpText("after", "\nExamples:\n  $ hipaa-scan scan --inventory site.yaml --format json --output report.json\n  $ hipaa-scan plan init report.json -o plan.yaml\n  $ hipaa-scan scan --inventory site.yaml --plan plan.yaml")
    .action(function (this: Command, report: string) {
      return run(async () => (await import("./plan-command.js")).planInit(report, this.opts()))();
    });

  const rules = program.command("rules").description("list, show, validate and test rule packs");
  rules
    .command("list")
    .description("list the rules of the built-in pack and any --rules packs")
    .option("--rules <path>", "extra rule pack directory (repeatable)", collect)
    .option("--format <name>", "text or json", "text")
    .addHelpText("after", "\nExamples:\n  $ hipaa-scan rules list\n  $ hipaa-scan rules list --rules ./site-rules --format json")
    .action(function (this: Command) {
      return run(async () => (await import("./rules-command.js")).listRules(this.opts()))();
    });
  rules
    .command("show")
    .description("show one rule: citations, params, check, remediation")
    .argument("<id>", "rule id")
    .option("--rules <path>", "extra rule pack directory (repeatable)", collect)
    .addHelpText("after", "\nExamples:\n  $ hipaa-scan rules show linux-shell-idle-timeout")
    .action(function (this: Command, id: string) {
      return run(async () => (await import("./rules-command.js")).showRule(id, this.opts()))();
    });
  rules
    .command("validate")
    .description("validate rule packs or rule files (exit 2 with file:line:col on problems)")
    .argument("[paths...]", "pack directories or rule files (default: the built-in pack)")
    .addHelpText("after", "\nExamples:\n  $ hipaa-scan rules validate\n  $ hipaa-scan rules validate ./site-rules ./draft/my-rule.yaml")
    .action(function (this: Command, paths: string[]) {
      return run(async () => (await import("./rules-command.js")).validateRules(paths))();
    });
  rules
    .command("test")
    .description("run every rule's own test cases (facts in, status out)")
    .argument("[paths...]", "pack directories or rule files (default: the built-in pack)")
    .option("--verbose", "list every case, not only failures")
    .addHelpText("after", "\nExamples:\n  $ hipaa-scan rules test\n  $ hipaa-scan rules test ./site-rules --verbose")
    .action(function (this: Command, paths: string[]) {
      return run(async () => (await import("./rules-command.js")).testRules(paths, this.opts()))();
    });
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. Never throws. */
export async function run(argv: string[]): Promise<number> {
  // `hipaa-scan … | head`: a reader that goes away is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
    });
  }
  let code: number = EXIT.ok;
  // A fatal usage error (2) cannot be overwritten by a later success.
  const setCode = (next: number) => {
    if (code !== EXIT.usage) code = next;
  };
  try {
    await buildProgram(setCode).parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    const { reportError } = await import("./errors.js");
    return reportError(err);
  }
  return code;
}
