import { FINDING_STATUSES, type DriftFinding, type Evidence, type Finding, type Report } from "../core/model.js";
import {
  REPORT_FORMAT,
  REPORT_SCHEMA_VERSION,
  type DriftFindingRef,
  type DriftRef,
  type EvidenceRef,
  findingKey,
  type FindingRef,
  type ReportDocument,
  type RuleMeta,
} from "../report/document-schema.js";
import { jsonChunks } from "./json-chunks.js";
import type { Reporter } from "./types.js";

/**
 * The report contract as JSON (schemas/report.schema.json, schema version 2). Laid out for people
 * and line tools alike: indented, except that each finding, target, drift entry, asset change and
 * shard-list entry is one line, so the file grows by a line per finding rather than by a screenful.
 */
export const jsonReporter: Reporter = (report) => [...jsonReportChunks(report)].join("");

/** The same text a piece at a time (src/reporters/streaming.ts writes a 10,000-host report without one string). */
export function* jsonReportChunks(report: Report): Generator<string> {
  yield* layout(toReportDocument(report));
  yield "\n";
}

const ONE_PER_LINE = new Set(["findings", "targets"]);

function* layout(doc: ReportDocument): Generator<string> {
  // A key whose value is undefined is left out, as JSON.stringify leaves it out.
  const entries = Object.entries(doc).filter(([, value]) => value !== undefined);
  yield "{\n";
  for (const [i, [key, value]] of entries.entries()) {
    yield `${i === 0 ? "" : ",\n"}  ${JSON.stringify(key)}: `;
    if (ONE_PER_LINE.has(key) && Array.isArray(value)) yield* lineArray(value, "  ");
    else if (key === "drift" && value) {
      // Like the findings, one line per drift entry and per asset change.
      const parts = Object.entries(value as DriftRef).filter(([, v]) => v !== undefined);
      yield "{\n";
      for (const [j, [k, v]] of parts.entries()) {
        yield `${j === 0 ? "" : ",\n"}    ${JSON.stringify(k)}: `;
        if (k === "assets") yield* lineArray(v as unknown[], "    ");
        else if (k !== "findings") yield* jsonChunks(v, "  ", 2, "    ");
        else {
          const lists = Object.entries(v as DriftRef["findings"]);
          yield "{\n";
          for (const [n, [list, items]] of lists.entries()) {
            yield `${n === 0 ? "" : ",\n"}      ${JSON.stringify(list)}: `;
            yield* lineArray(items, "      ");
          }
          yield "\n    }";
        }
      }
      yield "\n  }";
    } else if (key === "shard" && value) {
      const { targets, ...tag } = value as NonNullable<Report["shard"]>;
      yield `${indent(JSON.stringify(tag, null, 2)).replace(/\n {2}}$/, "")},\n    "targets": `;
      yield* lineArray(targets, "    ");
      yield "\n  }";
    } else yield* jsonChunks(value, "  ", 2, "  ");
  }
  yield "\n}";
}

const indent = (text: string) => text.replace(/\n/g, "\n  ");

