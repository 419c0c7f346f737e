import type { Finding } from "../core/model.js";
import { formatValue } from "../core/format-value.js";
import type { Reporter } from "./types.js";

/**
 * JUnit XML for CI systems: a testsuite per target, a testcase per finding. fail → failure,
 * error → error, not_applicable and manual → skipped.
 */
export const junitReporter: Reporter = (report) => {
  const byTarget = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = `${f.target.kind}:${f.target.id}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), f]);
  }
  // Targets that yielded no findings (unreachable…) still appear, with one error case saying why.
  for (const t of report.targets) if (t.status !== "ok" && !byTarget.has(`${t.kind}:${t.id}`)) byTarget.set(`${t.kind}:${t.id}`, []);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errorCount = 0;
  for (const [key, findings] of byTarget) {
    const [kind, ...rest] = key.split(":");
    const id = rest.join(":");
    const target = report.targets.find((t) => t.kind === kind && t.id === id);
    const cases = findings.map(testcase);
    if (target && target.status !== "ok") {
      cases.unshift(
        `    <testcase classname="${esc(`target.${kind}`)}" name="${esc(`${id}: target ${target.status}`)}">\n` +
          `      <error type="${esc(target.status)}" message="${esc(target.statusReason ?? target.status)}"/>\n    </testcase>`,
      );
    }
    const count = (s: string) => findings.filter((f) => f.status === s).length;
    const errors = count("error") + (target && target.status !== "ok" ? 1 : 0);
    tests += cases.length;
    failures += count("fail");
    errorCount += errors;
    suites.push(
      `  <testsuite name="${esc(`${kind} ${id}`)}" tests="${cases.length}" failures="${count("fail")}" errors="${errors}" ` +
        `skipped="${count("not_applicable") + count("manual")}" timestamp="${esc(report.startedAt)}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="hipaa-scan ${esc(report.tool.version)}" tests="${tests}" failures="${failures}" errors="${errorCount}">\n` +
    `${suites.join("\n")}\n</testsuites>\n`
  );
};

function testcase(f: Finding): string {
  const open = `    <testcase classname="${esc(`hipaa.${f.ruleId}`)}" name="${esc(`${f.ruleId}: ${f.title}`)}">`;
  const detail = esc(
    [f.message, `HIPAA: ${f.hipaa.join(", ")}`, ...f.evidence.map((e) => `${e.fact}: ${formatValue(e.observed)}${e.expected ? ` (expected ${e.expected})` : ""}`), `Remediation: ${f.remediation}`].join("\n"),
  );
  switch (f.status) {
    case "fail":
      return `${open}\n      <failure type="${f.severity}" message="${esc(f.message)}">${detail}</failure>\n    </testcase>`;
    case "error":
      return `${open}\n      <error type="error" message="${esc(f.message)}">${detail}</error>\n    </testcase>`;
    case "not_applicable":
    case "manual":
      return `${open}\n      <skipped message="${esc(`${f.status}: ${f.message}`)}"/>\n    </testcase>`;
    default:
      return `${open}</testcase>`;
  }
}

/** XML-escapes text and drops characters XML 1.0 cannot carry. */
function esc(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
