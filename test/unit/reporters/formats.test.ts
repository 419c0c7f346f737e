import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Finding, Report } from "../../../src/core/model.js";
import { reporters } from "../../../src/reporters/index.js";
import { CSV_COLUMNS } from "../../../src/reporters/csv.js";
import { md, mdWithCode } from "../../../src/reporters/escape.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { goldenReport } from "../../helpers/golden-report.js";

// Both are CommonJS; under NodeNext their default exports arrive wrapped.
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as typeof AjvDraft04Module.default;
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

const golden = (f: string) => new URL(`../../golden/${f}`, import.meta.url).pathname;
const opts = { verbose: false, style: plainStyle };

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function expectGolden(name: string, text: string) {
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden(name), text);
  expect(text).toBe(readFileSync(golden(name), "utf8"));
}

/** The golden report with one finding's remote text replaced. */
async function withHostileFinding(patch: Partial<Finding>): Promise<Report> {
  const report = await goldenReport();
  const i = report.findings.findIndex((f) => f.ruleId === "golden-root-login" && f.status === "fail");
  const base = report.findings[i];
  if (!base) throw new Error("golden report lost its failing root-login finding");
  report.findings[i] = { ...base, ...patch };
  return report;
}

const HOSTILE = `<script>alert("x")</script> & "quoted" 'single' <img src=x onerror=alert(1)>`;

describe("new formats match their golden files", () => {
  it("sarif", async () => expectGolden("report.sarif.json", reporters.sarif(await goldenReport(), opts)));
  it("csv", async () => expectGolden("report.csv", reporters.csv(await goldenReport(), opts)));
  it("markdown", async () => expectGolden("report.md", reporters.markdown(await goldenReport(), opts)));
  it("html", async () => expectGolden("report.html", reporters.html(await goldenReport(), opts)));
});

describe("an empty report", () => {
  it("renders in every new format: nothing failed, no targets, gate passed", async () => {
    const report = await goldenReport("none");
    report.targets = [];
    report.findings = [];
    report.summary = {
      ...report.summary,
      byStatus: { fail: 0, error: 0, manual: 0, pass: 0, not_applicable: 0 },
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      targets: { ok: 0, partial: 0, unreachable: 0, auth_failed: 0, host_key_mismatch: 0, error: 0 },
      gate: { failOn: "none", failed: 0, incomplete: 0, exitCode: 0 },
    };
    const sarif = JSON.parse(reporters.sarif(report, opts));
    expect(sarif.runs[0]).toMatchObject({ results: [], invocations: [{ executionSuccessful: true }] });
    expect(reporters.csv(report, opts)).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
    expect(reporters.markdown(report, opts)).toContain("**Passed the gate (--fail-on none)**");
    const html = reporters.html(report, opts);
    expect(html).toContain(`class="verdict verdict-passed"`);
    expect(html).toContain("No automated checks produced findings.");
  });
});

