import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/history/canonical.js";
import { safeguardOf, trendOf } from "../../../src/history/drift.js";
import { octetFrame, parseSiemUrl, syslogMessage } from "../../../src/siem/deliver.js";
import { buildEvents } from "../../../src/siem/events.js";
import { SiemEventSchema } from "../../../src/siem/schema.js";
import { makeAjv } from "../../../src/engine/ajv.js";
import { trendSvg } from "../../../src/reporters/drift.js";
import { jsonlReporter } from "../../../src/reporters/jsonl.js";
import { goldenReport } from "../../helpers/golden-report.js";
import { ROOT } from "../../helpers/cli.js";

describe("canonical JSON (RFC 8785 style)", () => {
  it("sorts keys at every level, drops undefined, keeps array order, refuses non-finite numbers", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: "x" }, u: undefined })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
    expect(canonicalJson({ "é": 1, Z: 2, a: 3 })).toBe('{"Z":2,"a":3,"é":1}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/no form/);
  });
});

describe("syslog framing", () => {
  it("writes RFC 5424 with the event JSON and RFC 5425 octet counts in bytes", async () => {
    const [event] = buildEvents(await goldenReport(), "run-1");
    const msg = syslogMessage(event!, "jump-box");
    expect(msg).toMatch(/^<\d+>1 \d{4}-\d\d-\d\dT[\d:.]+Z jump-box hipaa-scan \d+ finding - \{/);
    expect(JSON.parse(msg.slice(msg.indexOf(" - {") + 3))).toEqual(event);
    const framed = octetFrame("ü");
    expect(framed).toBe("2 ü");
  });

  it("refuses credentials in a SIEM URL and unknown schemes", () => {
    expect(() => parseSiemUrl("https://user:pw@siem/x", {})).toThrow(/credentials in the URL are refused/);
    expect(() => parseSiemUrl("udp://siem:514", {})).toThrow(/scheme must be/);
    expect(parseSiemUrl("syslog+tls://siem.clinic.local", {})).toMatchObject({ port: 6514, key: "syslog+tls://siem.clinic.local" });
  });
});

describe("SIEM events", () => {
  it("one per finding, per target and one for the run, each valid against the published schema", async () => {
    const report = await goldenReport();
    const events = buildEvents(report, "run-7");
    expect(events.length).toBe(report.findings.length + report.targets.length + 1);
    const validate = makeAjv().compile(SiemEventSchema);
    for (const e of events) expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
    expect(new Set(events.map((e) => e.metadata.uid)).size).toBe(events.length);
    const published = JSON.parse(readFileSync(join(ROOT, "schemas/siem-event.schema.json"), "utf8"));
    expect(published.properties.class_uid.const).toBe(2003);
  });

  it("--format jsonl writes exactly those events, one JSON object per line", async () => {
    const report = await goldenReport();
    const text = jsonlReporter(report, {} as Parameters<typeof jsonlReporter>[1]);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual(buildEvents(report, `unrecorded@${report.startedAt}`));
    expect(lines.map((e) => e.metadata.log_name)).toEqual([...report.findings.map(() => "finding"), ...report.targets.map(() => "target"), "run"]);
  });
});

describe("trend", () => {
  it("counts failing findings per safeguard per run, and draws one line per safeguard", () => {
    const f = (status: string, cite: string) => ({ ruleId: "r", target: { kind: "host" as const, id: "h" }, status: status as "fail", severity: "high" as const, title: "", hipaa: [cite], message: "", evidence: [] });
    const t = trendOf([
      { id: "a", startedAt: "2026-01-01T00:00:00.000Z", findings: [f("fail", "164.312(a)(1)"), f("fail", "164.312(a)(2)(iii)"), f("pass", "164.312(d)")] },
      { id: "b", startedAt: "2026-01-02T00:00:00.000Z", findings: [f("fail", "164.312(d)")] },
    ]);
    expect(t.safeguards).toEqual([{ safeguard: "164.312(a)", failing: [2, 0] }, { safeguard: "164.312(d)", failing: [0, 1] }]);
    expect(safeguardOf("164.308(a)(1)(ii)(D)")).toBe("164.308(a)");
    const svg = trendSvg(t, (s) => s.replace(/</g, "&lt;"));
    expect((svg.match(/<polyline/g) ?? []).length).toBe(2);
  });
});
