import { describe, expect, it } from "vitest";
import { localTime, parseDays, parseHours, timeZoneProblem, withinHours } from "../../../src/engine/hours.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { prepare } from "../../../src/pipeline.js";
import { ruleYaml, writePack, packProblems } from "../../helpers/packs.js";

const WEEKDAYS = parseDays(["Mon", "Tue", "Wed", "Thu", "Fri"]) as Set<number>;
const DAY = parseHours("07:00-19:00") as { start: number; end: number };

describe("business hours in a time zone (src/engine/hours.ts)", () => {
  it("reads wall-clock weekday and minute in the zone, including daylight saving", () => {
    // 2026-07-01 is a Wednesday; New York is UTC-4 in summer, UTC-5 in winter.
    expect(localTime(Date.parse("2026-07-01T12:30:00Z"), "America/New_York")).toEqual({ day: 3, minute: 8 * 60 + 30 });
    expect(localTime(Date.parse("2026-01-07T12:30:00Z"), "America/New_York")).toEqual({ day: 3, minute: 7 * 60 + 30 });
    // Just after midnight UTC on a Saturday is still Friday evening in Los Angeles.
    expect(localTime(Date.parse("2026-01-03T02:00:00Z"), "America/Los_Angeles")).toEqual({ day: 5, minute: 18 * 60 });
  });

  it("counts a login within the span on a business day, and not outside it", () => {
    expect(withinHours("2025-12-30T14:00:00Z", DAY, WEEKDAYS, "UTC")).toBe(true);
    expect(withinHours("2025-12-30T06:59:00Z", DAY, WEEKDAYS, "UTC")).toBe(false);
    expect(withinHours("2025-12-30T19:00:00Z", DAY, WEEKDAYS, "UTC")).toBe(false); // the end is exclusive
    expect(withinHours("2025-12-27T10:00:00Z", DAY, WEEKDAYS, "UTC")).toBe(false); // Saturday
    expect(withinHours("2025-12-30T22:00:00Z", DAY, WEEKDAYS, "America/New_York")).toBe(true); // 17:00 there
    expect(withinHours("2025-12-30T14:00:00Z", DAY, WEEKDAYS, "Asia/Tokyo")).toBe(false); // 23:00 there
  });

  it("handles a night shift across midnight as belonging to the day it starts", () => {
    const night = parseHours("22:00-06:00") as { start: number; end: number };
    const friOnly = parseDays(["fri"]) as Set<number>;
    expect(withinHours("2026-01-02T23:00:00Z", night, friOnly, "UTC")).toBe(true); // Friday 23:00
    expect(withinHours("2026-01-03T05:00:00Z", night, friOnly, "UTC")).toBe(true); // Saturday 05:00, the Friday shift
    expect(withinHours("2026-01-03T23:00:00Z", night, friOnly, "UTC")).toBe(false); // Saturday 23:00
    expect(withinHours("2026-01-02T12:00:00Z", night, friOnly, "UTC")).toBe(false);
  });

  it("gives undefined, not false, for something that is not a time", () => {
    expect(withinHours("yesterday", DAY, WEEKDAYS, "UTC")).toBeUndefined();
    expect(withinHours(42, DAY, WEEKDAYS, "UTC")).toBeUndefined();
  });

  it("refuses malformed hours, weekdays and time zones with a reason", () => {
    expect(parseHours("7-19")).toMatch(/not a span of hours/);
    expect(parseHours("09:00-09:00")).toMatch(/empty span/);
    expect(parseHours("25:00-26:00")).toMatch(/not a span/);
    expect(parseDays(["Mon", "Funday"])).toMatch(/"Funday" is not a weekday/);
    expect(parseDays([])).toMatch(/non-empty/);
    expect(timeZoneProblem("Mars/Olympus")).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(timeZoneProblem("Europe/Berlin")).toBeUndefined();
    expect(timeZoneProblem("UTC")).toBeUndefined();
  });
});

const inHoursRule = (id: string, params: string, require = "{ inHours: item.time, hours: { param: h }, days: { param: d }, timeZone: { param: tz } }") =>
  ruleYaml(id, {
    appliesTo: `appliesTo: { kind: host, os: [linux] }\nparams:\n${params}`,
    check: `check:\n  each: activity.logins\n  require: ${require}`,
    tests: [
      "tests:",
      "  - name: day passes",
      '    facts: { activity: { logins: [ { user: a, time: "2025-12-30T14:00:00.000Z" } ] } }',
      "    expect: pass",
      "  - name: night fails",
      '    facts: { activity: { logins: [ { user: a, time: "2025-12-30T23:00:00.000Z" } ] } }',
      "    expect: fail",
    ].join("\n"),
  });
const PARAMS = (tz: string) => `  h: { type: string, default: "07:00-19:00", description: hours }\n  d: { type: "string[]", default: [Mon, Fri], description: days }\n  tz: { type: string, default: ${tz}, description: zone }`;


describe("the inHours condition form", () => {
  it("loads, and its rule tests pass and fail as the hours say", async () => {
    const set = await loadRuleSet([writePack({ "a/hours-ok.yaml": inHoursRule("hours-ok", PARAMS("UTC")) })], { builtin: false });
    expect(set.rules.map((r) => r.def.id)).toEqual(["hours-ok"]);
  });

  it("an unknown time zone in a param default is a load error at its file:line:col", async () => {
    const found = await packProblems({ "a/bad-tz.yaml": inHoursRule("bad-tz", PARAMS("Mars/Olympus")) });
    expect(found).toEqual(['bad-tz.yaml:10:32: param tz: unknown time zone "Mars/Olympus" (an IANA name such as "America/Chicago", "Europe/Berlin" or "UTC")']);
  });

  it("a literal that is not a span of hours is a load error at the operand", async () => {
    const found = await packProblems({
      "a/bad-hours.yaml": inHoursRule("bad-hours", PARAMS("UTC"), '{ inHours: item.time, hours: "9 to 5", days: [Mon], timeZone: UTC }'),
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^bad-hours\.yaml:13:41: "9 to 5" is not a span of hours/);
  });

  it("a missing operand, and a param of the wrong type, are load errors", async () => {
    const missing = await packProblems({ "a/no-zone.yaml": inHoursRule("no-zone", PARAMS("UTC"), "{ inHours: item.time, hours: { param: h }, days: { param: d } }") });
    expect(missing.some((p) => /needs "timeZone"/.test(p))).toBe(true);
    const wrong = await packProblems({ "a/wrong-type.yaml": inHoursRule("wrong-type", PARAMS("UTC"), "{ inHours: item.time, hours: { param: d }, days: { param: d }, timeZone: { param: tz } }") });
    expect(wrong.some((p) => /inHours hours needs a string param; d is string\[\]/.test(p))).toBe(true);
  });

  it("a --param time zone this Node does not know stops the run before anything is scanned", async () => {
    const dir = writePack({ "a/hours-ok.yaml": inHoursRule("hours-ok", PARAMS("UTC")) });
    await expect(prepare({ rulePaths: [dir], params: { tz: "Nowhere/Land" }, failOn: "high" })).rejects.toThrow(/--param tz: unknown time zone "Nowhere\/Land"/);
    await expect(prepare({ rulePaths: [dir], params: { h: "late" }, failOn: "high" })).rejects.toThrow(/--param h: "late" is not a span of hours/);
    await expect(prepare({ rulePaths: [dir], params: { tz: "Asia/Kolkata" }, failOn: "high" })).resolves.toBeDefined();
  });
});
