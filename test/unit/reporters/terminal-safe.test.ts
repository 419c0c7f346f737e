import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FactsDocument } from "../../../src/core/model.js";
import { evaluateRules } from "../../../src/engine/evaluate.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { buildReport } from "../../../src/report/build.js";
import { FORMATS, reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { cli } from "../../helpers/cli.js";
import { ruleYaml, writePack } from "../../helpers/packs.js";
import { factsOf } from "../../helpers/facts.js";

// Retitles the terminal, clears it, then a NUL; plus an 8-bit CSI and a right-to-left override.
const HOSTILE = "\u001b]0;pwned\u0007\u001b[2Jhost\u0000";
const C1 = "\u009b2J";
const RLO = "\u202e";
// eslint-disable-next-line no-control-regex
const TERMINAL_ACTS_ON = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const data = (f: string) => new URL(`../../data/${f}`, import.meta.url).pathname;

function hostileFacts(): FactsDocument {
  const doc = JSON.parse(readFileSync(data("golden-facts.json"), "utf8")) as FactsDocument;
  const [a, b, c] = doc.targets;
  a!.target.id = HOSTILE;
  a!.notes.push(`note ${HOSTILE}`);
  a!.tags = { [`k${HOSTILE}`]: `v${C1}` };
  const accounts = factsOf(a!, "host").accounts as { users: { name: string }[]; privileged: string[] };
  accounts.users[1]!.name = `toor${HOSTILE}${RLO}`;
  accounts.privileged[1] = `toor${HOSTILE}${RLO}`;
  b!.target.id = `ehr${C1}`;
  c!.target.id = `old${HOSTILE}`;
  c!.statusReason = `refused ${HOSTILE}${C1}`;
  return doc;
}

async function hostileReport() {
  const ruleSet = await loadRuleSet([data("golden-pack")], { builtin: false });
  const facts = hostileFacts();
  const findings = evaluateRules(ruleSet.rules, facts.targets, {});
  findings[0]!.alternative = { id: "alt", justification: `VPN ${HOSTILE}`, owner: `it${C1}`, reviewBy: "2030-01-01", expired: false } as never;
  return buildReport({ facts, findings, ruleSet, params: {}, failOn: "high", tool: { name: "hipaa-scan", version: "0.0.0-test" }, finishedAt: "2026-03-01T09:00:06.000Z" });
}

describe("text from outside this program cannot drive the terminal", () => {
  it.each(FORMATS)("%s output carries no escape sequence or control character", async (format) => {
    const report = await hostileReport();
    const out = reporters[format](report, { verbose: true, style: plainStyle });
    expect(out.replace(/\r\n/g, "\n")).not.toMatch(TERMINAL_ACTS_ON);
    expect(out).not.toContain("\u001b");
    expect(out).not.toContain("\u009b");
    expect(out).not.toContain("\u202e");
    expect(out).not.toContain("\u0000");
    if (format === "text" || format === "markdown" || format === "csv" || format === "html") expect(out).toContain("UID 0: toorhost");
  });

  it("machine formats keep the values exactly (escaped, not dropped)", async () => {
    const report = await hostileReport();
    const json = JSON.parse(reporters.json(report, { verbose: false, style: plainStyle }));
    expect(json.targets[0].id).toBe(HOSTILE);
    expect(json.targets[1].id).toBe(`ehr${C1}`);
    const sarif = reporters.sarif(report, { verbose: false, style: plainStyle });
    expect(sarif).toContain("\\u009b");
    expect(report.targets[0]!.id).toBe(HOSTILE); // the report model itself is not changed
  });

  it("evaluate of a hostile facts file prints nothing a terminal acts on", () => {
    const dir = mkdtempSync(join(tmpdir(), "hs-esc-"));
    const file = join(dir, "facts.json");
    writeFileSync(file, JSON.stringify(hostileFacts()));
    for (const format of ["text", "markdown", "csv"]) {
      const r = cli(["evaluate", file, "--rules", data("golden-pack"), "--format", format, "--verbose"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("toorhost");
      // eslint-disable-next-line no-control-regex
      expect(r.stdout + r.stderr).not.toMatch(/[\u0000\u0007\u001b\u009b\u202e]/);
    }
  }, 120_000);

  it("rules test and rules show print a pack's text without its escapes", () => {
    const dir = writePack({
      "t/r.yaml": ruleYaml("r", {
        title: 'title: "Title \\e]0;pwned\\a\\e[2Jhere"',
        tests: ["tests:", '  - name: "case \\e]0;pwned\\a one"', "    facts: { audit: { auditd: { active: true } } }", "    expect: pass", "  - name: two", "    facts: { audit: { auditd: { active: false } } }", "    expect: fail"].join("\n"),
      }),
    });
    const t = cli(["rules", "test", dir, "--verbose"]);
    expect(t.stdout).toMatch(/case {2}one/);
    const s = cli(["rules", "show", "r", "--rules", dir]);
    expect(s.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    for (const out of [t.stdout, s.stdout]) expect(out).not.toMatch(/[\u0007\u001b]/);
  }, 120_000);
});
