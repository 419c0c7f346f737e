import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/model.js";
import { SharedStrings } from "../../../src/report/shared-strings.js";
import { goldenReport } from "../../helpers/golden-report.js";

const copy = (fs: Finding[]): Finding[] => JSON.parse(JSON.stringify(fs)) as Finding[];

describe("SharedStrings (one copy of each repeated finding text)", () => {
  it("changes no finding: same values, no field added or dropped, non-string observations untouched", async () => {
    const golden = (await goldenReport()).findings;
    // And one whose evidence has neither `expected` nor `source`, with a number and an object observed.
    const findings = [...golden, { ...golden[0]!, evidence: [{ fact: "a.b", observed: 3 }, { fact: "a.c", observed: { n: "x" } }] }];
    expect(findings.some((f) => f.evidence.some((e) => typeof e.observed === "string"))).toBe(true);
    const before = copy(findings);
    const shared = new SharedStrings();
    // Twice, as for two hosts with the same findings: the second gets the first's copies.
    const first = shared.findings(copy(findings));
    const second = shared.findings(copy(findings));
    expect(first).toStrictEqual(before);
    expect(second).toStrictEqual(before);
    expect(JSON.stringify(second)).toBe(JSON.stringify(before));
  });

  it("returns every text equal to what it was given, past the table's bound and for long texts", () => {
    const shared = new SharedStrings();
    for (let i = 0; i < 100_010; i++) expect(shared.text(`t${i}`)).toBe(`t${i}`);
    const long = "x".repeat(600);
    expect(shared.text(long)).toBe(long);
    expect(shared.text("t5")).toBe("t5");
  });
});
