import type { FactsKind, TargetFacts, TargetFactsOf, TargetRef } from "./model.js";

/**
 * Narrows a target's facts to one kind. `TargetFacts` is a union by `target.kind`, which
 * TypeScript does not narrow on because the discriminant is nested; this guard is the one place
 * that does it, so readers of `facts.os`, `facts.hosts`, … get their section's type.
 */
export function isKind<K extends FactsKind>(t: TargetFacts, kind: K): t is TargetFactsOf<K> & TargetFacts {
  return t.target.kind === kind;
}

/**
 * A target record whose kind is known only at run time (a report's target list, a rule test
 * case), as the union. The caller vouches that `facts` is what that kind carries: an empty object
 * always is; a rule test's facts are checked against the kind's schema before they are used.
 */
export function ofRuntimeKind(t: TargetFactsOf<FactsKind>): TargetFacts {
  return t as TargetFacts;
}

/** Compile-time check: every kind a report names has its facts shape in `FactsByKind`, and no other. */
const _sameKinds: [FactsKind] extends [TargetRef["kind"]] ? ([TargetRef["kind"]] extends [FactsKind] ? true : false) : false = true;
