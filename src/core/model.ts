import type { NetworkMap } from "../network/map.js";
import type { AssetInventory } from "../assets/inventory.js";
import type { Risk } from "../risk/register.js";
import type { PlanSummary } from "../plan/apply.js";

/**
 * The contracts shared by every stage of the pipeline: targets, facts, findings, reports.
 * JSON Schemas for the files users see (facts, report) are built from the TypeBox definitions in
 * src/facts/ and src/report/; these interfaces are the in-memory shape the code passes around.
 */

export type TargetKind = "host" | "directory" | "network";

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
  options?: Record<string, unknown>;
}

/**
 * How a target is named in reports. Kind `site` is used only by `manual` findings: a HIPAA
 * specification no scan can prove concerns the practice, not one scanned system.
 */
export interface TargetRef {
  kind: TargetKind | "site";
  id: string;
}

export const TARGET_STATUSES = ["ok", "partial", "unreachable", "auth_failed", "host_key_mismatch", "error"] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FINDING_STATUSES = ["fail", "error", "manual", "pass", "not_applicable"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Everything one collector learned about one target. JSON-serialisable. */
export interface TargetFacts {
  target: TargetRef;
  status: TargetStatus;
  /** Why the status is not `ok`. Remote text already cleaned. */
  statusReason?: string;
  /** Collector that produced these facts, e.g. `host/linux-probe`. */
  collector: string;
  /** ISO time of collection: the reference time for age operators, so `evaluate` later gives the same result. */
  collectedAt: string;
  tags: Record<string, string | boolean>;
  /** Facts by section: host facts (src/facts/host.ts), directory facts, network facts. */
  facts: Record<string, unknown>;
  /** Where each section came from (command or file), shown as evidence source. */
  sources: Record<string, string>;
  /** Things a reader of the report must know about how this target was checked (e.g. `--insecure-tls`). */
  notes: string[];
}

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
}

export interface Evidence {
  /** Fact path, relative to the target's facts (or to the collection item, e.g. `accounts.users[name=bob].uid`). */
  fact: string;
  observed: unknown;
  expected?: string;
  /** Where the value came from (command or file). */
  source?: string;
}

/** A documented alternative measure for an addressable specification (HIPAA 164.306(d)(3)). */
export interface AlternativeMeasure {
  justification: string;
  owner: string;
  reviewBy: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  target: TargetRef;
  hipaa: string[];
  message: string;
  evidence: Evidence[];
  remediation: string;
  /** Set when a failing addressable rule is covered by a documented alternative measure. */
  alternative?: AlternativeMeasure;
}

export interface Report {
  tool: { name: string; version: string };
  rulePacks: { id: string; version: string; sha256: string }[];
  startedAt: string;
  finishedAt: string;
  failOn: Severity | "none";
  params: Record<string, unknown>;
  targets: (TargetRef & { status: TargetStatus; statusReason?: string; collector: string; notes: string[] })[];
  findings: Finding[];
  /** HIPAA catalog: every specification, its status, and how the scan covered it. */
  catalog: CatalogEntry[];
  summary: ReportSummary;
  /** Segments → hosts → classes, when the run scanned networks (src/network/map.ts). */
  network?: NetworkMap;
  /** Technology asset inventory, when the run scanned more than one thing (src/assets/inventory.ts). */
  assets?: AssetInventory;
  /** Ranked risk register from the failing findings (src/risk/register.ts, docs/risk.md). */
  risks?: Risk[];
  /** `scan --plan FILE`: what the remediation plan says and what the scan made of it (src/plan/apply.ts). */
  plan?: PlanSummary;
}

export interface CatalogEntry {
  citation: string;
  name: string;
  status: "required" | "addressable" | "standard";
  rules: string[];
  /** What the scan saw for this specification, worst first. `manual` when no rule covers it. */
  outcome: FindingStatus | "not_evaluated";
}

export interface ReportSummary {
  byStatus: Record<FindingStatus, number>;
  bySeverity: Record<Severity, number>;
  targets: Record<TargetStatus, number>;
  /** The gate: what the exit code will be. */
  gate: { failOn: Severity | "none"; failed: number; incomplete: number; exitCode: 0 | 1 | 3 };
}
