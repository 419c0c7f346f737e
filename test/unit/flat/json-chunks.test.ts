import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeOutput } from "../../../src/cli/output.js";
import type { Report } from "../../../src/core/model.js";
import { reporters } from "../../../src/reporters/index.js";
import { jsonChunks } from "../../../src/reporters/json-chunks.js";
import { chunkedReporters } from "../../../src/reporters/streaming.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { reportFromJson } from "../../../src/report/read.js";

const golden = (): Report => reportFromJson(JSON.parse(readFileSync(new URL("../../golden/report.json", import.meta.url), "utf8")), "golden");
const options = { verbose: false, style: plainStyle };

describe("JSON a piece at a time", () => {
  it("gives exactly JSON.stringify(value, null, 2) for any JSON value, at any walking depth", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 0, max: 6 }), (value, depth) => {
        expect([...jsonChunks(value, "  ", depth)].join("")).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it("leaves out what JSON.stringify leaves out and writes what it writes for undefined in arrays and toJSON", () => {
    const value = { a: undefined, b: [undefined, () => 1, 2], c: { d: undefined }, e: new Date(0), f: [], g: {}, h: "line\nbreak" };
    expect([...jsonChunks(value)].join("")).toBe(JSON.stringify(value, null, 2));
  });

  it("the chunked JSON reporter gives the JSON reporter's text, escapes included, on the golden report", () => {
    const report = golden();
    expect([...chunkedReporters.json!(report, options)].join("")).toBe(reporters.json(report, options));
    // Characters a terminal acts on are escaped the same way in pieces as in one string.
    const hostile = { ...report, targets: report.targets.map((t, i) => (i === 0 ? { ...t, notes: ["next\u0085line \u202eevil\u2028x \u009b31m"] } : t)) };
    const whole = reporters.json(hostile, options);
    expect(whole).toContain("\\u202e");
    expect([...chunkedReporters.json!(hostile, options)].join("")).toBe(whole);
  });

  it("every chunked reporter gives its format's text", () => {
    const report = golden();
    for (const [format, chunked] of Object.entries(chunkedReporters)) {
      expect([...chunked!(report, options)].join(""), format).toBe(reporters[format as keyof typeof reporters](report, options));
    }
  });

  it("a chunked report is written to a 0600 file in one atomic rename", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hs-chunks-"));
    const out = join(dir, "report.json");
    const pieces = Array.from({ length: 3000 }, (_, i) => `${"x".repeat(700)}${i}\n`); // more than one write batch
    await writeOutput(out, { chunks: pieces });
    expect(readFileSync(out, "utf8")).toBe(pieces.join(""));
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});
