import type { Drift, DriftFinding, Report } from "../core/model.js";
import type { TextStyle } from "./types.js";

/**
 * The drift and history sections every human-readable report shares: text lines, Markdown lines
 * and an HTML section with a trend picture (inline SVG, failing findings per safeguard over the last
 * runs). Pure; callers escape nothing — these functions escape what they take from the report.
 */

const fmt = (d: DriftFinding) => `${d.severity} ${d.target.id} ${d.ruleId} — ${d.message} (first seen ${d.firstSeen.slice(0, 10)}, ${d.daysOpen} day(s) open)`;

export function renderDriftText(drift: Drift, style: TextStyle): string[] {
  const lines = [style.bold(`Drift since run ${drift.baseline.runId} (${drift.baseline.startedAt})`)];
  const f = drift.findings;
  lines.push(`  ${f.new.length} new, ${f.resolved.length} resolved, ${f.persisting.length} still failing`);
  for (const d of f.new) {
    lines.push(style.red(`  NEW       ${fmt(d)}`));
    for (const c of d.changes ?? []) lines.push(style.dim(`            ${c.fact}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`));
  }
  for (const d of f.resolved) lines.push(style.green(`  RESOLVED  ${fmt(d)}`));
  for (const d of f.persisting) lines.push(`  STILL     ${fmt(d)}`);
  for (const t of drift.targets.appeared) lines.push(`  target appeared: ${t}`);
  for (const t of drift.targets.disappeared) lines.push(`  target disappeared: ${t}`);
  for (const a of drift.assets) {
    if (a.added.length) lines.push(`  ${a.target} ${a.kind} added: ${a.added.join(", ")}`);
    if (a.removed.length) lines.push(`  ${a.target} ${a.kind} removed: ${a.removed.join(", ")}`);
  }
  return lines;
}

export function historyTextLines(report: Report, style: TextStyle): string[] {
  const out: string[] = [];
  if (report.drift) out.push("", ...renderDriftText(report.drift, style));
  if (report.run) {
    const r = report.run;
    out.push("", style.bold("History"), `  run ${r.id}, chain hash ${r.hash.slice(0, 16)}…`);
    out.push(r.lastReview ? `  last review: run ${r.lastReview.runId} by ${r.lastReview.by} at ${r.lastReview.at}${r.lastReview.note ? ` — ${r.lastReview.note}` : ""}` : style.yellow("  no run has been reviewed yet (hipaa-scan history review RUN_ID --by NAME)"));
    if (r.siemPending) out.push(style.yellow(`  ${r.siemPending} SIEM event(s) not yet delivered; they go with the next run`));
  }
  return out;
}

export function historyMarkdownLines(report: Report, md: (s: string) => string): string[] {
  const out: string[] = [];
  const d = report.drift;
  if (d) {
    out.push("", `## Drift since run ${md(d.baseline.runId)}`, "");
    out.push(`${d.findings.new.length} new, ${d.findings.resolved.length} resolved, ${d.findings.persisting.length} still failing.`, "");
    out.push("| Change | Severity | Target | Rule | Message | First seen | Days open |", "|---|---|---|---|---|---|---:|");
    const row = (kind: string, x: DriftFinding) => `| ${kind} | ${x.severity} | ${md(x.target.id)} | ${md(x.ruleId)} | ${md(x.message)} | ${x.firstSeen.slice(0, 10)} | ${x.daysOpen} |`;
    for (const x of d.findings.new) out.push(row("new", x));
    for (const x of d.findings.resolved) out.push(row("resolved", x));
    for (const x of d.findings.persisting) out.push(row("still failing", x));
    for (const a of d.assets) out.push("", `- ${md(a.target)} ${a.kind}: added ${md(a.added.join(", ") || "none")}; removed ${md(a.removed.join(", ") || "none")}`);
    for (const t of d.targets.appeared) out.push(`- target appeared: ${md(t)}`);
    for (const t of d.targets.disappeared) out.push(`- target disappeared: ${md(t)}`);
  }
  if (report.run) {
    const r = report.run;
    out.push("", "## History", "", `Run ${md(r.id)}, chain hash \`${r.hash}\`.`);
    out.push(r.lastReview ? `Last review: run ${md(r.lastReview.runId)} by ${md(r.lastReview.by)} at ${md(r.lastReview.at)}.` : "No run has been reviewed yet.");
    if (r.siemPending) out.push(`${r.siemPending} SIEM event(s) not yet delivered.`);
  }
  return out;
}

