import { writeFileSync } from "node:fs";
import { Value } from "@sinclair/typebox/value";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { localHostCollector } from "../../../src/collectors/host-local.js";
import { HostFactsSchema } from "../../../src/facts/host.js";
import { FactsDocumentSchema } from "../../../src/facts/index.js";
import { FACTS_FORMAT, FACTS_SCHEMA_VERSION } from "../../../src/core/model.js";
import { localTarget, testContext } from "./helpers.js";
import { factsOf } from "../../helpers/facts.js";

describe("local collector (real probe on this machine)", () => {
  it("runs the probe once and returns host facts that validate against the HostFacts schema", async () => {
    const started = Date.now();
    const facts = await localHostCollector.collect(localTarget, testContext());
    const elapsed = Date.now() - started;
    if (process.env.HSP_DUMP) writeFileSync(process.env.HSP_DUMP, JSON.stringify(facts, null, 2));
    expect(facts.status).toBe("ok");
    expect(facts.collector).toBe("host/local");
    const errors = [...Value.Errors(HostFactsSchema, facts.facts)].map((e) => `${e.path}: ${e.message}`);
    expect(errors).toEqual([]);
    const doc = {
      format: FACTS_FORMAT,
      schemaVersion: FACTS_SCHEMA_VERSION,
      tool: { name: "hipaa-scan", version: "test" },
      startedAt: facts.collectedAt,
      finishedAt: facts.collectedAt,
      targets: [facts],
    };
    const ajv = new Ajv({ allErrors: true, strict: false });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(FactsDocumentSchema);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    const os = factsOf(facts, "host").os as { family: string; kernel: string };
    expect(os.family).toBe("linux");
    expect(os.kernel.length).toBeGreaterThan(0);
    expect(Object.keys(facts.sources)).toContain("storage");
    // Generous bound for a loaded CI box; bench/probe-local.js prints the real number.
    expect(elapsed).toBeLessThan(15_000);
  });

  it("honours the abort signal: an aborted run is not ok and comes back promptly", async () => {
    const ac = new AbortController();
    const started = Date.now();
    const pending = localHostCollector.collect(localTarget, testContext({ signal: ac.signal }));
    setTimeout(() => ac.abort(), 50);
    const facts = await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(["partial", "error"]).toContain(facts.status);
  });
});

describe("local runner", () => {
  it("caps output, flags the truncation and stops the shell", async () => {
    const { localRunner } = await import("../../../src/transports/local.js");
    const started = Date.now();
    const r = await localRunner("yes hipaa-scan\n", { signal: new AbortController().signal, maxOutputBytes: 64 * 1024 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(64 * 1024);
    expect(r.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("feeds the script on stdin to sh -s and reports its exit code", async () => {
    const { localRunner } = await import("../../../src/transports/local.js");
    const r = await localRunner('printf "%s" "$0"; echo oops >&2; exit 3\n', { signal: new AbortController().signal, maxOutputBytes: 1024 });
    expect(r).toEqual({ stdout: "sh", stderr: "oops\n", exitCode: 3, truncated: false });
  });
});

describe("systeminformation fallback (local only)", () => {
  it("fills interfaces and the OS release when the probe could not read them", async () => {
    const { fillFromSysteminformation } = await import("../../../src/collectors/host-local.js");
    const facts: Record<string, unknown> = {
      os: { family: "linux", name: "Linux", version: "", id: "debian", kernel: "", hostname: "", arch: "", endOfLife: null },
      interfaces: { unknown: true, reason: "ip not installed" },
    };
    const notes: string[] = [];
    await fillFromSysteminformation(facts, new Date("2026-11-22T21:00:00Z"), notes);
    expect(Array.isArray(facts.interfaces)).toBe(true);
    expect((facts.interfaces as { name: string }[]).some((i) => i.name === "lo")).toBe(true);
    expect((facts.os as { version: string }).version).not.toBe("");
    expect(notes).toHaveLength(2);
    expect([...Value.Errors(HostFactsSchema, facts)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
  });

  it("leaves facts the probe did read alone", async () => {
    const { fillFromSysteminformation } = await import("../../../src/collectors/host-local.js");
    const interfaces = [{ name: "eth9", ipv4: ["192.0.2.9", "192.0.2.10"], ipv6: [], mac: null }];
    const os = { family: "linux", name: "Debian GNU/Linux", version: "12", id: "debian", kernel: "6", hostname: "h", arch: "x86_64", endOfLife: false };
    const facts: Record<string, unknown> = { os: { ...os }, interfaces };
    const notes: string[] = [];
    await fillFromSysteminformation(facts, new Date(), notes);
    expect(facts).toEqual({ os, interfaces });
    expect(notes).toEqual([]);
  });
});
