// JSON report bytes per Linux host, schema version 1 (every finding repeats its rule's title,
// remediation, citations) against version 2 (rule metadata, and the messages and evidence sources
// findings share, once in `rules`). The hosts replay the
// five real Debian 12 probe captures in fixtures/linux/ (see each PROVENANCE.md), evaluated with
// the built-in rule packs. No network, no root. Run: npm run build && node bench/report-size.js [hosts]
import { readFileSync } from "node:fs";
import { ROOT, requireBuild } from "./lib.js";

requireBuild();
const HOSTS = Number(process.argv[2] ?? 200);
const CASES = ["debian12-root", "debian12-nonroot", "debian12-hardened", "debian12-hardened-nonroot", "debian12-root-aptget"];
const { parseLinux } = await import(`${ROOT}dist/probes/linux/index.js`);
const { splitSections } = await import(`${ROOT}dist/probes/sections.js`);
const { prepare, evaluateFacts } = await import(`${ROOT}dist/pipeline.js`);
const { reporters } = await import(`${ROOT}dist/reporters/index.js`);
const { plainStyle } = await import(`${ROOT}dist/reporters/types.js`);

const captures = CASES.map((name) => {
  const dir = `${ROOT}fixtures/linux/${name}/`;
  const mark = readFileSync(`${dir}mark.txt`, "utf8").trim();
  const date = /date=(\S+)/.exec(readFileSync(`${dir}run.txt`, "utf8"))[1];
  return { date, ...parseLinux(splitSections(readFileSync(`${dir}probe-output.txt`, "utf8"), mark), new Date(date)) };
});
const targets = Array.from({ length: HOSTS }, (_, i) => {
  const c = captures[i % captures.length];
  return { target: { kind: "host", id: `ssh://scan@10.20.${i >> 8}.${i & 255}` }, status: "ok", collector: "host/ssh", collectedAt: c.date, tags: {}, facts: c.facts, sources: c.sources, notes: [] };
});
const now = new Date().toISOString();
const facts = { format: "hipaa-scan-facts", schemaVersion: 1, tool: { name: "hipaa-scan", version: "bench" }, startedAt: now, finishedAt: now, targets };
const run = { rulePaths: [], params: {}, failOn: "high" };
const report = evaluateFacts(facts, run, await prepare(run));
// The next night's run of the same fleet, as cron with history makes it: a drift section in which
// every failing finding persists.
const { computeDrift, recordFromReport } = await import(`${ROOT}dist/history/drift.js`);
const record = recordFromReport(report);
const second = { ...report, drift: computeDrift(record, { record, source: "history" }) };

const v1Bytes = (r) => {
  const { ruleDescriptions: _v2only, ...v1 } = r;
  return Buffer.byteLength(`${JSON.stringify(v1, null, 2)}\n`);
};
const v2Bytes = (r) => Buffer.byteLength(reporters.json(r, { verbose: false, style: plainStyle }));
const hostFindings = report.findings.filter((f) => f.target.kind === "host").length;
const kb = (b) => (b / HOSTS / 1024).toFixed(1);
const line = (what, b, than) => `  ${what} ${(b / 1e6).toFixed(2)} MB, ${kb(b)} KB per host${than ? ` (${((1 - b / than) * 100).toFixed(0)}% smaller)` : ""}`;
console.log(`${HOSTS} Linux hosts (5 real captures), ${hostFindings} host findings (${(hostFindings / HOSTS).toFixed(0)} per host)`);
const [a, b] = [v1Bytes(report), v2Bytes(report)];
console.log(line("JSON v1 (rule text in every finding):", a));
console.log(line("JSON v2 (rules map, findings by id): ", b, a));
const [c, d] = [v1Bytes(second), v2Bytes(second)];
console.log(`  with drift (a second run: ${second.drift.findings.persisting.length} failing findings persist):`);
console.log(line("JSON v1 with drift:", c));
console.log(line("JSON v2 with drift:", d, c));
