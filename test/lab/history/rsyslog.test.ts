import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireLab } from "../prereqs.js";
import { cli, ROOT } from "../../helpers/cli.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { reportFromJson } from "../../../src/report/read.js";
import { SiemEventSchema } from "../../../src/siem/schema.js";
import { makeRsyslog, type Rsyslog } from "./servers.js";

/**
 * SIEM delivery to a real rsyslog (Debian rsyslog + rsyslog-gnutls) on 127.0.0.1 with two imtcp
 * listeners: TLS (gtls, anon auth) and plain TCP (ptcp), each writing every message's raw text to
 * its own file. hipaa-scan sends RFC 5424 with octet counting (RFC 5425 over TLS, verifying the
 * receiver against the lab CA with --ca-file; RFC 6587 over plain TCP). The receiver is down for the
 * second of three runs: those events stay queued in the history and arrive with the third; every
 * finding of every run arrives exactly once.
 */
const dir = mkdtempSync(join(tmpdir(), "hsh-syslog-"));
let rsyslog: Rsyslog;

beforeAll(async () => {
  requireLab("history");
  rsyslog = await makeRsyslog(dir);
  await rsyslog.start();
});
afterAll(async () => {
  await rsyslog?.stop();
});

interface Event {
  metadata: { uid: string; correlation_uid: string; log_name: string };
  unmapped: { hipaa_scan: { rule_id?: string; target?: { id: string } } };
}

/** The JSON event inside each raw RFC 5424 message: `<PRI>1 TS HOST hipaa-scan PID MSGID - {…}`. */
function received(messages: string[]): { header: string; event: Event }[] {
  return messages.map((m) => {
    const at = m.indexOf(" - {");
    return { header: m.slice(0, at), event: JSON.parse(m.slice(at + 3)) as Event };
  });
}

/** Three runs to one destination, the receiver down for the second; then what arrived, checked. */
async function threeRuns(name: string, destination: string[], messages: () => string[]): Promise<void> {
  const env = { HIPAA_SCAN_HISTORY: join(dir, `${name}.db`) };
  const facts = join(ROOT, "test/data/golden-facts.json");
  const siem = [...destination, "--format", "json"];
  const runs: { id: string; findings: { ruleId: string; target: { id: string } }[]; targets: unknown[] }[] = [];
  const once = (n: number, up: boolean) => {
    const out = join(dir, `${name}-r${n}.json`);
    cli(["evaluate", facts, ...siem, "--output", out], { env });
    const r = reportFromJson(JSON.parse(readFileSync(out, "utf8")), out);
    runs.push({ id: r.run!.id, findings: r.findings, targets: r.targets });
    if (up) expect(r.run!.siemPending).toBe(0);
    return r;
  };
  once(1, true);
  await rsyslog.stop();
  const down = once(2, false);
  // Everything of run 2 is queued: one per finding, per target, plus the run.
  expect(down.run!.siemPending).toBe(down.findings.length + down.targets.length + 1);
  await rsyslog.start();
  once(3, true);
  await new Promise((r) => setTimeout(r, 1000)); // rsyslog writes asynchronously after the stream closes

  const mine = new Set(runs.map((r) => r.id));
  const got = received(messages()).filter((g) => mine.has(g.event.metadata.correlation_uid));
  const validate = makeAjv().compile(SiemEventSchema);
  for (const { event } of got) expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
  expect(got.every(({ header }) => /^<\d+>1 \S+ \S+ hipaa-scan \d+ (finding|target|run)$/.test(header))).toBe(true);
  const uids = got.map((g) => g.event.metadata.uid);
  expect(new Set(uids).size).toBe(uids.length);
  for (const run of runs) {
    const of = got.filter((g) => g.event.metadata.correlation_uid === run.id);
    const findings = of.filter((g) => g.event.metadata.log_name === "finding").map((g) => `${g.event.unmapped.hipaa_scan.target!.id}|${g.event.unmapped.hipaa_scan.rule_id}`).sort();
    expect(findings).toEqual(run.findings.map((f) => `${f.target.id}|${f.ruleId}`).sort());
    expect(of.filter((g) => g.event.metadata.log_name === "target").length).toBe(run.targets.length);
    expect(of.filter((g) => g.event.metadata.log_name === "run").length).toBe(1);
  }
}

describe("SIEM to rsyslog", { timeout: 240_000 }, () => {
  it("syslog+tls: every finding, target and run event arrives exactly once, also after the receiver was down for one run", async () => {
    await threeRuns("tls", ["--siem", `syslog+tls://127.0.0.1:${rsyslog.port}`, "--ca-file", rsyslog.caFile], () => rsyslog.messages());
  });

  it("syslog+tcp: the same over plain TCP, to the plain listener only", async () => {
    const before = rsyslog.messages().length;
    await threeRuns("tcp", ["--siem", `syslog+tcp://127.0.0.1:${rsyslog.tcpPort}`], () => rsyslog.tcpMessages());
    expect(rsyslog.messages().length).toBe(before);
  });
});
