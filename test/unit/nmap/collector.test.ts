import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNetworkCollector } from "../../../src/collectors/network.js";
import type { CollectContext, ProgressEvent } from "../../../src/collectors/types.js";
import { testContext } from "../../helpers/context.js";
import { parseNetworkTarget } from "../../../src/core/targets.js";
import type { NetworkFacts } from "../../../src/facts/network.js";

/**
 * The collector's handling of nmap's outcomes, with a stand-in `nmap` script that replays captured
 * output (no network traffic at all). The real nmap runs in test/lab/network.
 */
const dir = mkdtempSync(join(tmpdir(), "hsn-unit-"));
const flat = readFileSync(new URL("../../../fixtures/nmap/flat-standard.xml", import.meta.url), "utf8");

function fakeNmap(name: string, xml: string, after = "exit 0"): string {
  const data = join(dir, `${name}.xml`);
  writeFileSync(data, xml);
  const bin = join(dir, name);
  writeFileSync(bin, `#!/bin/sh\ncat '${data}'\n${after}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

function ctx(signal = new AbortController().signal) {
  const events: ProgressEvent[] = [];
  const c: CollectContext = testContext({
    options: { timeoutMs: 60_000 },
    signal,
    progress: (e) => events.push(e),
    now: new Date("2026-11-22T21:00:00Z"),
  });
  return { c, events };
}

const target = parseNetworkTarget("10.77.1.0/24");

describe("network collector outcomes", () => {
  it("a complete run is ok, with progress events and the arguments in the sources", async () => {
    const { c, events } = ctx();
    const t = await createNetworkCollector({ nmapPath: fakeNmap("ok", flat), privileged: true }).collect(target, c);
    expect(t.status).toBe("ok");
    expect(t.statusReason).toBeUndefined();
    expect(events.filter((e) => e.type === "target-step").length).toBeGreaterThan(5);
    expect(t.sources["scan"]).toMatch(/^nmap -sS -sU .* -oX - -- 10\.77\.1\.0\/24$/);
    expect((t.facts as unknown as NetworkFacts).scan.finished).toBe(true);
  });

  it("runstats exit=error with errormsg makes the target partial and quotes nmap", async () => {
    const broken = flat.replace('exit="success"', 'exit="error" errormsg="Failed to open device eth9"');
    const { c } = ctx();
    const t = await createNetworkCollector({ nmapPath: fakeNmap("errmsg", broken), privileged: true }).collect(target, c);
    expect(t.status).toBe("partial");
    expect(t.statusReason).toBe('nmap reported exit "error": Failed to open device eth9 — 6 host(s) kept');
  });

  it("a non-zero exit without XML is an error with nmap's stderr", async () => {
    const bin = join(dir, "fails");
    writeFileSync(bin, "#!/bin/sh\necho 'Failed to resolve \"nohost\".' >&2\necho 'QUITTING!' >&2\nexit 1\n");
    chmodSync(bin, 0o755);
    const { c } = ctx();
    const t = await createNetworkCollector({ nmapPath: bin, privileged: true }).collect(target, c);
    expect(t.status).toBe("error");
    expect(t.statusReason).toBe(
      'nmap output unreadable: nmap XML output ended without </nmaprun>; nmap exited with code 1: Failed to resolve "nohost". QUITTING!',
    );
    expect((t.facts as unknown as NetworkFacts).hosts).toMatchObject({ unknown: true });
  });

  it("abort (Ctrl-C) kills nmap and keeps the hosts already written", async () => {
    const head = flat.slice(0, flat.indexOf("<runstats>"));
    const bin = fakeNmap("hangs", head, "exec sleep 30");
    const ac = new AbortController();
    const { c } = ctx(ac.signal);
    const started = Date.now();
    setTimeout(() => ac.abort(), 500);
    const t = await createNetworkCollector({ nmapPath: bin, privileged: true }).collect(target, c);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(t.status).toBe("partial");
    expect(t.statusReason).toBe("scan stopped (Ctrl-C or deadline) before nmap finished — 6 host(s) kept");
  });

  it("passes -6 for IPv6 targets and puts the target after --", async () => {
    const argsFile = join(dir, "args.txt");
    const bin = fakeNmap("argv", flat, `printf '%s\\n' "$@" > '${argsFile}'`);
    const { c } = ctx();
    await createNetworkCollector({ nmapPath: bin, privileged: true }).collect(parseNetworkTarget("2001:db8::/120"), c);
    const argv = readFileSync(argsFile, "utf8").trim().split("\n");
    expect(argv[0]).toBe("-6");
    expect(argv.slice(-2)).toEqual(["--", "2001:db8::/120"]);
  });

  it("a network larger than a /16 is refused unless confirmed", async () => {
    const { c } = ctx();
    const big = { ...target, id: "10.0.0.0/8", host: "10.0.0.0" };
    const t = await createNetworkCollector({ nmapPath: "/nonexistent/nmap" }).collect(big, c);
    expect(t.status).toBe("error");
    expect(t.statusReason).toBe("network 10.0.0.0/8 has 16777216 addresses (more than a /16); pass --yes-large-network if you mean it");
  });
});
