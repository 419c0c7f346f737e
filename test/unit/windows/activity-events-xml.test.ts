import { readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { evaluateRules } from "../../../src/engine/evaluate.js";
import { normaliseActivity } from "../../../src/probes/windows/activity.js";
import type { TargetFacts } from "../../../src/core/model.js";
import { sketchFacts } from "../../helpers/facts.js";

/**
 * Real Security log events as Microsoft publishes them (fixtures/windows/events/README.md), taken
 * apart the way src/probes/windows/activity.ps1 takes `$_.ToXml()` apart: EventID, TimeCreated's
 * SystemTime, and the EventData fields its `$keep` list names (read from the .ps1 itself).
 */
const ps1 = readFileSync(new URL("../../../src/probes/windows/activity.ps1", import.meta.url), "utf8");
const KEEP = [...(/\$keep = @\(([^)]*)\)/.exec(ps1)?.[1] ?? "").matchAll(/'([^']+)'/g)].map((m) => m[1]!);

function sectionRecord(file: string): Record<string, unknown> {
  // Event Viewer's XML view marks expandable elements with "- "; the event itself starts at "<".
  const xml = readFileSync(new URL(`../../../fixtures/windows/events/${file}`, import.meta.url), "utf8").replace(/^- /gm, "");
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false }).parse(xml) as {
    Event: { System: { EventID: string; TimeCreated: { "@SystemTime": string } }; EventData: { Data: { "@Name": string; "#text"?: string }[] } };
  };
  const record: Record<string, unknown> = { id: Number(doc.Event.System.EventID), time: doc.Event.System.TimeCreated["@SystemTime"] };
  for (const d of doc.Event.EventData.Data) if (KEEP.includes(d["@Name"])) record[d["@Name"]] = d["#text"] ?? "";
  return record;
}

const NOW = new Date("2015-11-20T00:00:00Z");

describe("Windows activity on real published Security events (fixtures/windows/events)", () => {
  it("the probe keeps the fields a finding names, TargetUserSid among them", () => {
    expect(KEEP).toEqual(expect.arrayContaining(["TargetUserName", "TargetUserSid", "TargetDomainName", "LogonType", "IpAddress", "WorkstationName"]));
  });

  it("a 4624 console logon by the built-in Administrator: who, from where, the logon type and the -500 SID", () => {
    const facts = normaliseActivity({ windowDays: 30, maxEvents: 2000, oldest: "2015-11-01T00:00:00Z", events: [sectionRecord("event-4624.xml")] }, NOW);
    expect(facts.logins).toEqual([
      {
        user: "WIN-GG82ULGC9GO\\Administrator",
        // IpAddress is 127.0.0.1 (a console logon): the workstation names the source.
        source: "WIN-GG82ULGC9GO",
        time: "2015-11-12T00:24:35.079Z",
        line: "logon type 2",
        label: "WIN-GG82ULGC9GO\\Administrator from WIN-GG82ULGC9GO at 2015-11-12T00:24:35.079Z (logon type 2)",
        sid: "S-1-5-21-1377283216-344919071-3415362939-500",
      },
    ]);
  });

  it("the built-in Administrator rule fails on that real event, naming it", async () => {
    const set = await loadRuleSet();
    const rules = set.rules.filter((r) => r.def.id === "windows-activity-builtin-admin-logins");
    const activity = normaliseActivity({ windowDays: 30, maxEvents: 2000, oldest: "2015-11-01T00:00:00Z", events: [sectionRecord("event-4624.xml")] }, NOW);
    const target: TargetFacts = {
      target: { kind: "host", id: "winrm://WIN-GG82ULGC9GO" }, status: "ok", collector: "winrm", collectedAt: NOW.toISOString(), tags: {},
      facts: sketchFacts("host", { os: { family: "windows" }, activity }), sources: { activity: "Get-WinEvent" }, notes: [],
    };
    const [finding] = evaluateRules(rules, [target], {});
    expect(finding).toMatchObject({ status: "fail", message: "Interactive logons by the built-in Administrator (RID 500): WIN-GG82ULGC9GO\\Administrator from WIN-GG82ULGC9GO at 2015-11-12T00:24:35.079Z (logon type 2)." });
  });

  it("a 4625 failure (account locked out) groups under its source", () => {
    const facts = normaliseActivity({ windowDays: 90, maxEvents: 2000, oldest: null, events: [sectionRecord("event-4625.xml")] }, NOW);
    expect(facts.failures).toEqual([{ user: "CONTOSO\\Auditor", source: "DC01", time: "2015-09-08T22:54:54.962Z" }]);
    expect(facts.failureSources).toEqual([expect.objectContaining({ source: "DC01", count: 1, users: ["CONTOSO\\Auditor"], successAfter: null })]);
  });
});
