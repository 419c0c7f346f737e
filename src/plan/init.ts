import { stringify } from "yaml";
import type { Risk } from "../risk/register.js";
import type { RiskParams } from "../risk/params.js";
import { PLAN_FORMAT, type PlanFile, type PlanItem } from "./schema.js";

/** Days to fix by priority, from the plan params (critical 15, high 30, medium 90, low 180 by default). */
export function dueDays(priority: Risk["priority"], params: RiskParams): number {
  return params[`plan.due_${priority as "critical" | "high" | "medium" | "low"}_days`];
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A plan from the register: one `open` item per risk, owner to be named, due by its priority.
 * Items of an existing plan are kept as they are (owner, status, dates), so `plan init` can be run
 * again after a scan to add the new risks.
 */
export function initPlan(risks: Risk[], params: RiskParams, today: string, existing?: PlanFile): PlanFile {
  const kept = new Map((existing?.items ?? []).map((i) => [i.risk, i]));
  const items: PlanItem[] = risks.map(
    (r) =>
      kept.get(r.id) ?? {
        risk: r.id,
        title: r.title,
        level: `${r.label} (${r.priority})`,
        owner: "unassigned",
        due: addDays(today, dueDays(r.priority, params)),
        status: "open",
      },
  );
  for (const item of existing?.items ?? []) if (!risks.some((r) => r.id === item.risk)) items.push(item);
  return { format: PLAN_FORMAT, version: 1, created: existing?.created ?? today, items };
}

export function renderPlan(plan: PlanFile): string {
  return [
    "# hipaa-scan remediation plan (HIPAA 164.308(a)(1)(ii)(B), risk management).",
    "# One item per risk of the register. Name an owner, keep the due date or move it, and set status:",
    "#   open | in-progress | done | accepted (accepted needs justification: and reviewBy: YYYY-MM-DD).",
    "# Check progress with: hipaa-scan scan ... --plan THIS-FILE (overdue items fail the gate).",
    stringify(plan, { lineWidth: 0 }),
  ].join("\n");
}
