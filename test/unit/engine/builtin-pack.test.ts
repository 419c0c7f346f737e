import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { runRuleTests } from "../../../src/engine/rule-tests.js";

const ruleSet = await loadRuleSet();
const results = runRuleTests(ruleSet.rules);

describe("the built-in HIPAA pack", () => {
  it("loads and compiles", () => {
    expect(ruleSet.packs.map((p) => p.manifest.id)).toEqual(["hipaa"]);
    expect(ruleSet.rules.length).toBeGreaterThanOrEqual(25);
  });

  describe.each(ruleSet.rules.map((r) => [r.def.id, r] as const))("%s", (id, rule) => {
    it.each(results.filter((r) => r.ruleId === id).map((r) => [r.name, r] as const))("case: %s", (_name, r) => {
      expect(r.actual, r.message).toBe(r.expected);
    });
    it("has at least a pass and a fail case", () => {
      const expects = new Set(rule.def.tests.map((t) => t.expect));
      expect(expects.has("pass") && expects.has("fail")).toBe(true);
    });
  });

  it("lists every specification the in-repository CFR reference marks for the catalog, with the regulation's status", () => {
    // test/data/cfr-164-specifications.yaml: transcribed from 45 CFR 164.308, 164.310 and 164.312 (source in the file).
    const reference = parse(readFileSync(new URL("../../data/cfr-164-specifications.yaml", import.meta.url), "utf8")) as {
      specifications: { citation: string; status: "R" | "A" | "S"; catalog: boolean }[];
    };
    const wanted = reference.specifications.filter((s) => s.catalog);
    expect(wanted.filter((s) => s.citation.startsWith("164.312(")).length).toBe(12);
    const byCitation = new Map(ruleSet.catalog.specs.map((s) => [s.citation, s.status]));
    const word = { R: "required", A: "addressable", S: "standard" } as const;
    for (const spec of wanted) expect(byCitation.get(spec.citation), spec.citation).toBe(word[spec.status]);
    const known = new Set(reference.specifications.map((s) => s.citation));
    for (const c of byCitation.keys()) expect(known, `catalog cites ${c}, which the reference does not list`).toContain(c);
  });

  it("never maps idle-timeout rules to plain access control, nor encryption to automatic logoff", () => {
    for (const r of ruleSet.rules) {
      const text = `${r.def.id} ${r.def.title}`.toLowerCase();
      if (/idle|logoff|screen.?lock|timeout/.test(text) && !/dead/.test(text)) expect(r.def.hipaa, r.def.id).toContain("164.312(a)(2)(iii)");
      if (/encrypt/.test(text) && r.def.appliesTo.kind === "host") expect(r.def.hipaa, r.def.id).not.toContain("164.312(a)(2)(iii)");
    }
  });
});
