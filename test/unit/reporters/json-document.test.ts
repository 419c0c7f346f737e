import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReportFileError } from "../../../src/core/errors.js";
import type { DriftFinding, Finding, Report } from "../../../src/core/model.js";
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
    // Drift entries: some for the findings (their text or other text), some for a rule with no finding.
    const entry = fc.record({ of: fc.nat(), ownTitle: fc.boolean(), ownMessage: fc.option(text, { nil: undefined }), gone: fc.boolean(), daysOpen: fc.nat(400) });
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 12 }), fc.array(entry, { maxLength: 6 }), (findings, entries) => {
        const drift: Report["drift"] = { baseline: { runId: "r0", startedAt: golden.startedAt, source: "history" }, findings: { new: [], resolved: [], persisting: [] }, targets: { appeared: [], disappeared: [] }, assets: [] };
        for (const e of entries) {
          const f = findings[e.of % Math.max(1, findings.length)];
          const d: DriftFinding = f && !e.gone
            ? { ruleId: f.ruleId, title: e.ownTitle ? "Renamed" : f.title, severity: f.severity, target: f.target, hipaa: [...f.hipaa], message: e.ownMessage ?? f.message, firstSeen: golden.startedAt, daysOpen: e.daysOpen }
            : { ruleId: "gone", title: "Removed rule", severity: "low", target: { kind: "host", id: "ssh://admin@old-laptop" }, hipaa: ["164.312(b)"], message: e.ownMessage ?? "was failing", firstSeen: golden.startedAt, daysOpen: e.daysOpen };
          (e.gone ? drift.findings.resolved : drift.findings.persisting).push(d);
        }
        const report = { ...golden, findings: findings as unknown as Finding[], ruleDescriptions: { r1: "d1" }, drift };
        const back = roundTrip(report);
        expect(back.findings).toEqual(plain(findings));
        expect(back.drift).toEqual(plain(drift));
        expect(back.ruleDescriptions).toEqual(findings.some((f) => f.ruleId === "r1") ? { r1: "d1" } : {});
      }),
      { numRuns: 200 },
    );
  });

  it("writes drift entries by reference: the rule's text from rules, the message from the finding for the same rule and target", async () => {
    const report = await withDrift();
    const doc = JSON.parse(reporters.json(report, opts));
    const persisting = doc.drift.findings.persisting as Record<string, unknown>[];
    expect(persisting.length).toBe(report.findings.filter((f) => f.status === "fail").length);
    for (const d of persisting) {
      expect(Object.keys(d).sort()).toEqual(["daysOpen", "firstSeen", "ruleId", "target"]);
      expect(typeof d.target).toBe("string");
    }
    // A rule that has no finding in this report (resolved since): its entry keeps its own text.
    expect(doc.drift.findings.resolved).toEqual([{ ruleId: "retired-rule", title: "Retired", severity: "low", target: "ssh://admin@ehr-db", hipaa: ["164.312(b)"], message: "Was failing.", firstSeen: "2026-01-01T00:00:00.000Z", daysOpen: 59 }]);
    // One line per drift entry, as per finding.
    const text = reporters.json(report, opts);
    for (const d of persisting) expect(text).toContain(`\n        ${JSON.stringify(d)}`);
    expect(roundTrip(report)).toEqual(plain(report));
    const v2 = schema("report.schema.json");
    expect(v2(doc) ? [] : v2.errors).toEqual([]);
  });

  it("refuses a drift entry without a message when this report has no finding for its rule and target", async () => {
    const doc = JSON.parse(reporters.json(await withDrift(), opts));
    delete doc.drift.findings.resolved[0].message;
    expect(() => reportFromJson(doc, "r.json")).toThrow("r.json: /drift/findings/resolved/0 has no message, and no finding of rule retired-rule on ssh://admin@ehr-db has one");
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

  it("stays within 15 KB per Linux host on the real Debian captures, first run and second (with drift), as bench/report-size.js measures", async () => {
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync(process.execPath, ["bench/report-size.js", "500"], { encoding: "utf8" });
    const perHost = [...out.matchAll(/JSON v2 .*?([\d.]+) KB per host/g)].map((m) => Number(m[1]));
    const v1 = [...out.matchAll(/JSON v1 .*?([\d.]+) KB per host/g)].map((m) => Number(m[1]));
    expect(perHost).toHaveLength(2);
    for (const kb of perHost) {
      expect(kb).toBeGreaterThan(1);
      expect(kb).toBeLessThanOrEqual(15);
    }
    // Version 1 on the same hosts, for scale: the repeated rule text was most of it.
    expect(v1.every((kb, i) => kb > 3 * perHost[i]!)).toBe(true);
  }, 120_000);
});

/** The golden report as a second run sees it: every failing finding persists, one retired rule resolved. */
async function withDrift(): Promise<Report> {
  const report = await goldenReport();
  const entry = (f: Finding): DriftFinding => ({ ruleId: f.ruleId, title: f.title, severity: f.severity, target: f.target, hipaa: f.hipaa, message: f.message, firstSeen: "2026-02-01T00:00:00.000Z", daysOpen: 28 });
  const resolved: DriftFinding = { ruleId: "retired-rule", title: "Retired", severity: "low", target: { kind: "host", id: "ssh://admin@ehr-db" }, hipaa: ["164.312(b)"], message: "Was failing.", firstSeen: "2026-01-01T00:00:00.000Z", daysOpen: 59 };
  return {
    ...report,
    drift: {
      baseline: { runId: "run-1", startedAt: "2026-02-01T00:00:00.000Z", source: "history" },
      findings: { new: [], resolved: [resolved], persisting: report.findings.filter((f) => f.status === "fail").map(entry) },
      targets: { appeared: [], disappeared: [] },
      assets: [{ target: "ssh://admin@ehr-db", kind: "accounts", added: ["eve"], removed: [] }],
    },
  };
}

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
