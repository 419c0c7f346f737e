import { expect } from "vitest";
import type { FactsByKind, FactsKind, TargetFacts } from "../../src/core/model.js";
import { isKind } from "../../src/core/target-facts.js";

/** The facts of a target the test expects to be of `kind` (the test fails otherwise), typed for that kind. */
export function factsOf<K extends FactsKind>(t: TargetFacts, kind: K): FactsByKind[K] {
  expect(t.target.kind).toBe(kind);
  if (!isKind(t, kind)) throw new Error(`expected a ${kind} target`);
  return t.facts;
}

/**
 * Facts built by hand with only the sections and fields a case needs, the way rule test cases are
 * written (they are checked against the schema with nothing required); the engine reads facts by
 * path, so a missing field is an unknown, never a crash.
 */
export function sketchFacts<K extends FactsKind>(_kind: K, facts: Record<string, unknown>): FactsByKind[K] {
  return facts as FactsByKind[K];
}
