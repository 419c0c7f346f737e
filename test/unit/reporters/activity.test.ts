import { describe, expect, it } from "vitest";
import type { TargetFacts } from "../../../src/core/model.js";
import { activityLines, buildActivityReview, withActivityHistory } from "../../../src/report/activity.js";
import { sketchFacts } from "../../helpers/facts.js";

const host = (activity: unknown): TargetFacts => ({
  target: { kind: "host", id: "ssh://scan@10.0.0.5" },
  status: "ok",
  collector: "ssh",
  collectedAt: "2026-12-01T12:00:00.000Z",
  tags: {},
  facts: sketchFacts("host", { activity }),
  sources: {},
  notes: [],
});

describe("the report's Activity section", () => {
  const activity = {
    recorded: true,
    windowDays: 30,
    oldestRecord: "2026-11-28T12:00:00.000Z",
    logins: [
      { user: "alice", label: "alice from 10.0.0.9 at 2026-12-01T10:00:00.000Z", onRoster: true },
      { user: "mallory", label: "mallory from 10.0.0.9 at 2026-12-01T10:05:00.000Z", onRoster: false },
    ],
    failures: Array(12).fill({ user: "alice", source: "10.0.0.9", time: "2026-12-01T09:59:00.000Z" }),
    failureSources: [{ count: 12, label: "12 failed logins from 10.0.0.9 (alice) …, then alice logged in from 10.0.0.9 at 2026-12-01T10:00:00.000Z" }],
    sudo: [{ user: "alice", count: 3 }],
  };

  it("gives per host the window, counts and the notable events (who, from where, when)", () => {
    const review = buildActivityReview([host(activity)])!;
    expect(review).toEqual([
      {
        target: "ssh://scan@10.0.0.5",
        windowDays: 30,
        oldestRecord: "2026-11-28T12:00:00.000Z",
        logins: 2,
        failures: 12,
        sudo: 3,
        notable: [activity.failureSources[0]!.label, "not on the roster: mallory from 10.0.0.9 at 2026-12-01T10:05:00.000Z"],
      },
    ]);
    expect(activityLines(review)).toEqual([
      "Activity",
      "ssh://scan@10.0.0.5: 30 days, records from 2026-11-28T12:00:00.000Z; 2 logins, 12 failed, 3 sudo",
      `  ${activity.failureSources[0]!.label}`,
      "  not on the roster: mallory from 10.0.0.9 at 2026-12-01T10:05:00.000Z",
    ]);
  });

  it("unreadable counts say unknown, and a report without login records has no section", () => {
    const review = buildActivityReview([host({ ...activity, failures: { unknown: true, reason: "needs root" }, sudo: { unknown: true, reason: "x" } })])!;
    expect(review[0]).toMatchObject({ failures: null, sudo: null });
    expect(activityLines(review)[1]).toContain("unknown failed, unknown sudo");
    expect(buildActivityReview([host({ recorded: false })])).toBeUndefined();
    expect(buildActivityReview([host(undefined)])).toBeUndefined();
  });
});

describe("the Activity section's counts over time", () => {
  const review = [
    { target: "ssh://scan@10.0.0.5", windowDays: 30, oldestRecord: null, logins: 2, failures: null, sudo: 0, notable: [] },
    { target: "ssh://scan@10.0.0.6", windowDays: 30, oldestRecord: null, logins: 1, failures: 1, sudo: 1, notable: [] },
  ];
  const earlier = { runId: "20261201T120000Z-aaaaaa", finishedAt: "2026-12-01T12:00:00.000Z", windowDays: 30, oldestRecord: null, logins: 9, failures: 4, sudo: null };

  it("appends this run to a host's earlier points; a host no earlier run recorded keeps no series", () => {
    const out = withActivityHistory(review, new Map([["ssh://scan@10.0.0.5", [earlier]]]), { runId: "20261208T120000Z-bbbbbb", finishedAt: "2026-12-08T12:00:00.000Z" });
    expect(out[0]!.history).toEqual([earlier, { runId: "20261208T120000Z-bbbbbb", finishedAt: "2026-12-08T12:00:00.000Z", windowDays: 30, oldestRecord: null, logins: 2, failures: null, sudo: 0 }]);
    expect(out[1]).not.toHaveProperty("history");
    expect(activityLines(out).slice(1, 5)).toEqual([
      "ssh://scan@10.0.0.5: 30 days, records from none; 2 logins, unknown failed, 0 sudo",
      "  counts over time:",
      "    run finished 2026-12-01T12:00:00.000Z: 9 logins, 4 failed, unknown sudo",
      "    this run finished 2026-12-08T12:00:00.000Z: 2 logins, unknown failed, 0 sudo",
    ]);
  });
});
