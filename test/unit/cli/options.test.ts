import { describe, expect, it } from "vitest";
import { CLI_OPTIONS, HISTORY_OPTIONS, REPORT_OPTIONS, SCAN_OPTIONS, cliOption, cliOptions, type CliOptionName } from "../../../src/cli/options.js";
import { cli } from "../../helpers/cli.js";
import { EXIT, collectExitCode, errorOutcome, gateExitCode } from "../../../src/core/exit-codes.js";
import { UsageError } from "../../../src/core/errors.js";
import { FORMATS, reporters } from "../../../src/reporters/index.js";

describe("the CLI option table", () => {
  it("keys each option by the attribute name commander gives it, so CliOptions matches what actions receive", () => {
    for (const key of Object.keys(CLI_OPTIONS) as CliOptionName[]) expect(cliOption(key).attributeName(), CLI_OPTIONS[key].flags).toBe(key);
    // A negatable entry's `--no-…` form sets the same attribute.
    for (const key of HISTORY_OPTIONS) for (const opt of cliOptions([key])) expect(opt.attributeName(), opt.flags).toBe(key);
    expect(cliOptions(["history"]).map((o) => o.flags)).toEqual(["--history <path|url>", "--no-history"]);
  });

  it("gives the history flags the values the history session reads: a path, false with --no-history, a list for --siem", () => {
    const [history, noHistory] = cliOptions(["history"]);
    expect([history!.required, history!.negate, noHistory!.negate]).toEqual([true, false, true]);
    const siem = cliOption("siem");
    expect(siem.parseArg!("https://b/x", siem.parseArg!("syslog+tls://a:6514", undefined as unknown as string[]))).toEqual(["syslog+tls://a:6514", "https://b/x"]);
    expect(cliOption("failOnNew").isBoolean()).toBe(true);
    expect(HISTORY_OPTIONS.map((k) => cliOption(k).defaultValue)).toEqual(HISTORY_OPTIONS.map(() => undefined));
  });

  it.each([["scan"], ["evaluate"]])("%s --help lists every history flag from the table, with examples that use them", (command) => {
    const r = cli([command, "--help"]);
    expect(r.code).toBe(0);
    for (const opt of cliOptions(HISTORY_OPTIONS)) expect(r.stdout).toContain(opt.flags);
    expect(r.stdout).toContain("--ca-file <file>");
    const examples = r.stdout.slice(r.stdout.indexOf("Examples:"));
    expect(examples).toMatch(/--no-history/);
    expect(examples).toMatch(/--fail-on-new/);
  });

  it("declares every table entry on some command", () => {
    const used = new Set<CliOptionName>([...SCAN_OPTIONS, ...REPORT_OPTIONS, ...HISTORY_OPTIONS, "saveFacts"]);
    expect(Object.keys(CLI_OPTIONS).filter((k) => !used.has(k as CliOptionName))).toEqual([]);
  });

  it("lists in --format's help exactly the formats the reporter registry has, in its order", () => {
    expect(FORMATS).toEqual(Object.keys(reporters));
    expect(cliOption("format").description).toBe("text, json, junit, sarif, csv, markdown, html, jsonl, risks-csv or assets-csv (repeatable; pairs with --output in order)");
  });
});

describe("exit codes", () => {
  it("gate: failed beats incomplete beats ok", () => {
    expect([gateExitCode(2, 5), gateExitCode(0, 1), gateExitCode(0, 0)]).toEqual([EXIT.failed, EXIT.incomplete, EXIT.ok]);
  });

  it("collect: 3 unless every target is ok", () => {
    expect(collectExitCode(["ok", "ok"])).toBe(0);
    expect(collectExitCode(["ok", "partial"])).toBe(3);
  });

  it("a typed error is one line per problem without a stack; a bug keeps its stack; both exit 2", () => {
    const known = errorOutcome(new UsageError("bad flag\nsecond line"));
    expect(known).toEqual({ code: 2, text: "hipaa-scan: bad flag\nhipaa-scan: second line\n" });
    const bug = errorOutcome(new TypeError("oops"));
    expect(bug.code).toBe(2);
    expect(bug.text).toMatch(/internal error[\s\S]*TypeError: oops\n\s+at /);
  });
});
