import { readFileSync } from "node:fs";
import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { buildAssetInventory } from "../../../src/assets/inventory.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { evaluateFacts, prepare } from "../../../src/pipeline.js";
import { reporters } from "../../../src/reporters/index.js";
import { ASSET_CSV_COLUMNS, RISK_CSV_COLUMNS } from "../../../src/reporters/risk-csv.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { splitRiskParams } from "../../../src/risk/params.js";
import { buildRiskRegister } from "../../../src/risk/register.js";
import { riskLevel, RISK_MATRIX } from "../../../src/risk/scale.js";
import { siteFacts } from "./site.js";
import { factsOf } from "../../helpers/facts.js";

const opts = { verbose: false, style: plainStyle };

async function siteReport(params: Record<string, string> = {}) {
  const run = { rulePaths: [], params, failOn: "high" as const };
  return evaluateFacts(siteFacts(), run, await prepare(run));
}

describe("technology asset inventory", () => {
  it("names every host the network scans saw, merges scanned hosts, and counts directory accounts", () => {
    const facts = siteFacts();
    const inv = buildAssetInventory(facts.targets);
    const seen = facts.targets
      .filter((t) => t.target.kind === "network")
      .flatMap((t) => (factsOf(t, "network").hosts as { address: string }[]).map((h) => h.address));
    const addresses = inv.assets.map((a) => a.address).filter(Boolean);
    expect(seen.length).toBeGreaterThan(5);
    for (const a of seen) expect(addresses).toContain(a);
    const ehr = inv.assets.find((a) => a.address === "10.77.1.10")!;
    expect(ehr).toMatchObject({ kind: "network-device", class: "ephi-server", segment: "10.77.1.0/24" });
    expect(ehr.ephi.tagged || ehr.ephi.inferred).toBe(true);
    const dir = inv.assets.find((a) => a.kind === "directory")!;
    expect(dir.directory!.accounts).toBeGreaterThan(10);
    expect(dir.directory!.privilegedMembers).toContain("Administrator");
    expect(inv.assets.find((a) => a.id === "ssh://admin@frontdesk-pc")!.ephi).toMatchObject({ tagged: true });
    expect(inv.segments.map((s) => s.subnet)).toEqual(["10.77.1.0/24", "10.77.2.0/24"]);
    expect(inv.segments[0]!.classes["ephi-server"]).toBe(1);
  });

  it("is not attached to a report of one host", async () => {
    const facts = siteFacts();
    const run = { rulePaths: [], params: {}, failOn: "high" as const };
    const one = evaluateFacts({ ...facts, targets: facts.targets.slice(0, 1) }, run, await prepare(run));
    expect(one.assets).toBeUndefined();
    expect(one.risks).toBeDefined();
  });
});

