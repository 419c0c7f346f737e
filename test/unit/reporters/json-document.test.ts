import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReportFileError } from "../../../src/core/errors.js";
import type { Finding, Report } from "../../../src/core/model.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { REPORT_SCHEMA_VERSION } from "../../../src/report/document-schema.js";
import { reportFromJson } from "../../../src/report/read.js";
import { toReportDocument } from "../../../src/reporters/json.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { goldenReport } from "../../helpers/golden-report.js";

const opts = { verbose: false, style: plainStyle };
/** What JSON keeps of a value (no undefined keys). */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const roundTrip = (r: Report) => reportFromJson(JSON.parse(reporters.json(r, opts)), "report.json");
const schema = (name: string) => makeAjv().compile(JSON.parse(readFileSync(new URL(`../../../schemas/${name}`, import.meta.url), "utf8")));

describe("the JSON report, schema version 2", () => {
  it("reads back into exactly the in-memory report", async () => {
    const report = await goldenReport();
    expect(roundTrip(report)).toEqual(plain(report));
  });

  it("writes each rule's metadata once and findings by rule id", async () => {
    const doc = JSON.parse(reporters.json(await goldenReport(), opts));
    expect(doc).toMatchObject({ format: "hipaa-scan-report", schemaVersion: REPORT_SCHEMA_VERSION });
    expect(doc.rules["golden-uid0"]).toMatchObject({ title: "Only root has UID 0", description: "No other account has UID 0.", severity: "critical", hipaa: ["164.312(a)(2)(i)"] });
    for (const f of doc.findings) {
      expect(Object.keys(f)).not.toContain("title");
      expect(Object.keys(f)).not.toContain("hipaa");
      expect(doc.rules[f.ruleId]).toBeDefined();
    }
  });

  it("writes a message that findings of a rule and status share once, in the rule, and keeps a finding's own where it differs", () => {
    const report = sharedMessages();
    const doc = JSON.parse(reporters.json(report, opts));
    // Shared by two findings: once, in the rule. Said once (host a's list, the only pass): stays in the finding.
    expect(doc.rules.r1.messages).toEqual({ fail: "No idle limit." });
    expect(doc.findings.map((f: { message?: string }) => f.message)).toEqual(["2 accounts: bob, eve", undefined, undefined, "Idle limit set."]);
    expect(roundTrip(report)).toEqual(plain(report));
  });

  it("keeps a finding's own remediation, title, citations and evidence source where they differ from its rule's", () => {
    const base: Finding = { ruleId: "r1", title: "T", severity: "high", status: "fail", target: { kind: "host", id: "a" }, hipaa: ["164.312(b)"], message: "m", evidence: [{ fact: "x", observed: 1, expected: "= 2", source: "/etc/x" }], remediation: "apt" };
    const report = {
      ...emptyReport(),
      targets: [{ kind: "host" as const, id: "a", status: "ok" as const, collector: "c", notes: [] }, { kind: "host" as const, id: "b", status: "ok" as const, collector: "c", notes: [] }],
      findings: [
        base,
        { ...base, target: { kind: "host" as const, id: "b" }, remediation: "dnf", title: "T2", hipaa: ["164.312(c)(1)"], evidence: [{ fact: "x", observed: 2 }, { fact: "y", observed: null, expected: "= 3", source: "/etc/y" }] },
        { ...base, ruleId: "manual/164.308(a)(1)", status: "manual" as const, target: { kind: "site" as const, id: "site" }, evidence: [] },
      ],
    };
    expect(roundTrip(report)).toEqual(plain(report));
  });

  it("round-trips any report losslessly (property)", async () => {
    const golden = await goldenReport();
    const text = fc.string({ maxLength: 12 });
    const evidence = fc.record({ fact: text, observed: fc.jsonValue(), expected: fc.option(text, { nil: undefined }), source: fc.option(fc.constantFrom("/etc/a", "/etc/b", "cmd"), { nil: undefined }) }, { requiredKeys: ["fact", "observed"] });
    const finding = fc.record({
      ruleId: fc.constantFrom("r1", "r2", "r3"),
      title: fc.constantFrom("A", "B"),
      severity: fc.constantFrom("critical", "high", "low") as fc.Arbitrary<Finding["severity"]>,
      status: fc.constantFrom("fail", "pass", "error") as fc.Arbitrary<Finding["status"]>,
      target: fc.constantFrom({ kind: "host" as const, id: "ssh://admin@frontdesk-pc" }, { kind: "site" as const, id: "site" }, { kind: "directory" as const, id: "ssh://admin@ehr-db" }),
      hipaa: fc.constantFrom(["164.312(b)"], ["164.312(b)", "164.312(c)(1)"]),
      message: fc.oneof(text, fc.constantFrom("shared one", "shared two")),
      evidence: fc.array(evidence, { maxLength: 3 }),
      remediation: fc.constantFrom("x", "y"),
    });
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 12 }), (findings) => {
        const report = { ...golden, findings: findings as unknown as Finding[], ruleDescriptions: { r1: "d1" } };
        const back = roundTrip(report);
        expect(back.findings).toEqual(plain(findings));
        expect(back.ruleDescriptions).toEqual(findings.some((f) => f.ruleId === "r1") ? { r1: "d1" } : {});
      }),
      { numRuns: 200 },
    );
  });

  it("is valid against the published schemas/report.schema.json, and version 1 against report-v1.schema.json", async () => {
    const v2 = schema("report.schema.json");
    const doc = toReportDocument(await goldenReport());
    expect(v2(plain(doc)) ? [] : v2.errors).toEqual([]);
    const v1 = schema("report-v1.schema.json");
    const old = JSON.parse(readFileSync(new URL("../../data/report-v1.json", import.meta.url), "utf8"));
    expect(v1(old) ? [] : v1.errors).toEqual([]);
  });

  it("still reads version 1 (test/data/report-v1.json, written before the rules map) with the same findings", async () => {
    const old = reportFromJson(JSON.parse(readFileSync(new URL("../../data/report-v1.json", import.meta.url), "utf8")), "report-v1.json");
    const now = await goldenReport();
    expect(old.findings).toEqual(plain(now.findings));
    expect(old.summary).toEqual(now.summary);
  });

  it.each([
    [{ format: "hipaa-scan-report", schemaVersion: 3 }, /report schema version 3; this hipaa-scan reads versions 1 and 2/],
    [{ format: "something-else" }, /not a hipaa-scan JSON report \(format "something-else"\)/],
    [{ rules: {} }, /refers to rule golden-uid0, which is not in "rules"/],
    [{ targets: [] }, /names target ssh:\/\/admin@frontdesk-pc, which is not in "targets"/],
  ])("refuses %j with one line", async (change, message) => {
    const doc = { ...JSON.parse(reporters.json(await goldenReport(), opts)), ...change };
    expect(() => reportFromJson(doc, "r.json")).toThrow(ReportFileError);
    expect(() => reportFromJson(doc, "r.json")).toThrow(message);
  });

  it("refuses a finding without a message whose rule has none for its status", () => {
    const doc = JSON.parse(reporters.json(sharedMessages(), opts));
    expect(doc.findings[1].message).toBeUndefined();
    delete doc.rules.r1.messages.fail;
    expect(() => reportFromJson(doc, "r.json")).toThrow(ReportFileError);
    expect(() => reportFromJson(doc, "r.json")).toThrow("r.json: /findings/1 has no message, and rule r1 has none for status fail");
  });

  it("stays within 15 KB per Linux host on the real Debian captures (bench/report-size.js measures the same)", async () => {
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync(process.execPath, ["bench/report-size.js", "100"], { encoding: "utf8" });
    const perHost = Number(/JSON v2 .*?([\d.]+) KB per host/.exec(out)?.[1]);
    expect(perHost).toBeGreaterThan(1);
    expect(perHost).toBeLessThanOrEqual(15);
  }, 60_000);
});

