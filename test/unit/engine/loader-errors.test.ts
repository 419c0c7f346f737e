import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { ruleYaml, writePack, packProblems } from "../../helpers/packs.js";

/** Loads a pack that must fail and returns its problems as "file-basename:line:col: message". */

describe("rule pack problems are reported as file:line:col", () => {
  it("accepts a valid rule", async () => {
    const set = await loadRuleSet([writePack({ "audit/ok-rule.yaml": ruleYaml("ok-rule") })], { builtin: false });
    expect(set.rules.map((r) => r.def.id)).toEqual(["ok-rule"]);
  });

  it("names a misspelt field with its line and a suggestion", async () => {
    const text = ruleYaml("typo", { severity: "severity: high\nremedation: { default: x }" });
    const found = await packProblems({ "audit/typo.yaml": text });
    expect(found).toContainEqual('typo.yaml:4:1: unknown field "remedation" (did you mean "remediation"?)');
  });

  it("reports malformed YAML at the syntax error, not at the top of the file", async () => {
    const found = await packProblems({ "audit/bad-yaml.yaml": ruleYaml("bad-yaml", { appliesTo: "appliesTo: { kind: host, os: [linux] }\nparams: { a: { type: string[], default: [] } }" }) });
    expect(found[0]).toMatch(/^bad-yaml\.yaml:7:\d+: /);
  });

  it("reports duplicate YAML keys", async () => {
    const found = await packProblems({ "audit/dup-key.yaml": ruleYaml("dup-key", { title: "title: a\ntitle: b" }) });
    expect(found).toContainEqual(`dup-key.yaml:3:1: duplicate key "title"`);
  });

  it("reports an unknown operator at its key", async () => {
    const found = await packProblems({ "audit/bad-op.yaml": ruleYaml("bad-op", { check: "check: { fact: audit.auditd.active, equals: true }" }) });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^bad-op\.yaml:7:\d+: unknown operator "equals"/);
  });

  it("reports an unknown fact path, naming the segment and the known ones", async () => {
    const found = await packProblems({ "audit/bad-path.yaml": ruleYaml("bad-path", { check: "check: { fact: audit.auditdd.active, eq: true }" }) });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^bad-path\.yaml:7:\d+: unknown fact "auditdd" in audit \(known: auditd, forwarding, journald\)/);
  });

  it("refuses to look inside a list without each/count/unique", async () => {
    const found = await packProblems({ "audit/list-path.yaml": ruleYaml("list-path", { check: "check: { fact: accounts.users.name, eq: root }" }) });
    expect(found[0]).toMatch(/accounts\.users is a list: use each, count or unique/);
  });

  it("checks that an operator fits the fact's type", async () => {
    const found = await packProblems({ "audit/kind.yaml": ruleYaml("kind", { check: "check: { fact: sshd.permitRootLogin, lte: 3 }" }) });
    expect(found[0]).toMatch(/operator "lte" does not apply to sshd\.permitRootLogin, which is string/);
  });

  it("reports duplicate rule ids across files", async () => {
    const found = await packProblems({
      "audit/same.yaml": ruleYaml("same"),
      "other/same.yaml": ruleYaml("same"),
    });
    expect(found.some((p) => p.includes('duplicate rule id "same"'))).toBe(true);
  });

  it("requires the id to match the file name", async () => {
    const found = await packProblems({ "audit/file-name.yaml": ruleYaml("other-name") });
    expect(found).toContainEqual('file-name.yaml:1:5: rule id "other-name" does not match its file name "file-name"');
  });

  it("rejects a bad regular expression at load time", async () => {
    const found = await packProblems({ "audit/bad-re.yaml": ruleYaml("bad-re", { check: 'check: { fact: sshd.permitRootLogin, matches: "(" }' }) });
    expect(found[0]).toMatch(/^bad-re\.yaml:7:\d+: bad regular expression/);
  });

  it("rejects a reference to an undeclared param, in a condition and in a template", async () => {
    const found = await packProblems({
      "audit/no-param.yaml": ruleYaml("no-param", {
        check: "check: { fact: shell.tmout, lte: { param: idle } }",
        message: 'message: { pass: "ok {{params.limit}}", fail: "no" }',
      }),
    });
    expect(found.some((p) => p.includes('unknown param "idle"'))).toBe(true);
    expect(found.some((p) => p.includes('template refers to unknown param "limit"'))).toBe(true);
  });

  it("requires a pass and a fail test case", async () => {
    const found = await packProblems({ "audit/one-test.yaml": ruleYaml("one-test", { tests: "tests:\n  - { name: a, facts: {}, expect: pass }" }) });
    expect(found.some((p) => p.includes("at least 2 test cases"))).toBe(true);
  });

  it("rejects a citation that is not a HIPAA citation", async () => {
    const found = await packProblems({ "audit/cite.yaml": ruleYaml("cite", { hipaa: 'hipaa: ["HIPAA-1"]' }) });
    expect(found).toContainEqual('cite.yaml:4:9: "HIPAA-1" is not a HIPAA citation like 164.312(a)(2)(iii)');
  });

  it("rejects rules that are not in an area folder", async () => {
    const found = await packProblems({ "loose.yaml": ruleYaml("loose") });
    expect(found[0]).toMatch(/rules live in <pack>\/<area>\/<rule-id>\.yaml/);
  });
});