describe("risk register", () => {
  it("follows NIST SP 800-30 Table I-2", () => {
    expect(RISK_MATRIX.flat().length).toBe(25);
    expect(riskLevel(5, 5)).toBe(5);
    expect(riskLevel(3, 4)).toBe(3);
    expect(riskLevel(2, 5)).toBe(3);
    expect(riskLevel(1, 4)).toBe(2);
    expect(riskLevel(4, 1)).toBe(1);
  });

  it("ranks a risk on an ePHI-holding or directory asset first, and shows how every score was reached", async () => {
    const report = await siteReport();
    const risks = report.risks!;
    expect(risks.length).toBeGreaterThan(5);
    const top = risks[0]!;
    const topAssets = top.assets.map((id) => report.assets!.assets.find((a) => a.id === id));
    expect(topAssets.some((a) => a && (a.kind === "directory" || a.ephi.tagged || a.ephi.inferred))).toBe(true);
    expect(risks.map((r) => r.rank)).toEqual(risks.map((_, i) => i + 1));
    for (let i = 1; i < risks.length; i++) expect(risks[i - 1]!.level).toBeGreaterThanOrEqual(risks[i]!.level);
    for (const r of risks) {
      expect(r.level).toBe(riskLevel(r.likelihood.level as 1, r.impact.level as 1));
      expect(r.likelihood.basis.at(-1)).toBe(`= ${r.likelihood.label} (${r.likelihood.level})`);
      expect(r.impact.basis.at(-1)).toBe(`= ${r.impact.label} (${r.impact.level})`);
      expect(r.hipaa.length).toBeGreaterThan(0);
      expect(r.remediation.length).toBeGreaterThan(0);
    }
  });

  it("scores a network finding on the devices its evidence names", async () => {
    const report = await siteReport();
    const flat = report.risks!.find((r) => r.ruleIds.includes("network-flat-network"));
    expect(flat).toBeDefined();
    expect(flat!.assets).toContain("net:10.77.1.10");
    expect(flat!.exposure).toBe("network");
    expect(flat!.impact.basis[0]).toMatch(/holds ePHI/);
  });

  it("takes site params: a lower ePHI impact lowers the scores that rested on it", async () => {
    const base = await siteReport();
    const tuned = await siteReport({ "risk.impact_ephi": "2", "risk.impact_directory": "2", "risk.impact_privileged": "2" });
    const id = base.risks!.find((r) => r.assets.join() === "ssh://admin@frontdesk-pc" && r.impact.basis[0]!.includes("risk.impact_ephi 5"))!.id;
    expect(tuned.risks!.find((r) => r.id === id)!.impact.level).toBeLessThan(base.risks!.find((r) => r.id === id)!.impact.level);
    expect(tuned.params["risk.impact_ephi"]).toBe(2);
  });

  it("refuses unknown or out-of-range risk params before scanning", () => {
    expect(() => splitRiskParams({ "risk.impact_ephy": "3" })).toThrow(/unknown param "risk.impact_ephy"/);
    expect(() => splitRiskParams({ "risk.impact_ephi": "9" })).toThrow(/level from 1/);
    expect(() => splitRiskParams({ "plan.due_high_days": "soon" })).toThrow(/whole number/);
  });

  it("groups findings of one rule into one risk and leaves out passes and covered findings", () => {
    const finding = (target: string, status: "fail" | "pass", alt = false) => ({
      ruleId: "r1", title: "t", severity: "high" as const, status, target: { kind: "host" as const, id: target }, hipaa: ["164.312(b)"],
      message: "", evidence: [], remediation: "fix", ...(alt ? { alternative: { justification: "j", owner: "o", reviewBy: "2099-01-01" } } : {}),
    });
    const risks = buildRiskRegister({
      findings: [finding("a", "fail"), finding("b", "fail"), finding("c", "pass"), finding("d", "fail", true)],
      inventory: { assets: [], segments: [] },
      rules: new Map([["r1", { kind: "host", exposure: "physical" }]]),
      params: splitRiskParams({}).risk,
    });
    expect(risks).toHaveLength(1);
    expect(risks[0]).toMatchObject({ id: "R-r1", assets: ["a", "b"], findings: 2, exposure: "physical" });
    expect(risks[0]!.likelihood.basis[0]).toMatch(/^rule says exploitable via physical/);
  });
});

describe("register and inventory in every format", () => {
  it("JSON validates against the published report schema", async () => {
    const schema = JSON.parse(readFileSync(new URL("../../../schemas/report.schema.json", import.meta.url), "utf8"));
    const validate = makeAjv().compile(schema);
    const json = JSON.parse(reporters.json(await siteReport(), opts));
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    expect(json.risks.length).toBeGreaterThan(0);
    expect(json.assets.assets.length).toBeGreaterThan(5);
  });

  it("CSV views: one row per risk and per asset", async () => {
    const report = await siteReport();
    const risks = parseCsv(reporters["risks-csv"](report, opts), { columns: true }) as Record<string, string>[];
    expect(Object.keys(risks[0]!)).toEqual([...RISK_CSV_COLUMNS]);
    expect(risks.map((r) => r.risk_id)).toEqual(report.risks!.map((r) => r.id));
    expect(risks[0]!.likelihood_basis).toContain("risk.likelihood_");
    const assets = parseCsv(reporters["assets-csv"](report, opts), { columns: true }) as Record<string, string>[];
    expect(Object.keys(assets[0]!)).toEqual([...ASSET_CSV_COLUMNS]);
    expect(assets).toHaveLength(report.assets!.assets.length);
  });

  it("Markdown and HTML carry the register, the matrix, the heatmap and the network map", async () => {
    const report = await siteReport();
    const mdText = reporters.markdown(report, opts);
    expect(mdText).toContain("## Risk register");
    expect(mdText).toContain("## Technology asset inventory");
    const html = reporters.html(report, opts);
    for (const id of ['id="risk-matrix"', 'id="top-risks"', 'id="heatmap"', 'id="assets"', 'id="network-map"']) expect(html).toContain(id);
    expect(html.indexOf('id="risk-matrix"')).toBeLessThan(html.indexOf("Findings by safeguard"));
    expect(html).not.toContain("<script");
  });
});
