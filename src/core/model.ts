import type { TargetKind, TargetStatus } from "./statuses.js";
import type { TargetOptions } from "./target-options.js";
import type { HostFacts } from "../facts/host.js";
import type { DirectoryFacts } from "../facts/directory.js";
import type { NetworkFacts } from "../facts/network.js";
import type { SiteFacts } from "../facts/site.js";

/**
 * The contracts shared by every stage of the pipeline: targets, facts, findings, reports.
 * JSON Schemas for the files users see (facts, report) are built from the TypeBox definitions in
 * src/facts/ and src/report/. The report's types are `Static<>` of its schema (re-exported below);
 * a target's facts are `Static<>` of its kind's facts schema (`FactsByKind`); targets, and the
 * facts document around them, are the interfaces here.
 */

export { FINDING_STATUSES, SEVERITIES, TARGET_KINDS, TARGET_STATUSES } from "./statuses.js";
export type { FindingStatus, Severity, TargetKind, TargetStatus } from "./statuses.js";

/**
 * The report and what it is made of: `Static<>` of the TypeBox schemas in src/report/schema.ts,
 * the one source of both these types and schemas/report.schema.json. Add report fields there.
 */
export type {
  AlternativeMeasure,
  CatalogEntry,
  Evidence,
  Finding,
  Report,
  ReportSummary,
  ReportTarget,
  TargetRef,
  RunInfo,
  Drift,
  DriftFinding,
  ActivityReview,
} from "../report/schema.js";
import type { TargetRef } from "../report/schema.js";

/** How a target is reached. `local` is the machine hipaa-scan runs on. */
export type Scheme = "local" | "ssh" | "winrm" | "winrms" | "ldap" | "ldaps" | "network";

/** A target as parsed and validated from the command line or the inventory. */
export interface TargetSpec {
  kind: TargetKind;
  scheme: Scheme;
  /** The target as the user gave it (URI, CIDR or `local`); reports use it as the target id. */
  id: string;
  host?: string;
  port?: number;
  user?: string;
  /** LDAP base DN. */
  baseDN?: string;
  /** Inventory tags such as `ephi: true`. */
  tags: Record<string, string | boolean>;
  /** Per-target overrides from the inventory (identity file, sudo, …). */
  options?: TargetOptions;
}

/**
 * The facts of each target kind: `Static<>` of its schema in src/facts/ (the site pseudo-target is
 * built from history). Partial, because a target that yielded nothing carries `{}` and a failed
 * host only `os`; a facts file's targets were checked against the full schemas when read.
 */
export interface FactsByKind {
  host: Partial<HostFacts>;
  directory: Partial<DirectoryFacts>;
  network: Partial<NetworkFacts>;
  site: Partial<SiteFacts>;
}
export type FactsKind = keyof FactsByKind;

/** Everything one collector learned about one target of kind K. JSON-serialisable. */
export interface TargetFactsOf<K extends FactsKind> {
  target: TargetRef & { kind: K };
  status: TargetStatus;
  /** Why the status is not `ok`. Remote text already cleaned. */
  statusReason?: string;
  /** Collector that produced these facts, e.g. `host/linux-probe`. */
  collector: string;
  /** ISO time of collection: the reference time for age operators, so `evaluate` later gives the same result. */
  collectedAt: string;
  tags: Record<string, string | boolean>;
  /** Facts by section: host facts (src/facts/host.ts), directory facts, network facts, site facts. */
  facts: FactsByKind[K];
  /** Where each section came from (command or file), shown as evidence source. */
  sources: Record<string, string>;
  /** Things a reader of the report must know about how this target was checked (e.g. `--insecure-tls`). */
  notes: string[];
}

/**
 * One target's facts, a union by `target.kind`. TypeScript does not narrow on the nested
 * `target.kind`, so narrow with `isKind` (src/core/target-facts.ts).
 */
export type TargetFacts = { [K in FactsKind]: TargetFactsOf<K> }[FactsKind];

export const FACTS_FORMAT = "hipaa-scan-facts";
export const FACTS_SCHEMA_VERSION = 1;

/** The file `collect` writes and `evaluate` reads. */
export interface FactsDocument {
  format: typeof FACTS_FORMAT;
  schemaVersion: typeof FACTS_SCHEMA_VERSION;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  targets: TargetFacts[];
  /** Set when this is one shard of a run (`--shard K/N`, src/shard.ts). */
  shard?: ShardTag;
}

/** Which shard of a run a facts file or report is, and the whole run's target list (src/shard.ts). */
export interface ShardTag {
  /** Run group (`--group`, default derived from N and the target list's hash). */
  group: string;
  /** 1-based shard number K of `count` (N). */
  index: number;
  count: number;
  targetsSha256: string;
  /** Every target of the run, in every shard: `merge` reports the ones no shard delivered as errors. */
  targets: { kind: TargetKind; id: string }[];
}
