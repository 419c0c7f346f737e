import type { CatalogEntry, Report } from "../core/model.js";

/**
 * How the reports word a specification whose checks found nothing: the checks evidence part of it,
 * a person must confirm the rest, so it is never a bare "Passed".
 */
export function coverageText(c: CatalogEntry): string {
  const n = c.checks ?? 0;
  return `no gaps found by ${n} check${n === 1 ? "" : "s"} — also confirm by hand: ${c.confirm ?? "see the specification"}`;
}

/** `CITATION NAME: no gaps found by N checks — also confirm by hand: …`, one per such spec. */
export function partialCoverageLines(report: Report): string[] {
  return report.catalog.filter((c) => c.outcome === "no_gaps_found").map((c) => `${c.citation} ${c.name}: ${coverageText(c)}`);
}
