import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../../src/core/model.js";
import { groupBySafeguard, safeguardTitle } from "../../../src/reporters/sections.js";

const builtin = parse(readFileSync(new URL("../../../rules/hipaa/catalog.yaml", import.meta.url), "utf8")) as {
  specs: { citation: string; name: string; status: CatalogEntry["status"] }[];
};
const catalog: CatalogEntry[] = builtin.specs.map((s) => ({ ...s, rules: [], outcome: "not_evaluated" }));

describe("safeguard group titles come from the catalog", () => {
  it("names each 164.312 standard as the built-in catalog does", () => {
    expect(["164.312(a)", "164.312(b)", "164.312(c)", "164.312(d)", "164.312(e)"].map((p) => safeguardTitle(p, catalog))).toEqual([
      "Access control — 164.312(a)",
      "Audit controls — 164.312(b)",
      "Integrity — 164.312(c)",
      "Person or entity authentication — 164.312(d)",
      "Transmission security — 164.312(e)",
    ]);
  });

  it("follows a renamed catalog entry, and falls back to the citation when the catalog lacks it", () => {
    const renamed = catalog.map((c) => (c.citation === "164.312(b)" ? { ...c, name: "Audit logging" } : c));
    expect(safeguardTitle("164.312(b)", renamed)).toBe("Audit logging — 164.312(b)");
    expect(safeguardTitle("164.312(e)", [])).toBe("164.312(e)");
  });

  it("titles the groups groupBySafeguard returns", () => {
    const finding = { ruleId: "r", title: "t", severity: "high", status: "fail", target: { kind: "host", id: "h" }, hipaa: ["164.312(e)(1)"], message: "", evidence: [], remediation: "" } as const;
    expect(groupBySafeguard([{ ...finding, hipaa: [...finding.hipaa], evidence: [], target: { ...finding.target } }], catalog).map((g) => g.title)).toEqual([
      "Transmission security — 164.312(e)",
    ]);
  });
});