describe("sarif", () => {
  // The OASIS SARIF 2.1.0 schema (rtm.5, draft-04) as shipped by Microsoft's @microsoft/jest-sarif.
  const schemaPath = createRequire(import.meta.url).resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  // unicodeRegExp off: the schema's `language` pattern has a stray `]` that only non-unicode regexes accept.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  (addFormats as unknown as (a: InstanceType<typeof AjvDraft04>) => void)(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));

  it("validates against the SARIF 2.1.0 JSON schema", async () => {
    const log = JSON.parse(reporters.sarif(await goldenReport(), opts));
    expect(validate(log) ? [] : validate.errors).toEqual([]);
  });

  it("still validates with a documented alternative measure (a suppression)", async () => {
    const report = await withHostileFinding({ alternative: { justification: "VPN only", owner: "IT lead", reviewBy: "2026-12-31" } });
    const log = JSON.parse(reporters.sarif(report, opts));
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const suppressed = log.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions[0]).toMatchObject({ kind: "external", status: "accepted" });
  });

  it("maps fail to kind fail with a level from severity, error to kind open, and leaves other statuses out", async () => {
    const report = await goldenReport();
    const log = JSON.parse(reporters.sarif(report, opts));
    const results = log.runs[0].results as { ruleId: string; kind: string; level: string; locations: { logicalLocations: { name: string }[] }[] }[];
    const byKey = new Map(results.map((r) => [`${r.ruleId}@${r.locations[0]?.logicalLocations[0]?.name}`, r]));
    expect(byKey.get("golden-uid0@ssh://admin@frontdesk-pc")).toMatchObject({ kind: "fail", level: "error" }); // critical
    expect(byKey.get("golden-root-login@ssh://admin@ehr-db")).toMatchObject({ kind: "fail", level: "error" }); // high
    expect(byKey.get("golden-tmout@ssh://admin@frontdesk-pc")).toMatchObject({ kind: "fail", level: "warning" }); // medium
    expect(byKey.get("golden-auditd@ssh://admin@frontdesk-pc")).toMatchObject({ kind: "open", level: "none" });
    const expected = report.findings.filter((f) => f.status === "fail" || f.status === "error").length;
    expect(results).toHaveLength(expected);
  });

  it("maps low and info failures to note", async () => {
    const report = await goldenReport();
    report.findings = report.findings.map((f) => (f.ruleId === "golden-tmout" && f.status === "fail" ? { ...f, severity: "low" } : f));
    const log = JSON.parse(reporters.sarif(report, opts));
    expect(log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "golden-tmout")).toMatchObject({ level: "note" });
  });

  it("describes each rule once, with citations as tags and the fix as help", async () => {
    const log = JSON.parse(reporters.sarif(await goldenReport(), opts));
    const rules = log.runs[0].tool.driver.rules as { id: string; properties: { tags: string[] }; help: { text: string } }[];
    expect(rules.map((r) => r.id).sort()).toEqual(["golden-auditd", "golden-root-login", "golden-tmout", "golden-uid0"]);
    expect(rules.find((r) => r.id === "golden-root-login")).toMatchObject({ properties: { tags: ["164.312(d)", "164.312(a)(2)(i)"] }, help: { text: "Set PermitRootLogin no in /etc/ssh/sshd_config" } });
    for (const r of log.runs[0].results) expect(rules[r.ruleIndex]?.id).toBe(r.ruleId);
  });

  it("fingerprints results by rule and target, the same across runs and different between targets", async () => {
    const a = JSON.parse(reporters.sarif(await goldenReport(), opts)).runs[0].results;
    const later = await goldenReport();
    later.findings.reverse();
    later.finishedAt = "2026-04-01T00:00:00.000Z";
    const b = JSON.parse(reporters.sarif(later, opts)).runs[0].results;
    const fp = (rs: { ruleId: string; partialFingerprints: Record<string, string>; locations: { logicalLocations: { name: string }[] }[] }[]) =>
      new Map(rs.map((r) => [`${r.ruleId}@${r.locations[0]?.logicalLocations[0]?.name}`, Object.values(r.partialFingerprints)[0]]));
    expect(fp(b)).toEqual(fp(a));
    const values = [...fp(a).values()];
    expect(new Set(values).size).toBe(values.length);
  });

  it("reports unreachable targets as notifications and an unsuccessful execution", async () => {
    const log = JSON.parse(reporters.sarif(await goldenReport(), opts));
    const inv = log.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: "error", properties: expect.objectContaining({ status: "unreachable", reason: "connect ECONNREFUSED 10.0.0.9:22" }) }),
    ]);
    const allOk = await goldenReport();
    allOk.targets = allOk.targets.filter((t) => t.status === "ok");
    expect(JSON.parse(reporters.sarif(allOk, opts)).runs[0].invocations[0]).toMatchObject({ executionSuccessful: true, toolExecutionNotifications: [] });
  });
});

describe("csv", () => {
  it("has the documented header, CRLF line ends and one row per finding plus unchecked targets", async () => {
    const report = await goldenReport();
    const text = reporters.csv(report, opts);
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    expect(text.replace(/\r\n/g, "")).not.toMatch(/\n/);
    const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(report.findings.length + 1);
    expect(rows.at(-1)).toMatchObject({ target: "ssh://admin@old-laptop", status: "error", rule_id: "", message: "unreachable: connect ECONNREFUSED 10.0.0.9:22" });
  });

  it("quotes commas, quotes and line breaks (RFC 4180) and reads back the same text", async () => {
    const message = `a, "b"\nc\r\nd`;
    const text = reporters.csv(await withHostileFinding({ message }), opts);
    expect(text).toContain(`"a, ""b""\nc\r\nd"`);
    const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.rule_id === "golden-root-login" && r.status === "fail")?.message).toBe(message);
  });

  it("defuses spreadsheet formulas in any cell", async () => {
    const report = await withHostileFinding({ message: '=HYPERLINK("http://x","y")', title: "+1+1", remediation: "-2+3", alternative: { justification: "j", owner: "@SUM(A1)", reviewBy: "\t=1" } });
    const rows = parseCsv(reporters.csv(report, opts), { columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r.rule_id === "golden-root-login" && r.status === "fail");
    expect(row).toMatchObject({ message: `'=HYPERLINK("http://x","y")`, title: "'+1+1", remediation: "'-2+3", alternative_owner: "'@SUM(A1)", alternative_review_by: "'\t=1" });
    expect(rows.find((r) => r.rule_id === "golden-uid0")?.message).toBe("Other accounts with UID 0: toor.");
  });
});

