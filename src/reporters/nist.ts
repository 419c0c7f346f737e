import type { CatalogEntry } from "../core/model.js";

type NistRefs = NonNullable<CatalogEntry["nist"]>;

/** `nist-800-53:AC-2` tags for a finding's HIPAA citations, from the report's catalog (SARIF rule tags). */
export function nistTags(citations: readonly string[], byCitation: ReadonlyMap<string, NistRefs | undefined>): string[] {
  return [...new Set(citations.flatMap((c) => byCitation.get(c)?.sp80053 ?? []))].map((id) => `nist-800-53:${id}`);
}


/** The NIST line under a specification in the HTML coverage table (empty without references). */
export function nistHtml(n: NistRefs | undefined, esc: (s: string) => string): string {
  if (!n) return "";
  if (n.unmapped) return `<div class="nist">NIST: not mapped (${esc(n.unmapped)})</div>`;
  const byStandard = new Map<string, NistRefs["keyActivities"]>();
  for (const k of n.keyActivities) byStandard.set(k.standard, [...(byStandard.get(k.standard) ?? []), k]);
  const activities = [...byStandard].map(([std, ks]) =>
    ks.length <= 2 ? ks.map((k) => `${esc(std)} #${k.number} ${esc(k.title)}`).join("; ") : `${esc(std)} #${ks.map((k) => k.number).join(", #")}`,
  );
  return `<div class="nist"><span class="nist-label">SP 800-53:</span> <span class="mono">${n.sp80053.map(esc).join(", ")}</span> · <span class="nist-label">SP 800-66r2 key activities:</span> ${activities.join("; ")}</div>`;
}
