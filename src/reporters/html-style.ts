/** The HTML report's only stylesheet: inline, system fonts only, and a print layout. */
export const HTML_STYLE = `
:root{--ink:#1b2430;--muted:#5b6675;--line:#d9dee5;--bg:#f5f7fa;--card:#fff;
--fail:#b42318;--fail-bg:#fdecea;--error:#9a5b00;--error-bg:#fff4dc;--pass:#1e7a46;--pass-bg:#e6f4ea;
--na:#5b6675;--na-bg:#eef1f4;--manual:#1f5fa8;--manual-bg:#e8f0fb}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1080px;margin:0 auto;padding:32px 28px 48px}
h1{font-size:28px;margin:2px 0 6px;letter-spacing:-.01em}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:22px 0 10px;color:var(--ink)}
p{margin:6px 0}
.eyebrow{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted);font-weight:600}
.meta{color:var(--muted);font-size:13px}
.mono,code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.88em;overflow-wrap:anywhere}
.verdict{margin:22px 0 16px;padding:16px 20px;border-radius:10px;border-left:8px solid}
.verdict-head{font-size:22px;font-weight:700;margin:0}
.verdict-text{font-weight:600}
.verdict-note{color:var(--ink)}
.verdict-failed{background:var(--fail-bg);border-color:var(--fail)}.verdict-failed .verdict-head{color:var(--fail)}
.verdict-incomplete{background:var(--error-bg);border-color:var(--error)}.verdict-incomplete .verdict-head{color:var(--error)}
.verdict-passed{background:var(--pass-bg);border-color:var(--pass)}.verdict-passed .verdict-head{color:var(--pass)}
.counts{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}
.count{flex:1 1 150px;background:var(--card);border:1px solid var(--line);border-top:5px solid var(--na);border-radius:8px;padding:10px 14px}
.count .n{display:block;font-size:28px;font-weight:700;line-height:1.1}
.count .l{color:var(--muted);font-size:13px}
.count-fail{border-top-color:var(--fail)}.count-fail .n{color:var(--fail)}
.count-error{border-top-color:var(--error)}.count-error .n{color:var(--error)}
.count-pass{border-top-color:var(--pass)}.count-pass .n{color:var(--pass)}
.count-manual{border-top-color:var(--manual)}.count-manual .n{color:var(--manual)}
.sevline{font-size:14px;color:var(--muted)}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:700;letter-spacing:.02em;text-transform:uppercase;border:1px solid transparent;white-space:nowrap;vertical-align:1px}
.st-fail{background:var(--fail-bg);color:var(--fail);border-color:#f3b8b2}
.st-error{background:var(--error-bg);color:var(--error);border-color:#f0d08a}
.st-pass{background:var(--pass-bg);color:var(--pass);border-color:#a9d8b8}
.st-not_applicable,.st-none{background:var(--na-bg);color:var(--na);border-color:var(--line)}
.st-manual{background:var(--manual-bg);color:var(--manual);border-color:#b3cbee}
.sev-critical{background:#7a0916;color:#fff}
.sev-high{background:#d92d20;color:#fff}
.sev-medium{background:#f79009;color:#1b2430}
.sev-low{background:#fde68a;color:#1b2430}
.sev-info{background:#e4e7ec;color:#1b2430}
.tgt-ok{background:var(--pass-bg);color:var(--pass)}
.tgt-partial{background:var(--error-bg);color:var(--error)}
.tgt-bad{background:var(--fail-bg);color:var(--fail)}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;font-size:14px}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
th{background:#eef1f4;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
tbody tr:last-child td{border-bottom:0}
.note{color:var(--error);font-size:13px}
.group{margin-bottom:8px}
.finding{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--na);border-radius:8px;padding:12px 16px;margin:10px 0}
.finding.f-fail{border-left-color:var(--fail)}
.finding.f-error{border-left-color:var(--error)}
.fhead{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.ftitle{font-weight:700;font-size:15.5px}
.where{color:var(--muted);font-size:13px}
.msg{font-size:15px}
.alt{background:var(--manual-bg);padding:6px 10px;border-radius:6px;font-size:14px}
.fix{margin:8px 0 4px;padding:8px 12px;background:#f3f6f9;border-radius:6px;border:1px solid var(--line)}
.fixlabel{display:block;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.fixtext{white-space:pre-wrap;overflow-wrap:anywhere}
.fixtext code{background:#e6ebf1;border-radius:4px;padding:0 4px}
.fixlater .fix{margin-top:6px}
details{margin:6px 0}
summary{cursor:pointer;color:var(--manual);font-size:14px;font-weight:600}
details table{margin-top:6px;font-size:13px}
.others{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px}
.others table{border:0}
.compact td{padding:5px 8px}
.checklist{list-style:none;padding:0;margin:0}
.checklist li{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:8px 0}
.checklist input{width:16px;height:16px;vertical-align:-2px;margin-right:6px}
.checklist p{margin:4px 0 0 28px}
.cite{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em;color:var(--manual);font-weight:700;margin-right:4px}
.signoff{color:var(--muted);font-size:13px}
.lead{color:var(--muted)}
.catalog tr.cat-standard td{color:var(--muted);background:#fafbfc}
.catalog td:first-child{white-space:nowrap}
footer{margin-top:40px;padding-top:12px;border-top:1px solid var(--line);color:var(--muted);font-size:12.5px}
.hash{font-size:11px;color:var(--muted)}
@media (max-width:640px){main{padding:18px 12px}.counts{gap:8px}th,td{padding:6px}}
@media print{
@page{size:auto;margin:14mm 12mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:10.5pt}
main{max-width:none;padding:0}
.counts{flex-wrap:nowrap;gap:8px}.count{flex:1 1 0;padding:6px 10px}.count .n{font-size:20pt}
h2{break-after:avoid;margin-top:20px}
h3{break-after:avoid}
.finding,.checklist li,.count,tr{break-inside:avoid}
.finding{border-left-width:4px}
summary{color:var(--ink)}
details::details-content{content-visibility:visible;display:block}
details>summary{list-style:none}
details>summary::-webkit-details-marker{display:none}
}
`.trim();
