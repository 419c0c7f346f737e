import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { joinLoginSources, previousLoginSources } from "../../../src/history/login-sources.js";
import { assetsOf } from "../../../src/history/record.js";
import { cli } from "../../helpers/cli.js";
import { ehrDbFacts } from "../../helpers/ehr-db-facts.js";

const dir = mkdtempSync(join(tmpdir(), "hsh-logins-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const login = (user: string, source: string, time: string) => ({ user, source, time, line: "pts/0", label: `${user} from ${source} at ${time}` });
/** ehr-db's facts with a login window: the given logins, a window of 30 days before the golden collection time. */
function factsWith(logins: ReturnType<typeof login>[]) {
  const f = ehrDbFacts();
  f.targets[0].facts.activity = {
    recorded: true, windowDays: 30, windowStart: "2025-12-01T00:00:00.000Z", oldestRecord: "2025-10-01T00:00:00.000Z",
    logins, failures: [], failureSources: [], sudo: [], capped: false, roster: null,
  };
  return f;
}
const finding = (file: string, ruleId = "linux-activity-new-login-sources") =>
  (JSON.parse(readFileSync(file, "utf8")).findings as { ruleId: string; status: string; message: string }[]).find((f) => f.ruleId === ruleId)!;

describe("login sources never seen before, against the history", { timeout: 120_000 }, () => {
  it("each run records its window's login sources (SOURCE USER) with the host's assets", () => {
    const t = factsWith([login("alice", "10.0.0.5", "2025-12-20T10:00:00.000Z"), login("alice", "10.0.0.5", "2025-12-21T10:00:00.000Z"), login("Window Manager\\DWM-1", "local", "2025-12-22T03:00:00.000Z")]).targets[0];
    expect(assetsOf(t).loginSources).toEqual(["10.0.0.5 alice", "local Window Manager\\DWM-1"]);
  });

  it("without a store every login is unknown with the reason, so the rule can only say error", async () => {
    const f = factsWith([login("alice", "10.0.0.5", "2025-12-20T10:00:00.000Z")]);
    joinLoginSources(f.targets, await previousLoginSources(undefined, "scope"));
    expect(f.targets[0].facts.activity.logins[0].sourceSeenBefore).toEqual({ unknown: true, reason: "no history (--no-history): login sources cannot be compared with earlier runs" });
  });

  it("first run: error (nothing to compare); next run: a new source fails naming account, source and time, a known one passes; --no-history: error", () => {
    const env = { HIPAA_SCAN_HISTORY: join(dir, "history.db") };
    const run = (name: string, logins: ReturnType<typeof login>[], extra: string[] = []) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(factsWith(logins)));
      const out = join(dir, `${name}-report.json`);
      const r = cli(["evaluate", file, "--fail-on", "critical", "--format", "json", "--output", out, ...extra], { env });
      expect(r.code, r.stderr).toBe(0);
      return finding(out);
    };
    const first = run("first", [login("alice", "10.0.0.5", "2025-12-20T10:00:00.000Z")]);
    expect(first.status).toBe("error");
    expect(first.message).toMatch(/no earlier run in the history recorded this host's logins/);

    const known = run("known", [login("alice", "10.0.0.5", "2025-12-28T09:00:00.000Z")]);
    expect(known.status).toBe("pass");

    const fresh = run("fresh", [login("alice", "10.0.0.5", "2025-12-28T09:00:00.000Z"), login("alice", "203.0.113.50", "2025-12-30T02:14:00.000Z"), login("bob", "10.0.0.5", "2025-12-30T08:00:00.000Z")]);
    expect(fresh.status).toBe("fail");
    expect(fresh.message).toBe("Logins from sources earlier runs never saw for the account: alice from 203.0.113.50 at 2025-12-30T02:14:00.000Z, bob from 10.0.0.5 at 2025-12-30T08:00:00.000Z.");

    const none = run("none", [login("alice", "10.0.0.5", "2025-12-28T09:00:00.000Z")], ["--no-history"]);
    expect(none.status).toBe("error");
    expect(none.message).toMatch(/no history \(--no-history\)/);
  });
});
