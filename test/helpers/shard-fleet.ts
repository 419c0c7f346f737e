import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { collectOptions } from "../../src/collectors/options.js";
import type { Collector, CollectorRegistry } from "../../src/collectors/types.js";
import { TransportError } from "../../src/core/errors.js";
import type { Finding, Report, TargetFacts, TargetFactsOf, TargetSpec } from "../../src/core/model.js";
import { parseTarget } from "../../src/core/targets.js";
import { collectFacts, type RunOptions } from "../../src/pipeline.js";
import { parseLinux } from "../../src/probes/linux/index.js";
import { splitSections } from "../../src/probes/sections.js";

/**
 * A fleet for the shard and merge tests: hosts replaying real probe captures (fixtures/linux/<case>/,
 * see each PROVENANCE.md) through the real pipeline (collectFacts with a replaying collector), plus
 * hosts that refuse or break; and how a merged report is compared with the unsharded one.
 */
const FIXTURES = fileURLToPath(new URL("../../fixtures/linux/", import.meta.url));
const CASES = ["debian12-root", "debian12-nonroot", "debian12-hardened", "debian12-hardened-nonroot", "debian12-root-aptget"];

function captured(name: string): Omit<TargetFactsOf<"host">, "target"> {
  const dir = `${FIXTURES}${name}/`;
  const mark = readFileSync(`${dir}mark.txt`, "utf8").trim();
  const date = /date=(\S+)/.exec(readFileSync(`${dir}run.txt`, "utf8"))![1]!;
  const { facts, sources } = parseLinux(splitSections(readFileSync(`${dir}probe-output.txt`, "utf8"), mark), new Date(date));
  return { status: "ok", collector: "host/ssh", collectedAt: date, tags: {}, facts, sources, notes: [] };
}
const captures = CASES.map(captured);

/** ssh://scan@hN replays capture N mod 5; refused-N is unreachable; broken-N throws. */
const replay: Collector = {
  name: "replay",
  async collect(t: TargetSpec): Promise<TargetFacts> {
    if (t.host!.startsWith("refused")) throw new TransportError("unreachable", `connect ECONNREFUSED ${t.host}:22`);
    if (t.host!.startsWith("broken")) throw new Error("parser bug");
    const n = Number(/\d+$/.exec(t.host!)![0]);
    return { target: { kind: "host", id: t.id }, ...structuredClone(captures[n % captures.length]!) };
  },
};
const none = async () => {
  throw new Error("not used");
};
const registry: CollectorRegistry = { local: none, ssh: async () => replay, winrm: none, winrms: none, ldap: none, ldaps: none, network: none };

/** 36 replaying hosts, 2 refusing, 1 breaking. */
export const FLEET = [
  ...Array.from({ length: 36 }, (_, i) => `ssh://scan@h${i}`),
  "ssh://scan@refused-1",
  "ssh://scan@refused-2",
  "ssh://scan@broken-1",
].map((t) => parseTarget(t));
export const FLEET_RUN: RunOptions = { rulePaths: [], params: {}, failOn: "high" };

/** Collects `targets` of the fleet through the real pipeline. */
export const collectFleet = (targets: TargetSpec[]) =>
  collectFacts({ targets, options: collectOptions({ timeoutMs: 5000 }), concurrency: 8, secrets: { password: async () => undefined }, registry });

/** Key-order-independent text of a value. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}
/** As the JSON report has them: a key whose value is undefined is no key. */
export const findingSet = (r: Pick<Report, "findings">) => new Set(r.findings.map((f: Finding) => canonical(JSON.parse(JSON.stringify(f)))));

/** The merged report is the unsharded one: findings as sets, summary, catalog, targets, gate, risk ranking. */
export function expectEqualToUnsharded(merged: Report, unsharded: Report) {
  expect(findingSet(merged)).toEqual(findingSet(unsharded));
  expect(merged.findings.length).toBe(unsharded.findings.length);
  expect(merged.summary).toEqual(unsharded.summary);
  expect(merged.catalog).toEqual(unsharded.catalog);
  expect(merged.targets).toEqual(unsharded.targets);
  // The risk register is built from the merged findings as in one run (a report part carries no
  // facts, so the asset named in a score's explanation may differ; the ranking and levels may not).
  const ranked = (r: Report) => (r.risks ?? []).map((x) => `${x.id} ${x.likelihood.level}x${x.impact.level}`);
  expect(ranked(unsharded).length).toBeGreaterThan(0);
  expect(ranked(merged)).toEqual(ranked(unsharded));
}
