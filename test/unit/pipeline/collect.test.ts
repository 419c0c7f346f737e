import { describe, expect, it } from "vitest";
import type { Collector, CollectOptions, CollectorRegistry } from "../../../src/collectors/types.js";
import { collectOptions } from "../../../src/collectors/options.js";
import { TransportError, UsageError } from "../../../src/core/errors.js";
import type { TargetFacts, TargetSpec } from "../../../src/core/model.js";
import { parseTarget } from "../../../src/core/targets.js";
import { collectFacts } from "../../../src/pipeline.js";

const options: CollectOptions = collectOptions({ timeoutMs: 300 });

/** A registry whose ssh collector behaves per host name. */
function registry(behaviour: (target: TargetSpec, signal: AbortSignal) => Promise<TargetFacts>, seen: string[] = []): CollectorRegistry {
  const collector: Collector = { name: "fake", collect: (t, ctx) => (seen.push(t.host!), behaviour(t, ctx.signal)) };
  const none = async () => { throw new Error("not used"); };
  return { local: none, ssh: async () => collector, winrm: none, winrms: none, ldap: none, ldaps: none, network: none };
}

const ok = (t: TargetSpec): TargetFacts => ({ target: { kind: "host", id: t.id }, status: "ok", collector: "fake", collectedAt: new Date().toISOString(), tags: {}, facts: {}, sources: {}, notes: [] });
const run = (hosts: string[], reg: CollectorRegistry, concurrency = 4) =>
  collectFacts({ targets: hosts.map((h) => parseTarget(`ssh://${h}`)), options, concurrency, secrets: { password: async () => undefined }, registry: reg });

describe("collecting from many targets", () => {
  it("gives every target exactly one status, whatever its collector did", async () => {
    const doc = await run(["good", "refused", "broken", "hangs"], registry(async (t, signal) => {
      if (t.host === "refused") throw new TransportError("unreachable", "connect ECONNREFUSED");
      if (t.host === "broken") throw new Error("parser bug");
      if (t.host === "hangs") await new Promise(() => { void signal; }); // ignores its deadline
      return ok(t);
    }));
    expect(doc.targets.map((t) => [t.target.id, t.status])).toEqual([
      ["ssh://good", "ok"],
      ["ssh://refused", "unreachable"],
      ["ssh://broken", "error"],
      ["ssh://hangs", "error"],
    ]);
    expect(doc.targets[3]!.statusReason).toMatch(/deadline/);
  }, 10_000);

  it("aborts a collector's signal at the deadline", async () => {
    const doc = await run(["slow"], registry((t, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new TransportError("unreachable", "timed out"))))));
    expect(doc.targets[0]).toMatchObject({ status: "unreachable", statusReason: "timed out" });
  });

  it("keeps at most --concurrency targets in flight", async () => {
    let inFlight = 0;
    let most = 0;
    await run(Array.from({ length: 12 }, (_, i) => `h${i}`), registry(async (t) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      return ok(t);
    }), 3);
    expect(most).toBe(3);
  });

  it("refuses duplicate targets before touching any", async () => {
    const seen: string[] = [];
    await expect(run(["a", "a"], registry(async (t) => ok(t), seen))).rejects.toBeInstanceOf(UsageError);
    expect(seen).toEqual([]);
  });

  it("cleans remote text in a failure reason", async () => {
    const doc = await run(["evil"], registry(async () => { throw new TransportError("error", "bad\u001b]0;pwned\u0007 banner\u001b[2J"); }));
    expect(doc.targets[0]!.statusReason).toBe("bad banner");
  });
});