/** HTML section with the trend as an inline SVG line chart, one line per safeguard. */
export function historyHtml(report: Report, esc: (s: string) => string): string {
  const d = report.drift;
  const parts: string[] = [];
  if (d) {
    parts.push(`<h2>What changed since the last run</h2>`, `<p class="lead">Compared with run ${esc(d.baseline.runId)} of ${esc(d.baseline.startedAt)}: ${d.findings.new.length} new, ${d.findings.resolved.length} resolved, ${d.findings.persisting.length} still failing.</p>`);
    const rows = [
      ...d.findings.new.map((x) => ["New", x] as const),
      ...d.findings.resolved.map((x) => ["Resolved", x] as const),
      ...d.findings.persisting.map((x) => ["Still failing", x] as const),
    ];
    if (rows.length > 0) {
      parts.push(`<table><thead><tr><th>Change</th><th>Severity</th><th>System</th><th>Check</th><th>First seen</th><th>Days open</th></tr></thead><tbody>`);
      for (const [k, x] of rows) parts.push(`<tr><td>${k}</td><td>${esc(x.severity)}</td><td>${esc(x.target.id)}</td><td>${esc(x.message)}</td><td>${esc(x.firstSeen.slice(0, 10))}</td><td>${x.daysOpen}</td></tr>`);
      parts.push(`</tbody></table>`);
    }
    if (d.assets.length > 0) parts.push(`<ul>${d.assets.map((a) => `<li>${esc(a.target)} ${a.kind}: added ${esc(a.added.join(", ") || "none")}; removed ${esc(a.removed.join(", ") || "none")}</li>`).join("")}</ul>`);
    if (d.trend && d.trend.runs.length > 0) parts.push(trendSvg(d.trend, esc));
  }
  if (report.run?.lastReview) parts.push(`<p>Last review: run ${esc(report.run.lastReview.runId)} by ${esc(report.run.lastReview.by)} at ${esc(report.run.lastReview.at)}.</p>`);
  else if (report.run) parts.push(`<p>No run has been reviewed yet.</p>`);
  return parts.join("\n");
}

const COLOURS = ["#b91c1c", "#1d4ed8", "#047857", "#a16207", "#7e22ce", "#0e7490", "#be185d", "#4d7c0f"];

export function trendSvg(trend: NonNullable<Drift["trend"]>, esc: (s: string) => string): string {
  const w = 640;
  const h = 200;
  const pad = 36;
  const n = trend.runs.length;
  const max = Math.max(1, ...trend.safeguards.flatMap((s) => s.failing));
  const x = (i: number) => pad + (n === 1 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (n - 1));
  const y = (v: number) => h - pad - (v * (h - 2 * pad)) / max;
  const lines = trend.safeguards.map((s, k) => {
    const c = COLOURS[k % COLOURS.length];
    const pts = s.failing.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    return `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"><title>${esc(s.safeguard)}: ${s.failing.join(", ")}</title></polyline>` +
      `<text x="${w - pad + 4}" y="${y(s.failing.at(-1) ?? 0).toFixed(1)}" font-size="10" fill="${c}">${esc(s.safeguard)}</text>`;
  });
  return [
    `<figure class="trend"><svg xmlns="http://www.w3.org/2000/svg" width="${w + 80}" height="${h}" viewBox="0 0 ${w + 80} ${h}" role="img" aria-label="Failing findings per safeguard over the last ${n} runs">`,
    `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#999"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#999"/>`,
    `<text x="4" y="${pad}" font-size="10">${max}</text><text x="4" y="${h - pad}" font-size="10">0</text>`,
    ...lines,
    `</svg><figcaption>Failing findings per safeguard, last ${n} run(s), oldest left.</figcaption></figure>`,
  ].join("");
}
