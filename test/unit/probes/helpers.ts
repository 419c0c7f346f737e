import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CollectContext } from "../../../src/collectors/types.js";
import { testContext as sharedContext } from "../../helpers/context.js";
import type { TargetSpec } from "../../../src/core/model.js";
import { ProbeOutput } from "../../../src/probes/linux/probe-output.js";
import { probeUid } from "../../../src/probes/linux/index.js";
import { splitSections, type SplitOutput } from "../../../src/probes/sections.js";

export const FIXTURES = fileURLToPath(new URL("../../../fixtures/linux/", import.meta.url));

/** A captured probe run: the raw output and the marker it was captured with (see each PROVENANCE.md). */
export function loadCapture(name: string): SplitOutput {
  const dir = `${FIXTURES}${name}/`;
  const mark = readFileSync(`${dir}mark.txt`, "utf8").trim();
  return splitSections(readFileSync(`${dir}probe-output.txt`, "utf8"), mark);
}

export function loadProbe(name: string): ProbeOutput {
  const split = loadCapture(name);
  return new ProbeOutput(split, probeUid(split));
}

export function fixtureText(path: string): string {
  return readFileSync(`${FIXTURES}${path}`, "utf8");
}

export const localTarget: TargetSpec = { kind: "host", scheme: "local", id: "local", tags: {} };

export function testContext(overrides: Partial<CollectContext> = {}): CollectContext {
  return { ...sharedContext({ options: { timeoutMs: 60_000, networkProfile: "quick" }, now: new Date("2026-11-22T21:00:00Z") }), ...overrides };
}
