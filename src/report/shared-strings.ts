import type { Finding } from "../core/model.js";

/**
 * One copy of each repeated finding text (issue 14, memory). Across the hosts of a site the same
 * message, fact path, expected value and source come back per host as fresh strings (each target's
 * facts are read back from the spool); findings live until the end of the run, so keeping one copy
 * of each is memory the run does not grow by. The table is bounded: past `MAX_ENTRIES` distinct
 * texts new ones are kept as they are. Only strings and evidence lists are replaced, by equal ones: no finding changes.
 */
const MAX_ENTRIES = 100_000;
/** Longer texts are rarely repeated word for word and would make the table itself large. */
const MAX_LENGTH = 512;

export class SharedStrings {
  private readonly table = new Map<string, string>();

  text(s: string): string {
    if (s.length > MAX_LENGTH) return s;
    const hit = this.table.get(s);
    if (hit !== undefined) return hit;
    if (this.table.size < MAX_ENTRIES) this.table.set(s, s);
    return s;
  }

  /**
   * Replaces the findings' repeated texts by the shared copies, in place; returns them. Each
   * evidence list is also replaced by an equal copy of its exact length: a list built by `push`
   * keeps room for 17 entries (about 120 bytes more a finding than its one or two pieces need).
   */
  findings(findings: Finding[]): Finding[] {
    for (const f of findings) {
      f.message = this.text(f.message);
      f.evidence = f.evidence.slice();
      for (const e of f.evidence) {
        e.fact = this.text(e.fact);
        if (typeof e.observed === "string") e.observed = this.text(e.observed);
        if (e.expected !== undefined) e.expected = this.text(e.expected);
        if (e.source !== undefined) e.source = this.text(e.source);
      }
    }
    return findings;
  }
}
