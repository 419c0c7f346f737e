import type { Evidence, FindingStatus, Severity, TargetKind } from "../core/model.js";
import { canonicalJson, sha256 } from "./canonical.js";
import { findingKey, RUN_FORMAT, type RecordedFinding, type RecordedTarget, type RunRecord } from "./record.js";
import type { ChainMeta, HistoryStore } from "./types.js";

/**
 * The drift index of one run: what `history diff`, `--baseline` and the trend read instead of the
 * whole record (30 MB of canonical JSON for a 2,000-host run, mostly evidence). It is derived data:
 * built from the record when the run is recorded (or, for runs recorded before schema version 2,
 * during that migration), stored beside the chain in `run_index`, and checked by `history verify`,
 * which rebuilds it from the record and compares.
 *
 * `data` holds every finding (rule, target, status, message, firstSeen) with its evidence as a
 * reference into a pool of distinct evidence lists, and each list's SHA-256; `evidence` holds the
 * pool itself and is read only when a finding's evidence changed between the two runs compared.
 */
export const INDEX_FORMAT = "hipaa-scan-run-index";
export const INDEX_VERSION = 1;

/** Schema version 2 of both stores: one row per indexed run, keyed by its chain seq. */
export const INDEX_TABLE_SQL = "CREATE TABLE run_index (seq BIGINT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL, evidence TEXT NOT NULL)";

/** Numbers per finding in `RunIndex.findings`. */
const STRIDE = 6;

export interface RunIndex {
  format: typeof INDEX_FORMAT;
  version: typeof INDEX_VERSION;
  id: string;
  scope: string;
  startedAt: string;
  finishedAt: string;
  targets: Pick<RecordedTarget, "kind" | "id" | "status" | "assets">[];
  /** The run's risk register (id, title, level), for "how the register changed since the last run". */
  risks?: RunRecord["risks"];
  findingTargets: { kind: TargetKind | "site"; id: string }[];
  /** Distinct (rule, title, severity, citations) as findings carry them (passes keep only the first citation). */
  rules: { ruleId: string; title: string; severity: Severity; hipaa: string[] }[];
  statuses: FindingStatus[];
  messages: string[];
  /** Distinct firstSeen dates. */
  dates: string[];
  /** SHA-256 of each distinct evidence list, in pool order. */
  evidence: string[];
  /**
   * Six numbers per finding, in record order: target (into `findingTargets`), rule (into `rules`),
   * status (into `statuses`), message (into `messages`), evidence (into `evidence`, -1 when none),
   * firstSeen (into `dates`, -1 when none). Flat, so parsing it allocates no object per finding.
   */
  findings: number[];
}

/** A run's index as stored: `data` (the RunIndex) and `evidence` (the pool), both canonical JSON. */
export interface StoredIndex {
  data: string;
  evidence: string;
}

/** Interns values by their canonical JSON: the index of each distinct value. */
function pool<T>(): { list: T[]; keys: string[]; add(v: T, key?: string): number } {
  const at = new Map<string, number>();
  const list: T[] = [];
  const keys: string[] = [];
  return {
    list,
    keys,
    add(v, key = canonicalJson(v)) {
      let i = at.get(key);
      if (i === undefined) {
        i = list.push(v) - 1;
        keys.push(key);
        at.set(key, i);
      }
      return i;
    },
  };
}

export function buildRunIndex(record: RunRecord): { index: RunIndex; evidence: Evidence[][] } {
  const targets = pool<{ kind: TargetKind | "site"; id: string }>();
  const rules = pool<RunIndex["rules"][number]>();
  const statuses = pool<FindingStatus>();
  const messages = pool<string>();
  const dates = pool<string>();
  const evidence = pool<Evidence[]>();
  const findings: number[] = [];
  // Pool keys: native JSON.stringify where the key order is this code's own; evidence is keyed by its
  // canonical form (what verify rebuilds from the stored record), computed once per distinct text.
  const canonicalOf = new Map<string, string>();
  const evidenceKey = (e: Evidence[]) => {
    const text = JSON.stringify(e);
    let key = canonicalOf.get(text);
    if (key === undefined) canonicalOf.set(text, (key = canonicalJson(e)));
    return key;
  };
  for (const f of record.findings) {
    findings.push(
      targets.add({ kind: f.target.kind, id: f.target.id }, `${f.target.kind}|${f.target.id}`),
      rules.add({ ruleId: f.ruleId, title: f.title, severity: f.severity, hipaa: f.hipaa }, JSON.stringify([f.ruleId, f.title, f.severity, f.hipaa])),
      statuses.add(f.status, f.status),
      messages.add(f.message, f.message),
      f.evidence.length === 0 ? -1 : evidence.add(f.evidence, evidenceKey(f.evidence)),
      f.firstSeen === undefined ? -1 : dates.add(f.firstSeen, f.firstSeen),
    );
  }
  return {
    index: {
      format: INDEX_FORMAT,
      version: INDEX_VERSION,
      id: record.id,
      scope: record.scope,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      targets: record.targets.map((t) => ({ kind: t.kind, id: t.id, status: t.status, assets: t.assets })),
      ...(record.risks ? { risks: record.risks } : {}),
      findingTargets: targets.list,
      rules: rules.list,
      statuses: statuses.list,
      messages: messages.list,
      dates: dates.list,
      evidence: evidence.keys.map(sha256),
      findings,
    },
    evidence: evidence.list,
  };
}

