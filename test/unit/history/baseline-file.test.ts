import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeDrift, recordFromReport } from "../../../src/history/drift.js";
import { HistoryError } from "../../../src/history/errors.js";
import { resolveBaseline } from "../../../src/history/session.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { goldenReport } from "../../helpers/golden-report.js";

/**
 * `--baseline REPORT.json` reads a saved report through src/report/read.ts, so a report written
 * by this version (schema 2, rules once) and one written before it (schema 1,
 * test/data/report-v1.json: the golden report as version 1 wrote it) give the same baseline.
 */
const V1 = new URL("../../data/report-v1.json", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "hs-baseline-"));

describe("--baseline REPORT.json", () => {
  it("reads version 2 and version 1 reports into the same baseline findings", async () => {
    const v2 = join(dir, "v2.json");
    writeFileSync(v2, reporters.json(await goldenReport(), { verbose: false, style: plainStyle }));
    const fromV2 = await resolveBaseline(undefined, v2, "");
    const fromV1 = await resolveBaseline(undefined, V1, "");
    expect(fromV2?.source).toBe("file");
    expect(fromV2!.record.findings.length).toBeGreaterThan(0);
    expect(fromV2!.record.findings).toEqual(fromV1!.record.findings);
    // The same findings again: nothing new, nothing resolved, every failing one persists.
    const current = recordFromReport(await goldenReport());
    const drift = computeDrift(current, fromV1!);
    expect(drift.findings.new).toEqual([]);
    expect(drift.findings.resolved).toEqual([]);
    expect(drift.findings.persisting.map((d) => d.ruleId)).toEqual(current.findings.filter((f) => f.status === "fail").map((f) => f.ruleId));
  });

  it.each([
    ["not JSON", "{", /^--baseline .*bad\.json: not a JSON report \(/],
    ["another tool's JSON", JSON.stringify({ findings: [], targets: [] }), /^--baseline .*bad\.json is not a hipaa-scan JSON report$/],
    ["a later schema version", JSON.stringify({ format: "hipaa-scan-report", schemaVersion: 3, tool: { name: "hipaa-scan", version: "9" }, findings: [] }), /report schema version 3; this hipaa-scan reads versions 1 and 2/],
  ])("refuses %s with one line", async (_what, text, message) => {
    const file = join(dir, "bad.json");
    writeFileSync(file, text);
    const err = await resolveBaseline(undefined, file, "").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });
});
