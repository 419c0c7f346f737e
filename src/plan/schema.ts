/**
 * The remediation plan file (`hipaa-scan plan init` writes it, `scan --plan FILE` reads it): one
 * item per risk of the register, with an owner, a due date and a status. `accepted` needs a
 * justification and a review date, as documented alternative measures do. Plain JSON Schema
 * (ajv), published as schemas/plan.schema.json.
 */
export const PLAN_FORMAT = "hipaa-scan-plan";
export const PLAN_STATUSES = ["open", "in-progress", "done", "accepted"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface PlanItem {
  risk: string;
  title: string;
  level: string;
  owner: string;
  due: string;
  status: PlanStatus;
  justification?: string;
  reviewBy?: string;
  notes?: string;
}

export interface PlanFile {
  format: typeof PLAN_FORMAT;
  version: 1;
  created: string;
  items: PlanItem[];
}

const date = { type: "string", format: "date" } as const;

export const PlanFileSchema = {
  $id: "https://hipaa-scan.dev/schemas/plan.schema.json",
  title: "hipaa-scan remediation plan",
  type: "object",
  additionalProperties: false,
  required: ["format", "version", "created", "items"],
  properties: {
    format: { const: PLAN_FORMAT },
    version: { const: 1 },
    created: date,
    items: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["risk", "title", "level", "owner", "due", "status"],
        properties: {
          risk: { type: "string", pattern: "^R-[a-z0-9][a-z0-9-]*$" },
          title: { type: "string" },
          level: { type: "string" },
          owner: { type: "string", minLength: 1 },
          due: date,
          status: { enum: [...PLAN_STATUSES] },
          justification: { type: "string", minLength: 20 },
          reviewBy: date,
          notes: { type: "string" },
        },
        if: { properties: { status: { const: "accepted" } }, required: ["status"] },
        then: { required: ["justification", "reviewBy"] },
      },
    },
  },
} as const;
