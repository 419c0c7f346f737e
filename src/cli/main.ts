import { Command, CommanderError } from "commander";
import { EXIT } from "../core/exit-codes.js";
import { cliOption, cliOptions, HISTORY_OPTIONS, REPORT_OPTIONS, SCAN_OPTIONS } from "./options.js";
import { TOOL } from "../version.js";
import { addHistoryCommands } from "./history-options.js";
import { setFlagsFromString } from "node:v8";

/**
 * The command line. The only module that reads argv, writes to the terminal and decides the exit
 * code — which it returns; bin/hipaa-scan.js sets it. Heavy modules load inside the actions so
 * `--help` and `--version` stay fast.
 */

/** The codes live in src/core/exit-codes.ts; re-exported for existing imports. */
export { EXIT };

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
  for (const name of SCAN_OPTIONS) cmd.addOption(cliOption(name));
  if (report) {
    addReportOptions(cmd);
    addHistoryOptions(cmd);
    cmd.addOption(cliOption("saveFacts"));
  }
  return cmd;
}

/** `--history`/`--no-history`, `--baseline`, `--siem…`; a command without `--ca-file` gets it for the SIEM's TLS. */
function addHistoryOptions(cmd: Command): Command {
  for (const opt of cliOptions(HISTORY_OPTIONS)) cmd.addOption(opt);
  if (!cmd.options.some((o) => o.long === "--ca-file")) cmd.addOption(cliOption("caFile", "CA certificate(s) to trust for the SIEM's TLS"));
  return cmd;
}

function addReportOptions(cmd: Command): Command {
  for (const name of REPORT_OPTIONS) cmd.addOption(cliOption(name));
  return cmd;
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
  $ hipaa-scan scan --network 192.168.10.0/24 --from guest-wifi
  $ hipaa-scan scan --inventory site.yaml --fail-on-new --siem syslog+tls://siem.clinic.local:6514
  $ hipaa-scan scan --history postgres://hs@db.clinic.local/hipaa --sign-key run-signing.pem
  $ hipaa-scan scan --baseline last-quarter.json --no-history`,
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
      .argument("<facts-file...>", "file(s) written by collect; several are evaluated as one run (e.g. --from scans of several vantage points)")
      .addOption(cliOption("quiet", "no status lines"))
      .addOption(cliOption("verbose", "evidence for every finding"))
      .addOption(cliOption("activityWindow", "the window the facts were collected with, e.g. 60d (sets --param window_days)"))
      .addOption(cliOption("color")),
  );
  addHistoryOptions(program.commands.find((c) => c.name() === "evaluate")!)
    .addHelpText(
      "after",
      `
Examples:
  $ hipaa-scan evaluate facts.json
  $ hipaa-scan evaluate facts.json --param stale_days=60 --format junit --output junit.xml
  $ hipaa-scan evaluate facts.json --no-history
  $ hipaa-scan evaluate facts.json --baseline last --fail-on-new`,
    )
    .action(function (this: Command, files: string[]) {
      return run(async () => (await import("./scan-command.js")).evaluateCommand(files, this.opts()))();
    });

  addHistoryCommands(program, run);
  addReportOptions(
    program
      .command("merge")
      .description("merge the shards of one run (--shard K/N) into one report: facts are evaluated again, reports and history runs combined")
      .argument("[files...]", "facts files (collect --shard, scan --save-facts) or JSON reports of the shards")
      .addOption(cliOption("history", "read the shards from this history store's runs of --group instead of files (no value: $XDG_STATE_HOME/hipaa-scan/history.db, or HIPAA_SCAN_HISTORY); records nothing", { optionalValue: true }))
      .addOption(cliOption("group", "with --history: the run group the shards were scanned with (--group of scan)"))
      .addOption(cliOption("quiet", "no status lines"))
      .addOption(cliOption("verbose", "evidence for every finding"))
      .addOption(cliOption("color")),
  )
    .addHelpText(
      "after",
      `
A shard that is missing makes its targets errors (exit 3 at best), never passes. From the history,
a shard recorded twice in the group counts once: its newest run.

Examples:
  $ hipaa-scan merge shard-*.facts.json --format json --output report.json
  $ hipaa-scan merge shard-1.json shard-2.json shard-3.json --format junit --output junit.xml
  $ hipaa-scan merge --history postgres://hipaa@db.internal/hipaa --group site-a-20261201 --format json --output report.json`,
    )
    .action(function (this: Command, files: string[]) {
      return run(async () => (await import("./merge-command.js")).mergeCommand(files, this.opts()))();
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
  // V8 lets the heap grow to several times what is live before a full collection; a fleet scan
  // allocates fast (each host's probe output, parse and findings), so a 10,000-host scan reached
  // 1.65 GB of RSS with about 0.3 GB live. Growing by 20% at a time kept it at 0.76 GB for about
  // 4% more CPU (bench/fleet-memory.js; docs/scale.md).
  setFlagsFromString("--heap-growing-percent=20");
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
