import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FactsDocument } from "../../../src/core/model.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { evaluateFacts, prepare } from "../../../src/pipeline.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { LAB_INVENTORY, factsFromCapture } from "../nmap/helpers.js";

/** A report over the real lab capture of the flat subnet (fixtures/nmap/flat-standard.xml). */
async function networkReport() {
  const target = factsFromCapture("flat-standard.xml", { target: "10.77.1.0/24", inventory: LAB_INVENTORY });
  const facts: FactsDocument = { format: "hipaa-scan-facts", schemaVersion: 1, tool: { name: "hipaa-scan", version: "test" }, startedAt: target.collectedAt, finishedAt: target.collectedAt, targets: [target] };
  const run = { rulePaths: [], params: {}, failOn: "high" as const };
  return evaluateFacts(facts, run, await prepare(run));
}

describe("the network map in reports", () => {
  it("is carried in the JSON report, valid against the report schema", async () => {
    const report = await networkReport();
    const schema = JSON.parse(readFileSync(new URL("../../../schemas/report.schema.json", import.meta.url), "utf8"));
    const validate = makeAjv().compile(schema);
    expect(validate(JSON.parse(reporters.json(report, { verbose: false, style: plainStyle }))) ? [] : validate.errors).toEqual([]);
    const seg = report.network!.segments.find((s) => s.subnet === "10.77.1.0/24")!;
    expect(Object.keys(seg.classes)).toEqual(expect.arrayContaining(["ephi-server", "printer", "medical-modality", "camera"]));
  });

  it("is printed as a per-subnet table of classes in the text report", async () => {
    const text = reporters.text(await networkReport(), { verbose: false, style: plainStyle });
    expect(text).toMatch(/^Network map\n {2}Subnet\s+Class\s+Hosts\s+Addresses$/m);
    expect(text).toMatch(/^ {2}10\.77\.1\.0\/24.*ephi-server\s+1\s+10\.77\.1\.10$/m);
    expect(text).toMatch(/^ {2}\s+printer\s+\d+\s+10\.77\.1\./m);
  });

  it("is left out when no network was scanned", async () => {
    const target = factsFromCapture("flat-standard.xml", { target: "10.77.1.0/24" });
    expect(target.target.kind).toBe("network");
    const facts: FactsDocument = { format: "hipaa-scan-facts", schemaVersion: 1, tool: { name: "hipaa-scan", version: "t" }, startedAt: target.collectedAt, finishedAt: target.collectedAt, targets: [] };
    const run = { rulePaths: [], params: {}, failOn: "high" as const };
    expect(evaluateFacts(facts, run, await prepare(run)).network).toBeUndefined();
  });
});
