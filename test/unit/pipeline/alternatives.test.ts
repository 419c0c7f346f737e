import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigFileError } from "../../../src/core/errors.js";
import { evaluateFacts, prepare, readFactsFile } from "../../../src/pipeline.js";

const data = (f: string) => new URL(`../../data/${f}`, import.meta.url).pathname;
function file(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), "hs-alt-")), "alternatives.yaml");
  writeFileSync(f, text);
  return f;
}
const run = (alternatives: string) => ({ rulePaths: [data("golden-pack")], params: {}, failOn: "medium" as const, alternatives });

describe("documented alternative measures", () => {
  it("cover a failing addressable finding: still shown as fail, no longer failing the gate", async () => {
    const alt = file(`alternatives:
  - rule: golden-tmout
    targets: ["ssh://admin@frontdesk-pc"]
    justification: The front-desk kiosk runs a locked single-app session that ends on badge removal.
    owner: Practice manager
    reviewBy: 2999-01-01
`);
    const r = run(alt);
    const prepared = await prepare(r);
    const report = evaluateFacts(await readFactsFile(data("golden-facts.json")), r, prepared);
    const tmout = report.findings.find((f) => f.ruleId === "golden-tmout" && f.target.id === "ssh://admin@frontdesk-pc")!;
    expect(tmout.status).toBe("fail");
    expect(tmout.alternative).toEqual({ justification: expect.stringContaining("badge removal"), owner: "Practice manager", reviewBy: "2999-01-01" });
    const failing = report.findings.filter((f) => f.status === "fail" && !f.alternative && ["critical", "high", "medium"].includes(f.severity));
    expect(report.summary.gate.failed).toBe(failing.length);
  });

  it("stop counting past their review date", async () => {
    const alt = file(`alternatives:
  - rule: golden-tmout
    justification: The front-desk kiosk runs a locked single-app session that ends on badge removal.
    owner: Practice manager
    reviewBy: 2020-01-01
`);
    const r = run(alt);
    const report = evaluateFacts(await readFactsFile(data("golden-facts.json")), r, await prepare(r));
    const tmout = report.findings.find((f) => f.ruleId === "golden-tmout" && f.status === "fail")!;
    expect(tmout.alternative).toBeUndefined();
    expect(tmout.message).toMatch(/due for review on 2020-01-01 and no longer counts/);
  });

  it("are refused for rules that cite a Required specification, with the line", async () => {
    const alt = file(`alternatives:
  - rule: golden-uid0
    justification: We think it is fine for now, honestly.
    owner: IT
    reviewBy: 2999-01-01
`);
    await expect(prepare(run(alt))).rejects.toThrow(ConfigFileError);
    await expect(prepare(run(alt))).rejects.toThrow(/alternatives\.yaml:2:11: golden-uid0 cites 164\.312\(a\)\(2\)\(i\), which is not addressable/);
  });

  it("are refused when the file names an unknown rule or field", async () => {
    await expect(prepare(run(file("alternatives:\n  - rule: nope\n    justification: long enough justification text\n    owner: IT\n    reviewBy: 2999-01-01\n")))).rejects.toThrow(/:2:11: no rule "nope"/);
    await expect(prepare(run(file("alternatives:\n  - rule: golden-tmout\n    owner: IT\n    reviewBy: 2999-01-01\n    justfication: x\n")))).rejects.toThrow(/justfication/);
  });
});
