import type { Report } from "../core/model.js";
import { levelName, type Level } from "../risk/scale.js";
import { esc, md } from "./escape.js";

/**
 * "How the register changed since the last run" (report.riskChanges, src/risk/history.ts) as a
 * Markdown section and an HTML block; empty when the run had no baseline. Pure; all text escaped.
 */
type Changes = NonNullable<Report["riskChanges"]>;
const lvl = (n: number) => levelName(n as Level);
const day = (iso: string) => iso.slice(0, 10);

function lines(c: Changes): { kind: string; items: string[] }[] {
  return [
    { kind: "New", items: c.added.map((r) => `${r.title} (${r.id}) — ${lvl(r.level)}`) },
    { kind: "Resolved", items: c.removed.map((r) => `${r.title} (${r.id}) — was ${lvl(r.level)}`) },
    { kind: "Level raised", items: c.raised.map((r) => `${r.title} (${r.id}) — ${lvl(r.from)} → ${lvl(r.to)}`) },
    { kind: "Level lowered", items: c.lowered.map((r) => `${r.title} (${r.id}) — ${lvl(r.from)} → ${lvl(r.to)}`) },
  ];
}

function summary(c: Changes): string {
  return `${c.added.length} new, ${c.removed.length} resolved, ${c.raised.length} raised, ${c.lowered.length} lowered, ${c.unchanged} unchanged`;
}

export function riskChangesMarkdown(report: Report): string[] {
  const c = report.riskChanges;
  if (!c) return [];
  const out = ["", `## Risk register changes since ${day(c.since)}`, "", `Against the baseline run${c.baselineRunId ? ` ${md(c.baselineRunId)}` : ""} (${md(c.since)}): ${summary(c)}.`];
  for (const { kind, items } of lines(c)) {
    if (items.length === 0) continue;
    out.push("", `**${kind}**`, "", ...items.map((i) => `- ${md(i)}`));
  }
  return out;
}

export function riskChangesHtml(report: Report): string {
  const c = report.riskChanges;
  if (!c) return "";
  const blocks = lines(c)
    .filter((l) => l.items.length > 0)
    .map(({ kind, items }) => `<h4>${esc(kind)}</h4><ul>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>`);
  return [
    `<div class="risk-changes" id="risk-changes">`,
    `<h3 id="risk-changes-h">Changes since the last run (${esc(day(c.since))})</h3>`,
    `<p>Against the baseline run${c.baselineRunId ? ` <span class="mono">${esc(c.baselineRunId)}</span>` : ""}: ${esc(summary(c))}.</p>`,
    ...blocks,
    `</div>`,
  ].join("\n");
}