describe("markdown", () => {
  it("escapes markup characters and line breaks in remote text", () => {
    expect(md("a|b *c* _d_ `e` <f> [g](h) \\ & ~i~ $j$")).toBe("a\\|b \\*c\\* \\_d\\_ \\`e\\` \\<f\\> \\[g\\](h) \\\\ \\& \\~i\\~ \\$j\\$");
    expect(md("one\ntwo\r\nthree")).toBe("one two three");
  });

  it("keeps backtick commands in remediation as code spans and escapes the rest", () => {
    expect(mdWithCode("Run `a | b <c>` then *restart*\nnow")).toBe("Run `a | b <c>` then \\*restart\\* now");
    expect(mdWithCode("unpaired ` <x>")).toBe("unpaired \\` \\<x\\>");
  });

  it("keeps a hostile message on its own table-safe line", async () => {
    const out = reporters.markdown(await withHostileFinding({ message: `x | y\n# heading <script>` }), opts);
    const line = out.split("\n").find((l) => l.includes("golden-root-login") && l.includes("FAIL"));
    expect(line).toBe("- **FAIL** high · ssh://admin@ehr-db · golden-root-login — x \\| y # heading \\<script\\>");
    expect(out).not.toContain("<script>");
  });

  it("lists passes only with --verbose", async () => {
    const report = await goldenReport();
    expect(reporters.markdown(report, opts)).not.toContain("**PASS**");
    expect(reporters.markdown(report, { ...opts, verbose: true })).toContain("**PASS** critical · ssh://admin@ehr-db · golden-uid0");
  });
});

describe("html", () => {
  it("escapes hostile remote text everywhere it appears", async () => {
    const report = await withHostileFinding({ message: HOSTILE, title: HOSTILE, remediation: HOSTILE, evidence: [{ fact: HOSTILE, observed: HOSTILE, expected: HOSTILE, source: HOSTILE }] });
    report.targets[2] = { ...report.targets[2]!, statusReason: HOSTILE, notes: [HOSTILE] };
    const html = reporters.html(report, opts);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain(`"quoted"`);
    const escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39; &lt;img src=x onerror=alert(1)&gt;";
    // title, message, remediation, evidence (4 cells), target reason and note
    expect(html.split(escaped).length - 1).toBe(9);
  });

  it("shows backtick commands in remediation as <code> without letting markup through", async () => {
    const html = reporters.html(await withHostileFinding({ remediation: "Run `<script>x</script>` & `b`, then ` <i>" }), opts);
    expect(html).toContain("Run <code>&lt;script&gt;x&lt;/script&gt;</code> &amp; <code>b</code>, then ` &lt;i&gt;");
  });

  it("is self-contained: a strict CSP, no scripts, no external resources", async () => {
    const html = reporters.html(await goldenReport(), opts);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(?:src|href)=/i);
    expect(html).toContain("@media print");
  });

  it("shows the verdict, evidence in <details>, the manual checklist and the catalog", async () => {
    const html = reporters.html(await goldenReport(), opts);
    expect(html).toContain(`class="verdict verdict-failed"`);
    expect(html).toContain("Failed the gate: 2 failing finding(s) at or above high");
    expect(html).toMatch(/<details class="evidence"><summary>Evidence \(1\)<\/summary>/);
    expect(html).toMatch(/<ul class="checklist">\n<li><label><input type="checkbox"> <span class="cite">164\.312\(a\)\(2\)\(ii\)<\/span> <strong>Emergency access procedure<\/strong>/);
    expect(html).toMatch(/<td class="mono">164\.312\(a\)\(2\)\(iii\)<\/td><td>Automatic logoff<\/td><td>Addressable<\/td><td class="mono">golden-tmout<\/td><td><span class="badge st-fail">Failed<\/span>/);
  });
});
