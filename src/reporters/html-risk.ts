import type { FindingStatus, Report } from "../core/model.js";
import { LEVELS, RISK_MATRIX, type Level } from "../risk/scale.js";
import { esc } from "./escape.js";
import { SAFEGUARD_PREFIXES, safeguardTitle } from "./sections.js";
import { riskChangesHtml } from "./risk-changes.js";

/**
 * The part of the HTML report a practice manager reads first (wired into src/reporters/html.ts):
 * the proposed-rule label when that pack ran, the risk matrix (likelihood × impact) as an inline
 * SVG, the ten highest risks, a systems × safeguards heatmap and the plan state; and, further
 * down, the technology asset inventory with the network map as a picture. Pure; all text escaped.
 */

export const NPRM_PACK = "hipaa-nprm-2025";
export const NPRM_LABEL =
  "Proposed rule: checks from the HIPAA Security Rule changes HHS proposed on 6 January 2025 (90 FR 898). They are not final and not yet enforceable; they show readiness only.";

const LEVEL_FILL: Record<Level, string> = { 1: "#d7eedd", 2: "#eef3c4", 3: "#fde1a6", 4: "#f6a38f", 5: "#c2352a" };
const LEVEL_INK: Record<Level, string> = { 1: "#1b2430", 2: "#1b2430", 3: "#1b2430", 4: "#1b2430", 5: "#ffffff" };
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function riskOverviewHtml(report: Report): string {
  const out: string[] = [];
  if (report.rulePacks.some((p) => p.id === NPRM_PACK)) out.push(`<p class="proposed" role="note"><strong>Proposed rule.</strong> ${esc(NPRM_LABEL)}</p>`);
  if (!report.risks) return out.join("\n");
  const risks = report.risks;
  out.push(`<section class="risk-overview" id="risk-overview" aria-labelledby="risk-h">`, `<h2 id="risk-h">Risk analysis at a glance</h2>`);
  out.push(
    `<p class="lead">Each failing check (or group with one cause) is a risk, scored for likelihood and impact on the five-level scale of NIST SP 800-30 Rev. 1. ${risks.length} risk(s); the method and every score's reasons are in the register below.</p>`,
  );
  out.push(`<div class="risk-row"><figure class="risk-matrix" id="risk-matrix">${matrixSvg(risks)}<figcaption>Risks by likelihood and impact. Colour: risk level (NIST SP 800-30 Table I-2).</figcaption></figure>`);
  out.push(`<div class="risk-levels">${levelCounts(risks)}</div></div>`);
  out.push(`<h3 id="top-risks">The ten highest risks</h3>`);
  if (risks.length === 0) out.push(`<p class="empty">No failing findings, so no risks to register.</p>`);
  else out.push(topRisksTable(risks.slice(0, 10)));
  if (report.riskChanges) out.push(riskChangesHtml(report));
  if (report.plan) out.push(planNote(report));
  out.push(`<h3 id="heatmap">Systems × safeguards</h3>`, heatmap(report));
  if (risks.length > 10) out.push(`<details class="register"><summary>All ${risks.length} risks</summary>${topRisksTable(risks)}</details>`);
  out.push(`</section>`);
  return out.join("\n");
}

