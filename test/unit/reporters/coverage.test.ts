import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/model.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { catalogCoverage } from "../../../src/engine/catalog.js";
import { buildReport } from "../../../src/report/build.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";

/** A LAPS check that passed must not make 164.312(a)(2)(ii) "Passed": it cannot prove a procedure. */
const lapsPass: Finding = {
  ruleId: "directory-laps-coverage",
  title: "LAPS covers every computer",
  severity: "medium",
  status: "pass",
  target: { kind: "directory", id: "ldap://dc.lab" },
  hipaa: ["164.312(a)(2)(ii)"],
  message: "Every computer has a LAPS-managed password.",
  evidence: [],
  remediation: "",
};

describe("coverage never claims more than was checked", () => {
  it("every catalog spec says what checks can evidence", async () => {
    const rs = await loadRuleSet();
    for (const spec of rs.catalog.specs) expect(spec.evidence, spec.citation).toMatch(/\w/);
  });

  it("a spec whose checks passed is 'no gaps found by N checks', with what to confirm by hand", async () => {
    const rs = await loadRuleSet();
    const { entries } = catalogCoverage(rs.catalog, rs.rules, [lapsPass]);
    const e = entries.find((c) => c.citation === "164.312(a)(2)(ii)")!;
    expect(e.outcome).toBe("no_gaps_found");
    expect(e.checks).toBe(1);
    expect(e.confirm).toMatch(/documented procedure/);
    expect(entries.some((c) => (c.outcome as string) === "pass")).toBe(false);
  });

  it("text, markdown, HTML and JSON word it the same way, never as Passed", async () => {
    const ruleSet = await loadRuleSet();
    const report = buildReport({
      facts: { version: 1, startedAt: "2026-03-01T09:00:00.000Z", targets: [] } as never,
      findings: [lapsPass],
      ruleSet,
      params: {},
      failOn: "high",
      tool: { name: "hipaa-scan", version: "0.0.0-test" },
      finishedAt: "2026-03-01T09:00:06.000Z",
    });
    const want = "no gaps found by 1 check — also confirm by hand: Confirm a documented procedure";
    const opts = { verbose: false, style: plainStyle };
    expect(reporters.text(report, opts)).toContain(`164.312(a)(2)(ii) Emergency access procedure: ${want}`);
    expect(reporters.markdown(report, opts)).toContain(want);
    const html = reporters.html(report, opts);
    const row = html.split("\n").find((l) => l.includes("164.312(a)(2)(ii)"))!;
    expect(row).toContain(want);
    expect(row).not.toContain("Passed");
    const json = JSON.parse(reporters.json(report, opts)) as { catalog: { citation: string; outcome: string }[] };
    expect(json.catalog.find((c) => c.citation === "164.312(a)(2)(ii)")!.outcome).toBe("no_gaps_found");
  });
});