function* lineArray(items: unknown[], at: string): Generator<string> {
  if (items.length === 0) {
    yield "[]";
    return;
  }
  yield "[\n";
  for (const [i, x] of items.entries()) yield `${i === 0 ? "" : ",\n"}${at}  ${JSON.stringify(x)}`;
  yield `\n${at}]`;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The in-memory Report → the version-2 document: each rule's title, description, severity,
 * citations, remediation, most common message per status and most common evidence
 * `expected`/`source` once in `rules`; a finding (or evidence item) keeps one of them only where it
 * differs (a remediation for another platform, a message naming accounts), and names a scanned
 * target by its id. src/report/read.ts turns it back, losslessly.
 */
export function toReportDocument(report: Report): ReportDocument {
  const sources = mostCommon(report.findings, (f) => f.evidence.map((e) => e.source));
  const expects = mostCommon(report.findings, (f) => f.evidence.map((e) => e.expected));
  // A message goes to the rule only when findings share it: one host's own message stays with it.
  const messages = new Map(FINDING_STATUSES.map((s) => [s, mostCommon(report.findings, (f) => [f.status === s ? f.message : undefined], 2)]));
  const kinds = new Map(report.targets.map((t) => [t.id, t.kind]));
  const rules: Record<string, RuleMeta> = {};
  const findings: FindingRef[] = report.findings.map((f: Finding) => {
    let rule = rules[f.ruleId];
    if (!rule) {
      const description = report.ruleDescriptions?.[f.ruleId];
      const source = sources.get(f.ruleId);
      const expected = expects.get(f.ruleId);
      const byStatus: RuleMeta["messages"] = {};
      for (const [status, m] of messages) {
        const message = m.get(f.ruleId);
        if (message !== undefined) byStatus[status] = message;
      }
      rule = rules[f.ruleId] = {
        title: f.title,
        ...(description !== undefined ? { description } : {}),
        severity: f.severity,
        hipaa: f.hipaa,
        remediation: f.remediation,
        ...(Object.keys(byStatus).length > 0 ? { messages: byStatus } : {}),
        ...(expected !== undefined ? { expected } : {}),
        ...(source !== undefined ? { source } : {}),
      };
    }
    const ref = { ruleId: f.ruleId } as FindingRef;
    if (f.title !== rule.title) ref.title = f.title;
    if (f.severity !== rule.severity) ref.severity = f.severity;
    ref.status = f.status;
    // A scanned target by its id alone (its kind is in `targets`); others, such as `site`, in full.
    ref.target = kinds.get(f.target.id) === f.target.kind ? f.target.id : f.target;
    if (!sameList(f.hipaa, rule.hipaa)) ref.hipaa = f.hipaa;
    if (f.message !== rule.messages?.[f.status]) ref.message = f.message;
    ref.evidence = f.evidence.map((e) => evidenceRef(e, rule));
    if (f.remediation !== rule.remediation) ref.remediation = f.remediation;
    if (f.alternative) ref.alternative = f.alternative;
    return ref;
  });
  // Field by field in the report's own order, `rules` just before the findings that refer to it;
  // fields added to Report later pass through unchanged.
  const doc: Record<string, unknown> = { format: REPORT_FORMAT, schemaVersion: REPORT_SCHEMA_VERSION };
  for (const [key, value] of Object.entries(report)) {
    if (key === "findings") {
      doc.rules = rules;
      doc.findings = findings;
    } else if (key === "drift" && report.drift) doc.drift = driftRef(report, rules, kinds);
    else if (key !== "ruleDescriptions") doc[key] = value;
  }
  return doc as ReportDocument;
}

/**
 * The drift section with its entries by reference: `title`, `severity` and `hipaa` left out where
 * they are the rule's in `rules`, `message` where it is that of this report's finding for the same
 * rule and target, a scanned target by its id. Every persisting failure is an entry, so without
 * this a second run's report carries each failing finding's text twice.
 */
function driftRef(report: Report, rules: Record<string, RuleMeta>, kinds: Map<string, string>): DriftRef {
  const drift = report.drift!;
  const messages = new Map(report.findings.map((f) => [findingKey(f), f.message]));
  const ref = (d: DriftFinding): DriftFindingRef => {
    const rule = rules[d.ruleId];
    const out = { ruleId: d.ruleId } as DriftFindingRef;
    if (!rule || d.title !== rule.title) out.title = d.title;
    if (!rule || d.severity !== rule.severity) out.severity = d.severity;
    out.target = kinds.get(d.target.id) === d.target.kind ? d.target.id : d.target;
    if (!rule || !sameList(d.hipaa, rule.hipaa)) out.hipaa = d.hipaa;
    if (messages.get(findingKey(d)) !== d.message) out.message = d.message;
    out.firstSeen = d.firstSeen;
    out.daysOpen = d.daysOpen;
    if (d.changes) out.changes = d.changes;
    return out;
  };
  const { new: added, resolved, persisting } = drift.findings;
  return { ...drift, findings: { new: added.map(ref), resolved: resolved.map(ref), persisting: persisting.map(ref) } };
}

/** An evidence item without what it shares with its rule: absent = the rule's, null = none. */
function evidenceRef(e: Evidence, rule: RuleMeta): EvidenceRef {
  const out: EvidenceRef = { fact: e.fact, observed: e.observed };
  if (e.expected !== rule.expected) out.expected = e.expected ?? null;
  if (e.source !== rule.source) out.source = e.source ?? null;
  return out;
}

/**
 * Each rule's most common value among those `values` gives for its findings (ties: the first in
 * sort order), where it occurs at least `min` times.
 */
function mostCommon(findings: Finding[], values: (f: Finding) => (string | undefined)[], min = 1): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const f of findings) {
    for (const v of values(f)) {
      if (v === undefined) continue;
      let c = counts.get(f.ruleId);
      if (!c) counts.set(f.ruleId, (c = new Map()));
      c.set(v, (c.get(v) ?? 0) + 1);
    }
  }
  const out = new Map<string, string>();
  for (const [rule, c] of counts) {
    const [value, n] = [...c].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]!;
    if (n >= min) out.set(rule, value);
  }
  return out;
}
