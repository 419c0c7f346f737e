import type { FactsDocument, TargetFacts } from "../core/model.js";
import { isKind, ofRuntimeKind } from "../core/target-facts.js";

/**
 * Several saved runs as one (`evaluate a.json b.json`), e.g. the same server VLAN tested `--from guest`
 * and `--from devices` on different machines, so the report combines them into one reachability
 * matrix. A target id seen again is told apart by its vantage point (`10.77.2.0/24 from devices`), or
 * by its run number. Pure.
 */
export function mergeFactsDocuments(docs: FactsDocument[]): FactsDocument {
  if (docs.length === 1) return docs[0]!;
  const ids = new Set<string>();
  const targets: TargetFacts[] = [];
  docs.forEach((doc, run) => {
    for (const t of doc.targets) {
      let id = t.target.id;
      if (ids.has(id)) {
        const vantage = isKind(t, "network") ? t.facts.scan?.vantage : undefined;
        id = typeof vantage === "string" && !ids.has(`${id} from ${vantage}`) ? `${id} from ${vantage}` : `${id} (run ${run + 1})`;
      }
      ids.add(id);
      targets.push(id === t.target.id ? t : ofRuntimeKind({ ...t, target: { ...t.target, id } }));
    }
  });
  const times = (k: "startedAt" | "finishedAt") => docs.map((d) => d[k]).sort();
  return { ...docs[0]!, startedAt: times("startedAt")[0]!, finishedAt: times("finishedAt").at(-1)!, targets };
}