/** The index of a record as stored. */
export function storedIndex(record: RunRecord): StoredIndex {
  const { index, evidence } = buildRunIndex(record);
  // `findings` holds only integers, whose canonical form is JSON.stringify's: splice it in rather
  // than walk it element by element. No key named `findings` sorts before it, and an unescaped quote
  // cannot occur inside a JSON string, so the first match is the top-level member.
  const head = canonicalJson({ ...index, findings: [] });
  const at = head.indexOf('"findings":[]') + '"findings":['.length;
  return { data: `${head.slice(0, at)}${JSON.stringify(index.findings).slice(1, -1)}${head.slice(at)}`, evidence: canonicalJson(evidence) };
}

/** Rebuilds the stored index from a record text; undefined when the text is not a run record. */
export function indexFromRecordText(text: string): StoredIndex | undefined {
  let record: RunRecord;
  try {
    record = JSON.parse(text) as RunRecord;
  } catch {
    return undefined;
  }
  if (record?.format !== RUN_FORMAT || !Array.isArray(record.findings)) return undefined;
  return storedIndex(record);
}

/**
 * A run as drift sees it. From an index, every finding is there as recorded but with empty
 * evidence; `evidenceOf` names each finding's pool entry and its hash, and `loadPool` reads the
 * pool when a changed finding needs it. A run read whole has its evidence and nothing lazy.
 */
export interface LightRun {
  record: RunRecord;
  lazy: Map<RecordedFinding, { ref: number; sha: string }>;
  loadPool: () => Promise<Evidence[][]>;
}

/** Failing findings by target key (`kind|id`) → rule ids: what decides which findings drift looks at. */
export type FailingKeys = Map<string, Set<string>>;

export function failingKeys(findings: Iterable<RecordedFinding>): FailingKeys {
  const out: FailingKeys = new Map();
  for (const f of findings) {
    if (f.status !== "fail") continue;
    const k = `${f.target.kind}|${f.target.id}`;
    const set = out.get(k) ?? new Set();
    set.add(f.ruleId);
    out.set(k, set);
  }
  return out;
}

/** The failing keys of an index, without materialising its findings. */
export function indexFailingKeys(index: RunIndex): FailingKeys {
  const out: FailingKeys = new Map();
  const fail = index.statuses.indexOf("fail");
  const n = index.findings;
  for (let i = 0; i < n.length; i += STRIDE) {
    if (n[i + 2] !== fail) continue;
    const t = index.findingTargets[n[i]!]!;
    const k = `${t.kind}|${t.id}`;
    const set = out.get(k) ?? new Set();
    set.add(index.rules[n[i + 1]!]!.ruleId);
    out.set(k, set);
  }
  return out;
}

/**
 * The run as drift sees it: its failing findings, and those of its other findings whose key fails
 * in `other` (the run it is compared with) — a finding that fails in neither run changes nothing in
 * computeDrift or the trend, so it is never built. Evidence stays in the pool until needed.
 */
export function lightRun(index: RunIndex, loadPool: () => Promise<Evidence[][]>, other: FailingKeys = new Map()): LightRun {
  const lazy: LightRun["lazy"] = new Map();
  const fail = index.statuses.indexOf("fail");
  const otherByTarget = index.findingTargets.map((t) => other.get(`${t.kind}|${t.id}`));
  const findings: RecordedFinding[] = [];
  const n = index.findings;
  for (let i = 0; i < n.length; i += STRIDE) {
    const rule = index.rules[n[i + 1]!]!;
    if (n[i + 2] !== fail && !otherByTarget[n[i]!]?.has(rule.ruleId)) continue;
    const f: RecordedFinding = {
      ruleId: rule.ruleId,
      target: index.findingTargets[n[i]!]!,
      status: index.statuses[n[i + 2]!]!,
      severity: rule.severity,
      title: rule.title,
      hipaa: rule.hipaa,
      message: index.messages[n[i + 3]!]!,
      evidence: [],
    };
    if (n[i + 5]! >= 0) f.firstSeen = index.dates[n[i + 5]!]!;
    if (n[i + 4]! >= 0) lazy.set(f, { ref: n[i + 4]!, sha: index.evidence[n[i + 4]!]! });
    findings.push(f);
  }
  const record: RunRecord = {
    format: RUN_FORMAT,
    version: 1,
    id: index.id,
    command: "scan",
    scope: index.scope,
    startedAt: index.startedAt,
    finishedAt: index.finishedAt,
    tool: { name: "", version: "" },
    rulePacks: [],
    params: {},
    failOn: "",
    factsSha256: "",
    targets: index.targets.map((t) => ({ ...t, factsSha256: "" })),
    findings,
    gate: undefined as unknown as RunRecord["gate"],
    ...(index.risks ? { risks: index.risks } : {}),
  };
  return { record, lazy, loadPool };
}