function matrixSvg(risks: NonNullable<Report["risks"]>): string {
  const cell = 64;
  const left = 96;
  const top = 12;
  const w = left + cell * 5 + 8;
  const h = top + cell * 5 + 58;
  const counts = new Map<string, number>();
  for (const r of risks) counts.set(`${r.likelihood.level}:${r.impact.level}`, (counts.get(`${r.likelihood.level}:${r.impact.level}`) ?? 0) + 1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" role="img" aria-label="Risk matrix: likelihood by impact" class="matrix-svg">`,
  ];
  for (let li = 5; li >= 1; li--) {
    const y = top + (5 - li) * cell;
    parts.push(`<text x="${left - 8}" y="${y + cell / 2 + 4}" text-anchor="end" class="ax">${cap(LEVELS[li - 1]!)}</text>`);
    for (let ii = 1; ii <= 5; ii++) {
      const x = left + (ii - 1) * cell;
      const level = RISK_MATRIX[li - 1]![ii - 1]!;
      const n = counts.get(`${li}:${ii}`) ?? 0;
      parts.push(
        `<rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" rx="4" fill="${LEVEL_FILL[level]}"><title>Likelihood ${LEVELS[li - 1]}, impact ${LEVELS[ii - 1]}: ${n} risk(s), level ${LEVELS[level - 1]}</title></rect>`,
      );
      if (n > 0) parts.push(`<text x="${x + cell / 2 - 1}" y="${y + cell / 2 + 8}" text-anchor="middle" class="n" fill="${LEVEL_INK[level]}">${n}</text>`);
    }
  }
  for (let ii = 1; ii <= 5; ii++) {
    const x = left + (ii - 1) * cell + cell / 2 - 1;
    parts.push(`<text x="${x}" y="${top + cell * 5 + 16}" text-anchor="middle" class="ax">${cap(LEVELS[ii - 1]!)}</text>`);
  }
  parts.push(`<text x="${left + (cell * 5) / 2}" y="${top + cell * 5 + 44}" text-anchor="middle" class="axt">Impact →</text>`);
  parts.push(`<text x="14" y="${top + (cell * 5) / 2}" text-anchor="middle" class="axt" transform="rotate(-90 14 ${top + (cell * 5) / 2})">Likelihood →</text>`);
  parts.push(`</svg>`);
  return parts.join("");
}

function levelCounts(risks: NonNullable<Report["risks"]>): string {
  const rows = ([5, 4, 3, 2, 1] as Level[]).map((l) => {
    const n = risks.filter((r) => r.level === l).length;
    return `<div class="lvl"><span class="sw" style="background:${LEVEL_FILL[l]}"></span><span class="lvl-n">${n}</span> ${esc(cap(LEVELS[l - 1]!))}</div>`;
  });
  return `<p class="lvl-head">Risks by level</p>${rows.join("")}`;
}

