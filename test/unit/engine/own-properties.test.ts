import { describe, expect, it } from "vitest";
import { RulePackError } from "../../../src/core/errors.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { runRuleTests } from "../../../src/engine/rule-tests.js";
import { compileTemplate } from "../../../src/engine/template.js";
import { FACTS_SCHEMAS } from "../../../src/facts/index.js";
import type { JsonSchema } from "../../../src/engine/fact-paths.js";
import { ruleYaml, writePack } from "../../helpers/packs.js";

async function loadProblem(files: Record<string, string>): Promise<string> {
  try {
    await loadRuleSet([writePack(files)], { builtin: false });
  } catch (err) {
    expect(err).toBeInstanceOf(RulePackError);
    return (err as Error).message;
  }
  throw new Error("expected the pack to be refused");
}

describe("names are own properties, never inherited ones", () => {
  it("{{params.constructor}} is an unknown param, not a rendered function", async () => {
    const msg = await loadProblem({ "t/r.yaml": ruleYaml("r", { message: 'message: { pass: "ok {{params.constructor}}", fail: "no" }' }) });
    expect(msg).toMatch(/unknown param "constructor"/);
    const problems: string[] = [];
    const t = compileTemplate("limit {{params.toString}}", {}, FACTS_SCHEMAS.host as JsonSchema, (m) => problems.push(m));
    expect(problems.join()).toMatch(/unknown param "toString"/);
    expect(t({ params: {}, facts: {}, failed: [], count: undefined })).not.toMatch(/function|native code/);
  });

  it("{{facts.shell.constructor}} and a check on shell.constructor are unknown facts", async () => {
    const m1 = await loadProblem({ "t/r.yaml": ruleYaml("r", { message: 'message: { pass: "ok {{facts.shell.constructor}}", fail: "no" }' }) });
    expect(m1).toMatch(/unknown fact "constructor"/);
    const m2 = await loadProblem({ "t/r.yaml": ruleYaml("r", { check: "check: { fact: shell.constructor, ne: 1 }" }) });
    expect(m2).toMatch(/unknown fact "constructor" in shell/);
    const m3 = await loadProblem({ "t/r.yaml": ruleYaml("r", { check: "check: { fact: shell.__proto__, ne: 1 }" }) });
    expect(m3).toMatch(/unknown fact "__proto__"/);
  });

  it("a param named like an Object method is not found by { param }", async () => {
    const msg = await loadProblem({ "t/r.yaml": ruleYaml("r", { check: "check: { fact: shell.tmout, lte: { param: hasOwnProperty } }" }) });
    expect(msg).toMatch(/unknown param "hasOwnProperty"/);
  });
});

describe("rule test cases are facts a collector could produce", () => {
  const testsWith = (facts: string) =>
    ["tests:", "  - name: the case", `    facts: ${facts}`, "    expect: pass", "  - name: a valid fail", "    facts: { audit: { auditd: { active: false } }, shell: { tmout: 1200 } }", "    expect: fail"].join("\n");

  it.each([
    ["a wrong type", "{ shell: { tmout: 'fifteen minutes', readonly: true } }", /facts\/shell\/tmout/],
    ["a string where the schema has a boolean", "{ audit: { auditd: { active: 'yes' } } }", /facts\/audit\/auditd\/active/],
    ["a section the schema does not have", "{ nosuch: { x: 1 }, audit: { auditd: { active: true } } }", /must NOT have additional properties/],
  ])("%s fails the case, naming the schema", async (_name, facts, message) => {
    const dir = writePack({ "t/r.yaml": ruleYaml("r", { check: "check: { any: [ { fact: audit.auditd.active, eq: true }, { fact: shell.tmout, lte: 900 } ] }", tests: testsWith(facts) }) });
    const { rules } = await loadRuleSet([dir], { builtin: false });
    const [result, valid] = runRuleTests(rules);
    expect(valid!.message).toBe("not ok");
    expect(result!.passed).toBe(false);
    expect(result!.message).toMatch(/test case facts do not match the host facts schema/);
    expect(result!.message).toMatch(message);
  });

  it("cases that give only the fields their rule reads still run", async () => {
    const dir = writePack({ "t/r.yaml": ruleYaml("r") });
    const { rules } = await loadRuleSet([dir], { builtin: false });
    expect(runRuleTests(rules).map((r) => r.passed)).toEqual([true, true]);
  });
});
