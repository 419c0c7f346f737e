/**
 * The closed value sets every stage shares. They sit below src/core/model.ts and
 * src/report/schema.ts, so the report schema can use them and the model can derive its types from
 * that schema without an import cycle. src/core/model.ts re-exports them.
 */

export const TARGET_KINDS = ["host", "directory", "network"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const TARGET_STATUSES = ["ok", "partial", "unreachable", "auth_failed", "host_key_mismatch", "error"] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FINDING_STATUSES = ["fail", "error", "manual", "pass", "not_applicable"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
