import { readFileSync } from "node:fs";

/**
 * The golden facts (test/data/golden-facts.json) trimmed to ssh://admin@ehr-db, whose checks all
 * complete, so a gate over it can pass. The golden facts predate the activity section; ehr-db is
 * given what a probe run without login records gives, so the activity rules do not apply.
 */
export function ehrDbFacts() {
  const golden = JSON.parse(readFileSync(new URL("../data/golden-facts.json", import.meta.url), "utf8"));
  golden.targets = golden.targets.filter((t: { target: { id: string } }) => t.target.id === "ssh://admin@ehr-db");
  const none = { unknown: true, reason: "this probe run read no login records" };
  golden.targets[0].facts.activity = { recorded: false, windowDays: 30, windowStart: "2025-01-01T00:00:00.000Z", oldestRecord: none, logins: none, failures: none, failureSources: none, sudo: none, capped: false };
  return golden;
}