/** A run read whole (the current run, a run without index): nothing is lazy. */
export const wholeRun = (record: RunRecord): LightRun => ({ record, lazy: new Map(), loadPool: async () => [] });

const shaOf = (run: LightRun, f: RecordedFinding): string | null => run.lazy.get(f)?.sha ?? (f.evidence.length === 0 ? null : sha256(canonicalJson(f.evidence)));

/**
 * Fills in the evidence computeDrift compares and the index left out: for a finding key present in
 * both runs and failing in at least one whose evidence differs between them (by hash). A run's
 * evidence pool is read at most once, and only when such a finding needs it.
 */
export async function loadChangedEvidence(a: LightRun, b: LightRun): Promise<void> {
  if (a.lazy.size === 0 && b.lazy.size === 0) return;
  const bByKey = new Map(b.record.findings.map((f) => [findingKey(f), f]));
  const need = new Map<LightRun, RecordedFinding[]>([
    [a, []],
    [b, []],
  ]);
  for (const fa of a.record.findings) {
    const fb = bByKey.get(findingKey(fa));
    if (!fb || (fa.status !== "fail" && fb.status !== "fail")) continue;
    if (!a.lazy.has(fa) && !b.lazy.has(fb)) continue;
    if (shaOf(a, fa) === shaOf(b, fb)) continue;
    if (a.lazy.has(fa)) need.get(a)!.push(fa);
    if (b.lazy.has(fb)) need.get(b)!.push(fb);
  }
  for (const [run, findings] of need) {
    if (findings.length === 0) continue;
    const evidence = await run.loadPool();
    for (const f of findings) f.evidence = evidence[run.lazy.get(f)!.ref] ?? [];
  }
}

/** `history verify`'s check of the derived data: each stored index equals the one its record gives. */
export function verifyIndexes(rows: { seq: number; id: string; kind: string; record: string | null }[], indexes: Map<number, StoredIndex>): { ok: boolean; indexed: number; problem?: { seq: number; id: string; reason: string } } {
  let indexed = 0;
  for (const r of rows) {
    const stored = indexes.get(r.seq);
    if (stored === undefined) continue;
    if (r.kind !== "run" || r.record === null) return { ok: false, indexed, problem: { seq: r.seq, id: r.id, reason: "it has a drift index but no run record" } };
    const rebuilt = indexFromRecordText(r.record);
    if (rebuilt?.data !== stored.data || rebuilt.evidence !== stored.evidence) return { ok: false, indexed, problem: { seq: r.seq, id: r.id, reason: "its drift index does not match its record (edited)" } };
    indexed++;
  }
  return { ok: true, indexed };
}

/** A stored run as read for drift: its index (the fast path), or its whole record (a run without one). */
export interface StoredRun {
  index?: RunIndex;
  record?: RunRecord;
  pool: () => Promise<Evidence[][]>;
}

/** Reads a run's index, or its record when it has none. Undefined for a pruned run or a review. */
export async function readStoredRun(store: HistoryStore, meta: ChainMeta): Promise<StoredRun | undefined> {
  if (meta.kind !== "run" || meta.prunedAt !== null) return undefined;
  const data = await store.runIndex(meta.seq);
  const pool = async () => JSON.parse((await store.runIndexEvidence(meta.seq)) ?? "[]") as Evidence[][];
  if (data !== undefined) return { index: JSON.parse(data) as RunIndex, pool };
  const record = (await store.get(meta.id))?.record;
  return record ? { record: JSON.parse(record) as RunRecord, pool } : undefined;
}

export const failingKeysOf = (run: StoredRun): FailingKeys => (run.index ? indexFailingKeys(run.index) : failingKeys(run.record!.findings));

/** The run as drift sees it, against `other` (the failing keys of the run it is compared with). */
export const materialize = (run: StoredRun, other?: FailingKeys): LightRun => (run.index ? lightRun(run.index, run.pool, other) : wholeRun(run.record!));

/** Two stored runs for `history diff`, each materialised against the other's failing keys. */
export async function loadPair(store: HistoryStore, newer: ChainMeta, older: ChainMeta): Promise<[LightRun, LightRun] | undefined> {
  const [n, o] = [await readStoredRun(store, newer), await readStoredRun(store, older)];
  return n && o ? [materialize(n, failingKeysOf(o)), materialize(o, failingKeysOf(n))] : undefined;
}
