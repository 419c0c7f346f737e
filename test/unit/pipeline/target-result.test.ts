import { describe, expect, it } from "vitest";
import { failedTargetFacts, failureReason, targetFacts } from "../../../src/collectors/target-result.js";
import { TransportError } from "../../../src/core/errors.js";
import { parseTarget } from "../../../src/core/targets.js";

const at = new Date("2026-03-01T09:00:00.000Z");
const target = { ...parseTarget("ssh://admin@db1"), tags: { ephi: true } };

describe("the one target-result builder", () => {
  it("builds a partial result with the target's id, kind and tags, and no empty reason", () => {
    expect(targetFacts(target, { collector: "host/ssh", at, status: "partial", statusReason: "cut", notes: ["n"] })).toEqual({
      target: { kind: "host", id: "ssh://admin@db1" },
      status: "partial",
      statusReason: "cut",
      collector: "host/ssh",
      collectedAt: "2026-03-01T09:00:00.000Z",
      tags: { ephi: true },
      facts: {},
      sources: {},
      notes: ["n"],
    });
    expect(targetFacts(target, { collector: "x", at, status: "ok", statusReason: "" })).not.toHaveProperty("statusReason");
  });

  it("cleans and caps a failure's reason, and marks a host's os unknown for the same reason", () => {
    const f = failedTargetFacts(target, { collector: "host/ssh", at, status: "unreachable", reason: `\u001b[31mrefused${"x".repeat(50)}`, maxReason: 20, unknownOs: true });
    expect(f.statusReason).not.toContain("\u001b");
    expect(f.statusReason).toMatch(/^refusedx{13}… \[\d+ more characters cut\]$/);
    expect(f.facts).toEqual({ os: { unknown: true, reason: `not collected: ${f.statusReason}` } });
    expect(failedTargetFacts(target, { collector: "ssh", at, status: "error", reason: "boom" }).facts).toEqual({});
  });

  it("logs a bug's stack under --verbose, but not a typed error's", () => {
    const lines: string[] = [];
    const log = { verbose: (m: string) => lines.push(m), warn: () => {} };
    expect(failureReason(target, new TransportError("unreachable", "connect ECONNREFUSED"), log)).toBe("connect ECONNREFUSED");
    expect(lines).toEqual([]);
    expect(failureReason(target, new TypeError("cannot read x of undefined"), log)).toBe("cannot read x of undefined");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ssh:\/\/admin@db1: TypeError: cannot read x of undefined\n\s+at /);
  });
});