function topRisksTable(risks: NonNullable<Report["risks"]>): string {
  const rows = risks.map((r) => {
    const plan = r.plan ? `<div class="plan plan-${esc(r.plan.state)}">${esc(r.plan.state)} · ${esc(r.plan.owner)} · due ${esc(r.plan.due)}</div>` : "";
    const fix = r.remediation.split(/\n/)[0] ?? "";
    return (
      `<tr><td class="rank">${r.rank}</td>` +
      `<td><strong>${esc(r.title)}</strong><div class="rid mono">${esc(r.id)}</div>${plan}</td>` +
      `<td><span class="lvlb" style="background:${LEVEL_FILL[r.level as Level]};color:${LEVEL_INK[r.level as Level]}">${esc(r.label)}</span></td>` +
      `<td><details class="why"><summary>${esc(cap(r.likelihood.label))} × ${esc(r.impact.label)}</summary><p><strong>Likelihood:</strong> ${r.likelihood.basis.map(esc).join("; ")}</p><p><strong>Impact:</strong> ${r.impact.basis.map(esc).join("; ")}</p></details></td>` +
      `<td class="mono">${r.assets.map(esc).join("<br>")}</td>` +
      `<td class="mono">${r.hipaa.map(esc).join("<br>")}</td>` +
      `<td class="fixcell">${esc(fix).replace(/`([^`]+)`/g, "<code>$1</code>")}</td></tr>`
    );
  });
  return `<table class="risk-top"><colgroup><col class="c-rank"><col class="c-risk"><col class="c-lvl"><col class="c-why"><col class="c-assets"><col class="c-hipaa"><col class="c-fix"></colgroup><thead><tr><th>#</th><th>Risk</th><th>Level</th><th>Likelihood × impact</th><th>Systems</th><th>HIPAA</th><th>Fix</th></tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

function planNote(report: Report): string {
  const p = report.plan!;
  const resolved = p.resolved.map((r) => `<li>${esc(r.title)} <span class="mono">${esc(r.risk)}</span>: resolved (its finding is gone; plan said ${esc(r.status)})</li>`);
  return [
    `<div class="plan-summary" id="plan-state"><p><strong>Remediation plan</strong> <span class="mono">${esc(p.file)}</span>: ${p.items} item(s), `,
    `<span class="${p.overdue.length > 0 ? "bad" : ""}">${p.overdue.length} overdue</span>, ${p.doneButFailing.length} marked done but still failing, ${p.resolved.length} resolved, ${p.unplanned.length} risk(s) not yet in the plan.</p>`,
    resolved.length > 0 ? `<ul>${resolved.join("")}</ul>` : "",
    `</div>`,
  ].join("");
}

const SHORT: Record<string, string> = {
  "164.312(a)": "Access control",
  "164.312(b)": "Audit",
  "164.312(c)": "Integrity",
  "164.312(d)": "Authentication",
  "164.312(e)": "Transmission",
  "164.308": "Administrative",
  "164.310": "Physical",
};
const HEAT_ORDER: FindingStatus[] = ["fail", "error", "pass", "not_applicable"];

function heatmap(report: Report): string {
  const scanned = report.findings.filter((f) => f.status !== "manual");
  const groups = SAFEGUARD_PREFIXES.map((prefix) => ({ prefix, title: safeguardTitle(prefix, report.catalog) })).filter((g) =>
    scanned.some((f) => (f.hipaa[0] ?? "").startsWith(g.prefix)),
  );
  if (groups.length === 0) return `<p class="empty">No automated checks produced findings.</p>`;
  const systems = [...report.targets.map((t) => t.id), ...(scanned.some((f) => f.target.kind === "site") ? ["site"] : [])];
  const head = groups.map((g) => `<th title="${esc(g.title)}">${esc(SHORT[g.prefix] ?? g.prefix)}<div class="cite">${esc(g.prefix)}</div></th>`).join("");
  const rows = systems.map((id) => {
    const cells = groups.map((g) => {
      const fs = scanned.filter((f) => f.target.id === id && (f.hipaa[0] ?? "").startsWith(g.prefix));
      if (fs.length === 0) return `<td class="hm hm-none" title="no checks">–</td>`;
      const worst = HEAT_ORDER.find((s) => fs.some((f) => f.status === s)) ?? "not_applicable";
      const failed = fs.filter((f) => f.status === "fail").length;
      const passed = fs.filter((f) => f.status === "pass").length;
      const label = worst === "fail" ? `${failed} failed` : worst === "error" ? "not checked" : worst === "pass" ? `${passed} passed` : "n/a";
      return `<td class="hm hm-${worst}" title="${fs.length} check(s)">${esc(label)}</td>`;
    });
    return `<tr><th scope="row" class="mono">${esc(id)}</th>${cells.join("")}</tr>`;
  });
  return `<table class="heatmap"><thead><tr><th>System</th>${head}</tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

const CLASS_COLOR: Record<string, string> = {
  "ephi-server": "#c2352a",
  "medical-modality": "#8e44ad",
  printer: "#2e86c1",
  camera: "#17a589",
  pos: "#d68910",
  "network-gear": "#34495e",
  iot: "#7dcea0",
  workstation: "#5d6d7e",
  guest: "#f5b041",
  unknown: "#aab7b8",
};

/** The asset inventory and the network map (segments and their device classes) as a picture. */
export function assetsHtml(report: Report): string {
  if (!report.assets) return "";
  const inv = report.assets;
  const out: string[] = [`<section class="assets" id="assets" aria-labelledby="assets-h">`, `<h2 id="assets-h">Technology asset inventory and network map</h2>`];
  const ephi = inv.assets.filter((a) => a.ephi.tagged || a.ephi.inferred).length;
  out.push(`<p class="lead">${inv.assets.length} asset(s), ${ephi} holding ePHI (tagged in the inventory or inferred by the scan). Review and update this inventory at least every 12 months.</p>`);
  if (inv.segments.length > 0) out.push(`<figure class="netmap" id="network-map">${networkSvg(inv)}<figcaption>Network map: each box is a segment; bars show its devices by class.</figcaption></figure>`);
  const rows = inv.assets.map((a) => {
    const what = a.kind === "directory" && a.directory ? `${a.directory.accounts} accounts (${a.directory.enabledAccounts} enabled), ${a.directory.computers} computers; privileged: ${a.directory.privilegedMembers.join(", ") || "none"}` : [a.os, a.class].filter(Boolean).join(" · ");
    const ephiCell = a.ephi.tagged || a.ephi.inferred ? `<span class="badge st-fail">ePHI</span> <span class="why-e">${esc(a.ephi.why.join("; "))}</span>` : "";
    return (
      `<tr><td><strong>${esc(a.name)}</strong><div class="mono rid">${esc(a.id)}</div></td><td>${esc(a.kind)}</td><td>${esc(what)}${a.reasons.length > 0 ? `<div class="why-e">${esc(a.reasons.join("; "))}</div>` : ""}</td>` +
      `<td class="mono">${esc(a.address ?? "")}${a.segment ? `<div class="why-e">${esc(a.segment)}</div>` : ""}</td><td>${ephiCell}</td><td class="mono">${a.openPorts.map(esc).join(" ")}</td><td class="mono">${a.seenBy.map(esc).join("<br>")}</td></tr>`
    );
  });
  out.push(
    `<table class="asset-table"><colgroup><col class="c-name"><col class="c-kind"><col class="c-what"><col class="c-addr"><col class="c-ephi"><col class="c-ports"><col class="c-seen"></colgroup><thead><tr><th>Asset</th><th>Kind</th><th>What it is</th><th>Address</th><th>ePHI</th><th>Open ports</th><th>Seen by</th></tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`,
  );
  out.push(`</section>`);
  return out.join("\n");
}

function networkSvg(inv: NonNullable<Report["assets"]>): string {
  const perRow = 3;
  const boxW = 236;
  const gap = 12;
  const barH = 16;
  const segs = inv.segments;
  const heights = segs.map((s) => 52 + Object.keys(s.classes).length * (barH + 6));
  const rows: number[] = [];
  for (let i = 0; i < segs.length; i += perRow) rows.push(Math.max(...heights.slice(i, i + perRow)));
  const w = perRow * boxW + (perRow - 1) * gap;
  const h = rows.reduce((a, b) => a + b + gap, 0);
  const maxCount = Math.max(1, ...segs.flatMap((s) => Object.values(s.classes)));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" role="img" aria-label="Network map" class="netmap-svg">`];
  let y = 0;
  segs.forEach((s, i) => {
    const col = i % perRow;
    if (col === 0 && i > 0) y += rows[i / perRow - 1]! + gap;
    const x = col * (boxW + gap);
    const rowH = rows[Math.floor(i / perRow)]!;
    const ephi = s.ephi > 0;
    parts.push(`<g class="seg"><rect x="${x + 1}" y="${y + 1}" width="${boxW - 2}" height="${rowH - 2}" rx="8" fill="#fff" stroke="${ephi ? "#c2352a" : "#9aa5b1"}" stroke-width="${ephi ? 2.5 : 1.5}"/>`);
    parts.push(`<text x="${x + 12}" y="${y + 22}" class="segt">${esc(s.subnet)}</text>`);
    parts.push(`<text x="${x + 12}" y="${y + 40}" class="segs">${s.assets.length} device(s)${ephi ? `, ${s.ephi} with ePHI` : ""}</text>`);
    Object.entries(s.classes).forEach(([cls, n], k) => {
      const by = y + 52 + k * (barH + 6);
      const bw = Math.max(6, Math.round((n / maxCount) * 70));
      parts.push(`<rect x="${x + 12}" y="${by}" width="${bw}" height="${barH}" rx="3" fill="${CLASS_COLOR[cls] ?? "#aab7b8"}"/>`);
      parts.push(`<text x="${x + 12 + bw + 6}" y="${by + 12}" class="segc">${esc(cls)} ${n}</text>`);
    });
    parts.push(`</g>`);
  });
  parts.push(`</svg>`);
  return parts.join("");
}

/** The styles below, for reports that carry these sections (so other reports stay byte-for-byte as they were). */
export function riskStyle(report: Report): string {
  const risk = report.risks || report.assets || report.rulePacks.some((p) => p.id === NPRM_PACK) ? RISK_STYLE : "";
  return `${risk}${report.catalog.some((c) => c.nist) ? NIST_STYLE : ""}`;
}

/** The NIST line under each specification of the coverage table (src/reporters/nist.ts). */
const NIST_STYLE = `
.catalog .nist{font-size:0.8em;color:var(--muted);margin-top:0.2em;overflow-wrap:anywhere}
`;

/** Styles for the sections above; appended to the report's one stylesheet. */
export const RISK_STYLE = `
.risk-changes h4{margin:8px 0 2px;font-size:14px}.risk-changes ul{margin:0 0 6px 18px;padding:0}
.proposed{background:#fff4dc;border:1px solid #f0d08a;border-left:8px solid #9a5b00;border-radius:8px;padding:10px 14px;margin:14px 0}
.risk-overview{margin-top:8px}
.risk-row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
.risk-matrix{flex:0 1 430px;margin:0;min-width:0}
.matrix-svg{width:100%;height:auto;display:block}
.matrix-svg .ax{font-size:11px;fill:#5b6675}.matrix-svg .axt{font-size:12px;font-weight:700;fill:#1b2430}.matrix-svg .n{font-size:22px;font-weight:700}
figcaption{font-size:12.5px;color:var(--muted);margin-top:4px}
.risk-levels{flex:1 1 160px;min-width:0}
.lvl-head{font-weight:700;margin-bottom:6px}
.lvl{display:flex;align-items:center;gap:8px;margin:4px 0;font-size:14px}
.sw{display:inline-block;width:16px;height:16px;border-radius:3px;border:1px solid #c8cfd8}
.lvl-n{font-weight:700;min-width:1.6em;text-align:right}
.lvlb{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:700;white-space:nowrap}
table.risk-top,table.heatmap,table.asset-table{table-layout:fixed;font-size:13px}
table.risk-top td,table.risk-top th,table.heatmap td,table.heatmap th,table.asset-table td,table.asset-table th{padding:6px 7px;overflow-wrap:anywhere;word-break:break-word}
.c-rank{width:30px}.c-risk{width:21%}.c-lvl{width:80px}.c-why{width:14%}.c-assets{width:14%}.c-hipaa{width:11%}
.rank{font-weight:700;text-align:right}
.rid{color:var(--muted);font-size:11.5px}
.why summary{cursor:pointer}.why p{font-size:12px;margin:4px 0}
.fixcell{font-size:12.5px}
.plan{font-size:12px;margin-top:3px;color:var(--muted)}
.plan-overdue,.plan-done-but-failing,.plan-accepted-review-due{color:var(--fail);font-weight:700}
.plan-summary{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:10px 0;font-size:14px}
.plan-summary .bad{color:var(--fail);font-weight:700}
.heatmap th .cite{font-weight:400;text-transform:none;font-size:10.5px}
.heatmap th[scope=row]{background:var(--card);text-transform:none;letter-spacing:0;color:var(--ink);font-weight:600;font-size:12px}
.hm{text-align:center;font-weight:600;font-size:12px}
.hm-fail{background:#f6b4a8;color:#7a0916}.hm-error{background:#fde1a6;color:#6b3f00}.hm-pass{background:#cfead8;color:#14532d}.hm-not_applicable,.hm-none{background:#eef1f4;color:#5b6675}
.netmap{margin:8px 0 14px}.netmap-svg{width:100%;height:auto;display:block}
.netmap-svg .segt{font-size:14px;font-weight:700;fill:#1b2430;font-family:ui-monospace,Menlo,Consolas,monospace}.netmap-svg .segs{font-size:12px;fill:#5b6675}.netmap-svg .segc{font-size:12px;fill:#1b2430}
.c-name{width:20%}.c-kind{width:11%}.c-what{width:20%}.c-addr{width:12%}.c-ephi{width:13%}.c-ports{width:11%}
.why-e{font-size:11.5px;color:var(--muted)}
@media print{.risk-row,.risk-matrix,.netmap,.plan-summary{break-inside:avoid}.register{display:none}}
`;
