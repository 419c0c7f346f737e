import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { compilePattern } from "../../../src/engine/pattern.js";
import { runRuleTests } from "../../../src/engine/rule-tests.js";
import { prepare } from "../../../src/pipeline.js";
import { cli } from "../../helpers/cli.js";
import { ruleYaml, writePack, packProblems } from "../../helpers/packs.js";

/** Issue 10 #5 (regex part) and #8: pack and param regexes run on RE2 and are checked before scanning. */

const EVIL = "^(a+)+$";
const HOSTILE_INPUT = `${"a".repeat(35)}b`;


const paramRule = (id: string, dflt: string) =>
  ruleYaml(id, {
    appliesTo: `appliesTo: { kind: host, os: [linux] }\nparams:\n  name_pattern: { type: string, default: ${JSON.stringify(dflt)}, description: a pattern }`,
    check: "check: { fact: sshd.permitRootLogin, notMatches: { param: name_pattern } }",
    tests: ["tests:", "  - name: one", '    facts: { sshd: { permitRootLogin: "no" } }', "    expect: pass", "  - name: two", '    facts: { sshd: { permitRootLogin: "svc" } }', "    expect: fail"].join("\n"),
  });

describe("regexes from packs and params", () => {
  it("a catastrophic pattern over a hostile 36-character value answers at once", async () => {
    const rule = ruleYaml("evil", {
      check: `check: { fact: sshd.permitRootLogin, notMatches: ${JSON.stringify(EVIL)} }`,
      tests: ["tests:", "  - name: hostile value", `    facts: { sshd: { permitRootLogin: "${HOSTILE_INPUT}" } }`, "    expect: pass", "  - name: all a", '    facts: { sshd: { permitRootLogin: "aaaa" } }', "    expect: fail"].join("\n"),
    });
    const set = await loadRuleSet([writePack({ "ssh/evil.yaml": rule })], { builtin: false });
    const t0 = performance.now();
    const results = runRuleTests(set.rules);
    // A backtracking engine needs about 2^36 steps here (hours); RE2 answers in milliseconds. The
    // bound is loose so a loaded CI machine cannot fail it; bench/regex-redos.js has the numbers.
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(results.map((r) => [r.actual, r.passed])).toEqual([["pass", true], ["fail", true]]);
  });

  it("the engine itself is linear: ^(a+)+$ over 10 000 a's and a b", () => {
    const m = compilePattern(EVIL);
    const t0 = performance.now();
    expect(m.test(`${"a".repeat(10_000)}b`)).toBe(false);
    expect(m.test("AAAA")).toBe(true); // case-insensitive, as matches always was
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it("lookaround and backreferences fail validation with file:line:col and the reason", async () => {
    for (const pattern of ["^(?!root)", "(a)\\\\1"]) {
      const found = await packProblems({ "ssh/look.yaml": ruleYaml("look", { check: `check: { fact: sshd.permitRootLogin, matches: "${pattern}" }` }) });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^look\.yaml:7:\d+: bad regular expression .*RE2 \(linear time\), which has no lookahead, lookbehind or backreferences\)$/);
      expect(found[0]).not.toContain("\n");
    }
  });

  it("a param default that is not a regular expression fails validation at the default", async () => {
    const found = await packProblems({ "ssh/bad-default.yaml": paramRule("bad-default", "(") });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^bad-default\.yaml:8:\d+: param name_pattern: bad regular expression "\(": missing \)/);
  });

  it("a --param value that is not a regular expression is a usage error before scanning", async () => {
    const dir = writePack({ "ssh/ok-param.yaml": paramRule("ok-param", "^svc") });
    await expect(prepare({ rulePaths: [dir], params: { name_pattern: "(" }, failOn: "high" })).rejects.toBeInstanceOf(UsageError);
    await expect(prepare({ rulePaths: [dir], params: { name_pattern: "(" }, failOn: "high" })).rejects.toThrow(/^--param name_pattern: bad regular expression "\(": missing \)[^\n]*$/);
    await expect(prepare({ rulePaths: [dir], params: { name_pattern: "^(?=x)" }, failOn: "high" })).rejects.toThrow(/RE2/);
  });

  it("the CLI: --param 'generic_name_pattern=(' exits 2 with one line, nothing scanned", () => {
    const r = cli(["scan", "local", "--param", "generic_name_pattern=(", "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--param generic_name_pattern: bad regular expression/);
  });
});
