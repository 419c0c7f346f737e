import { Type, type Static } from "@sinclair/typebox";
import type { Finding } from "../core/model.js";
import type { PlanState, Risk } from "../risk/register.js";
import type { PlanFile, PlanItem } from "./schema.js";

/**
 * `scan --plan FILE`: each risk of this run gets its plan state; plan items whose risk is gone are
 * resolved; items marked done whose finding still fails are flagged; overdue items (and accepted
 * ones past their review date) become failing findings under 164.308(a)(1)(ii)(B), so they fail
 * the gate like any other failing finding at the `--fail-on` bar. Pure.
 */

const strict = { additionalProperties: false } as const;
const Ids = Type.Array(Type.String());

export const PlanSummarySchema = Type.Object(
  {
    file: Type.String(),
    items: Type.Integer({ minimum: 0 }),
    /** Plan items whose risk no longer appears in the register: its findings are gone. */
    resolved: Type.Array(Type.Object({ risk: Type.String(), title: Type.String(), status: Type.String() }, strict)),
    /** Risks of this run the plan does not list yet (run `plan init` again to add them). */
    unplanned: Ids,
    overdue: Ids,
    /** Marked done, but the finding still fails. */
    doneButFailing: Ids,
  },
  { ...strict, title: "PlanSummary" },
);
export type PlanSummary = Static<typeof PlanSummarySchema>;

export const PLAN_RULE_ID = "plan-overdue";
export const PLAN_CITATION = "164.308(a)(1)(ii)(B)";

export function applyPlan(
  risks: Risk[],
  plan: PlanFile,
  file: string,
  today: string,
): { risks: Risk[]; summary: PlanSummary; findings: Finding[] } {
  const items = new Map(plan.items.map((i) => [i.risk, i]));
  const summary: PlanSummary = { file, items: plan.items.length, resolved: [], unplanned: [], overdue: [], doneButFailing: [] };
  const findings: Finding[] = [];
  const out = risks.map((r) => {
    const item = items.get(r.id);
    if (!item) {
      summary.unplanned.push(r.id);
      return r;
    }
    const state = planState(item, today);
    if (state.state === "overdue" || state.state === "accepted-review-due") {
      summary.overdue.push(r.id);
      findings.push(overdueFinding(r, item, state));
    }
    if (state.state === "done-but-failing") summary.doneButFailing.push(r.id);
    return { ...r, plan: state };
  });
  for (const item of plan.items) {
    if (!risks.some((r) => r.id === item.risk)) summary.resolved.push({ risk: item.risk, title: item.title, status: item.status });
  }
  return { risks: out, summary, findings };
}

export function planState(item: PlanItem, today: string): PlanState {
  const base = { owner: item.owner, due: item.due, status: item.status };
  if (item.status === "accepted") {
    return item.reviewBy && item.reviewBy < today
      ? { ...base, state: "accepted-review-due", note: `risk accepted, but its review was due on ${item.reviewBy}` }
      : { ...base, state: "accepted", note: `risk accepted until review on ${item.reviewBy ?? "?"}: ${item.justification ?? ""}` };
  }
  if (item.status === "done") return { ...base, state: "done-but-failing", note: "marked done, but the finding still fails" };
  if (item.due < today) return { ...base, state: "overdue", note: `was due on ${item.due} (${daysBetween(item.due, today)} day(s) ago)` };
  return { ...base, state: "on-track", note: `${item.status}, due in ${daysBetween(today, item.due)} day(s)` };
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function overdueFinding(r: Risk, item: PlanItem, state: PlanState): Finding {
  return {
    ruleId: PLAN_RULE_ID,
    title: `Remediation plan item overdue: ${r.title}`,
    severity: "high",
    status: "fail",
    target: { kind: "site", id: "site" },
    hipaa: [PLAN_CITATION],
    message: `${r.id} (${r.label} risk, owner ${item.owner}) ${state.note}; its finding still fails on ${r.assets.join(", ")}.`,
    evidence: [
      { fact: `plan.items[risk=${r.id}].due`, observed: item.due, expected: "not in the past while the risk is open" },
      { fact: `plan.items[risk=${r.id}].status`, observed: item.status },
    ],
    remediation: `Fix it (${r.remediation.split("\n")[0]}), or agree a new due date with the owner and record it in the plan file; a risk the practice accepts needs status: accepted with a justification and a review date.`,
  };
}
