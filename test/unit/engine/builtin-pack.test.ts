import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
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

  it("lists every 164.312 specification and the 164.308 items of the brief in its catalog", () => {
    const cited = new Set(ruleSet.catalog.specs.map((s) => s.citation));
    const brief = readFileSync(new URL("../../../../shared/HIPAA.md", import.meta.url), "utf8");
    const in312 = [...brief.matchAll(/\| (164\.312\([^ |]+) \|/g)].map((m) => m[1]!);
    expect(in312.length).toBeGreaterThanOrEqual(12);
    for (const c of in312) expect(cited, c).toContain(c);
    for (const c of ["164.308(a)(1)(ii)(A)", "164.308(a)(3)(ii)(C)", "164.308(a)(5)(ii)(B)", "164.308(a)(7)(ii)(A)"]) expect(cited).toContain(c);
  });

  it("marks Required and Addressable as the regulation does", () => {
    const status = Object.fromEntries(ruleSet.catalog.specs.map((s) => [s.citation, s.status]));
    expect(status["164.312(a)(2)(i)"]).toBe("required");
    expect(status["164.312(a)(2)(iii)"]).toBe("addressable");
    expect(status["164.312(a)(2)(iv)"]).toBe("addressable");
    expect(status["164.312(e)(2)(ii)"]).toBe("addressable");
    expect(status["164.312(b)"]).toBe("required");
    expect(status["164.312(d)"]).toBe("required");
  });

  it("never maps idle-timeout rules to plain access control, nor encryption to automatic logoff", () => {
    for (const r of ruleSet.rules) {
      const text = `${r.def.id} ${r.def.title}`.toLowerCase();
      if (/idle|logoff|screen.?lock|timeout/.test(text) && !/dead/.test(text)) expect(r.def.hipaa, r.def.id).toContain("164.312(a)(2)(iii)");
      if (/encrypt/.test(text) && r.def.appliesTo.kind === "host") expect(r.def.hipaa, r.def.id).not.toContain("164.312(a)(2)(iii)");
    }
  });
});
