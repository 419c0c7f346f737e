import { describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import type { FactsDocument } from "../../../src/core/model.js";
import { buildProvenance, provenanceLine, ProvenanceSchema, redactArgv } from "../../../src/report/provenance.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { buildReport } from "../../../src/report/build.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";

const facts = {
  format: "hipaa-scan-facts", schemaVersion: 1, tool: { name: "hipaa-scan", version: "0.1.0" },
  startedAt: "2026-12-01T22:00:00.000Z", finishedAt: "2026-12-01T22:01:00.000Z",
  targets: [
    { target: { kind: "network", id: "10.77.2.0/24" }, status: "ok", collector: "network/nmap", collectedAt: "2026-12-01T22:00:00.000Z", tags: {}, sources: {}, notes: [],
      facts: { scan: { nmapVersion: "7.93", vantage: "guest" } } },
  ],
} as unknown as FactsDocument;

const host = {
  hostname: "scanbox", addresses: ["10.77.3.50"], user: "auditor", nodeVersion: "v20.11.0",
  argv: ["bin/hipaa-scan.js", "scan", "ssh://admin:hunter2@10.0.0.5", "--password", "s3cret", "--token=abc", "--param", "snmp.community=public", "--password-env", "PW", "--from", "guest"],
};

describe("provenance", () => {
  it("redacts secrets on the command line but keeps what is not secret", () => {
    expect(redactArgv(host.argv)).toEqual([
      "bin/hipaa-scan.js", "scan", "ssh://admin:***@10.0.0.5", "--password", "***", "--token=***", "--param", "snmp.community=***", "--password-env", "PW", "--from", "guest",
    ]);
  });

  it("records host, user, redacted command, versions and the vantage point", () => {
    const p = buildProvenance(host, facts);
    expect([...Value.Errors(ProvenanceSchema, p)]).toEqual([]);
    expect(p).toMatchObject({ host: { name: "scanbox", addresses: ["10.77.3.50"] }, user: "auditor", versions: { node: "v20.11.0", "hipaa-scan": "0.1.0", nmap: "7.93" }, vantages: ["guest"] });
    expect(JSON.stringify(p)).not.toMatch(/hunter2|s3cret|abc|public/);
  });

  it("is one line in text, Markdown and HTML, and whole in JSON", async () => {
    const ruleSet = await loadRuleSet();
    const report = buildReport({ facts, findings: [], ruleSet, params: {}, failOn: "high", tool: { name: "hipaa-scan", version: "0.1.0" }, finishedAt: "2026-12-01T22:01:00.000Z" });
    report.provenance = buildProvenance(host, facts);
    const line = provenanceLine(report.provenance);
    expect(line).toBe(
      "Run by auditor on scanbox (10.77.3.50) from vantage guest: bin/hipaa-scan.js scan ssh://admin:***@10.0.0.5 --password *** --token=*** --param snmp.community=*** --password-env PW --from guest — node v20.11.0, hipaa-scan 0.1.0, nmap 7.93",
    );
    const opts = { verbose: false, style: plainStyle };
    expect(reporters.text(report, opts).split("\n")[1]).toBe(line);
    expect(reporters.markdown(report, opts)).toContain("Run by auditor on scanbox");
    expect(reporters.html(report, opts)).toContain(`<p class="provenance">Run by auditor on scanbox`);
    expect(JSON.parse(reporters.json(report, opts)).provenance).toEqual(report.provenance);
    for (const f of ["text", "markdown", "html", "json"] as const) expect(reporters[f](report, opts)).not.toMatch(/hunter2|s3cret/);
  });
});
