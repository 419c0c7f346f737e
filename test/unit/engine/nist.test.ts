import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RulePackError } from "../../../src/core/errors.js";
import { BUILTIN_PACK_DIR, loadRuleSet } from "../../../src/engine/packs.js";
import { CONTROL_PATTERN, type NistMapping } from "../../../src/engine/nist.js";
import { evaluateRules } from "../../../src/engine/evaluate.js";
import { buildReport } from "../../../src/report/build.js";
import { readFactsFile } from "../../../src/pipeline.js";
import { sarifReporter } from "../../../src/reporters/sarif.js";
import { htmlReporter } from "../../../src/reporters/html.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { jsonReporter } from "../../../src/reporters/json.js";
import { ruleYaml, writePack } from "../../helpers/packs.js";
import { plainStyle } from "../../../src/reporters/types.js";

const opts = { verbose: false, style: plainStyle };
const data = (f: string) => new URL(`../../data/${f}`, import.meta.url).pathname;
const mapping = parse(readFileSync(`${BUILTIN_PACK_DIR}/nist-800-66r2.yaml`, "utf8")) as NistMapping;

describe("NIST cross-references of the HIPAA catalog (rules/hipaa/nist-800-66r2.yaml)", () => {
  it("gives every catalog specification key activities and SP 800-53 controls, or an explicit unmapped reason", async () => {
    const { catalog } = await loadRuleSet();
    expect(catalog.specs.length).toBeGreaterThan(20);
    for (const spec of catalog.specs) {
      const n = spec.nist;
      expect(n, spec.citation).toBeDefined();
      if (n!.unmapped) expect(n!.unmapped.length, spec.citation).toBeGreaterThan(10);
      else {
        expect(n!.sp80053.length, spec.citation).toBeGreaterThan(0);
        expect(n!.keyActivities.length, spec.citation).toBeGreaterThan(0);
        for (const c of n!.sp80053) expect(c).toMatch(new RegExp(CONTROL_PATTERN));
      }
    }
  });

  it("carries NIST's mapping for the specifications the scan checks most (read from the OLIR set)", async () => {
    const { catalog } = await loadRuleSet();
    const of = (c: string) => catalog.specs.find((s) => s.citation === c)!.nist!;
    expect(of("164.312(a)(2)(i)").sp80053).toEqual(["AC-2", "AC-3", "IA-2", "IA-3", "IA-4", "IA-8"]);
    expect(of("164.312(a)(2)(i)").keyActivities).toEqual([{ standard: "164.312(a)", number: 3, title: "Ensure that All System Users Have Been Assigned a Unique Identifier" }]);
    expect(of("164.312(a)(2)(iii)").sp80053).toEqual(["AC-12"]);
    expect(of("164.312(e)(2)(ii)").sp80053).toEqual(["SC-8", "SC-12", "SC-13"]);
    expect(of("164.308(a)(7)(ii)(A)").sp80053).toEqual(["CP-6", "CP-9", "CP-9(1)"]);
  });

  it("notes its source, and keeps controls only one copy of the mapping gives out of the references", () => {
    expect(mapping.source.olir).toBe("SP-800-66-Rev-2-to-SP-800-53-Rev-5.1.1");
    expect(mapping.source.copies.length).toBeGreaterThanOrEqual(2);
    for (const s of mapping.specs) for (const u of s.unconfirmed ?? []) expect(s.sp80053).not.toContain(u.control);
    const risk = mapping.specs.find((s) => s.citation === "164.308(a)(1)(ii)(A)")!;
    expect(risk.sp80053).toEqual(["RA-3"]);
    expect(risk.unconfirmed?.map((u) => u.control)).toEqual(["RA-1", "RA-2"]);
  });

  it("shows the references in the JSON report's catalog (schema-valid), the HTML and as SARIF rule tags", async () => {
    const ruleSet = await loadRuleSet();
    const facts = await readFactsFile(data("golden-facts.json"));
    const findings = evaluateRules(ruleSet.rules, facts.targets, {});
    const report = buildReport({ facts, findings, ruleSet, params: {}, failOn: "high", tool: { name: "hipaa-scan", version: "0.0.0-test" }, finishedAt: "2026-03-01T09:00:06.000Z" });
    const schema = JSON.parse(readFileSync(new URL("../../../schemas/report.schema.json", import.meta.url), "utf8"));
    const validate = makeAjv().compile(schema);
    const json = JSON.parse(jsonReporter(report, opts)) as { catalog: { citation: string; nist?: { sp80053: string[] } }[] };
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    expect(json.catalog.find((c) => c.citation === "164.312(d)")?.nist?.sp80053).toEqual(["IA-2", "IA-3", "IA-4", "IA-8", "IA-9"]);
    const entry = report.catalog.find((c) => c.citation === "164.312(a)(2)(iii)")!;
    expect(entry.nist?.sp80053).toEqual(["AC-12"]);

    const sarif = JSON.parse(sarifReporter(report, opts)) as { runs: { tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } } }[] };
    const rules = sarif.runs[0]!.tool.driver.rules;
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      const f = report.findings.find((x) => x.ruleId === r.id)!;
      const want = [...new Set(f.hipaa.flatMap((c) => report.catalog.find((e) => e.citation === c)?.nist?.sp80053 ?? []))].map((c) => `nist-800-53:${c}`);
      expect(r.properties.tags, r.id).toEqual([...f.hipaa, ...want]);
    }
    const logoff = rules.find((r) => r.properties.tags.includes("164.312(a)(2)(iii)"));
    expect(logoff?.properties.tags).toContain("nist-800-53:AC-12");

    const html = htmlReporter(report, opts);
    expect(html).toContain("AC-12");
    expect(html).toContain("SP 800-66r2 key activities:");
  });

  it("refuses a mapping that misses a specification, cites an unknown one or names a malformed control, at file:line:col", async () => {
    const catalog = "specs:\n  - { citation: 164.312(b), name: Audit controls, status: required, manual: Check audit logs. }\n  - { citation: 164.312(d), name: Person or entity authentication, status: required, manual: Check. }\n";
    const nist = [
      "source: { document: d, documentUrl: u, cprtFramework: f, cprtUrl: c, olir: o, retrieved: 2026-12-02, copies: [x] }",
      "specs:",
      "  - citation: 164.312(b)",
      "    cprtElement: 164.312(b)",
      "    keyActivities: [{ standard: 164.312(b), number: 1, title: t }]",
      "    sp80053: [AU-02]",
      "unmapped: [{ citation: 164.312(e)(1), reason: not in this catalog }]",
      "",
    ].join("\n");
    const dir = writePack({ "catalog.yaml": catalog, "nist-800-66r2.yaml": nist, "audit/ok-rule.yaml": ruleYaml("ok-rule") });
    const err = await loadRuleSet([dir], { builtin: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RulePackError);
    const found = (err as RulePackError).problems.map((p) => `${p.file.split("/").pop()}:${p.line}:${p.col}: ${p.message}`);
    expect(found.join("\n")).toMatch(/^nist-800-66r2\.yaml:6:15: specs\.0\.sp80053\.0 does not match /m);

    const fixed = nist.replace("AU-02", "AU-2");
    const err2 = await loadRuleSet([writePack({ "catalog.yaml": catalog, "nist-800-66r2.yaml": fixed, "audit/ok-rule.yaml": ruleYaml("ok-rule") })], { builtin: false }).catch((e: unknown) => e);
    const found2 = (err2 as RulePackError).problems.map((p) => `${p.file.split("/").pop()}:${p.line}:${p.col}: ${p.message}`);
    expect(found2).toContainEqual(expect.stringMatching(/^nist-800-66r2\.yaml:7:\d+: citation 164\.312\(e\)\(1\) is not in the HIPAA catalog/));
    expect(found2).toContainEqual(expect.stringMatching(/^nist-800-66r2\.yaml:3:\d+: no NIST references for 164\.312\(d\)/));
  });
});