/** Four hosts, one rule: two share a fail message, one has its own, one passes. */
function sharedMessages(): Report {
  const at = (id: string, message: string, status: Finding["status"] = "fail"): Finding => ({ ruleId: "r1", title: "T", severity: "high", status, target: { kind: "host", id }, hipaa: ["164.312(b)"], message, evidence: [], remediation: "x" });
  return {
    ...emptyReport(),
    targets: ["a", "b", "c", "d"].map((id) => ({ kind: "host" as const, id, status: "ok" as const, collector: "c", notes: [] })),
    findings: [at("a", "2 accounts: bob, eve"), at("b", "No idle limit."), at("c", "No idle limit."), at("d", "Idle limit set.", "pass")],
  };
}

function emptyReport(): Report {
  const zero = <K extends string>(ks: readonly K[]) => Object.fromEntries(ks.map((k) => [k, 0])) as Record<K, number>;
  return {
    tool: { name: "hipaa-scan", version: "0" },
    rulePacks: [],
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
    failOn: "high",
    params: {},
    targets: [],
    findings: [],
    ruleDescriptions: {},
    catalog: [],
    summary: {
      byStatus: zero(["fail", "error", "manual", "pass", "not_applicable"] as const),
      bySeverity: zero(["critical", "high", "medium", "low", "info"] as const),
      targets: zero(["ok", "partial", "unreachable", "auth_failed", "host_key_mismatch", "error"] as const),
      gate: { failOn: "high", failed: 0, incomplete: 0, exitCode: 0 },
    },
  };
}
