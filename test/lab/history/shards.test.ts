import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../../src/core/model.js";
import { reportFromJson } from "../../../src/report/read.js";
import { shardOf } from "../../../src/shard.js";
import { ROOT } from "../../helpers/cli.js";
import { expectEqualToUnsharded, findingSet } from "../../helpers/shard-fleet.js";
import { requireLab } from "../prereqs.js";
import { startPostgres, type Postgres } from "./servers.js";

/**
 * Shards at once against the shared PostgreSQL history (issue 14, item 5): 4 real
 * `hipaa-scan scan --shard K/4 --group G --history postgres://…` processes run concurrently in the
 * SSH lab's scanner namespace (test/lab/ssh/lab.sh, used as is: real OpenSSH hosts h1–h4, a host
 * with nothing listening, a host that drops every packet) and record into one PostgreSQL 15 this
 * file starts (reached over its unix socket; the password only in PGPASSWORD). `merge --history
 * … --group G --format json` then gives the report an unsharded scan of the same targets gives.
 * The unsharded scan records into a SQLite history of its own (a first run, as each shard's is). A
 * second run group has one shard killed (SIGKILL) while it waits on the dropping host: its
 * targets come out as errors, never passes, and the gate is not 0.
 */
const LAB = mkdtempSync(join(tmpdir(), "hsh-shards-"));
const LABSH = join(ROOT, "test/lab/ssh/lab.sh");
const KEY = join(LAB, "scan/id_ed25519");
const KNOWN = join(LAB, "known_hosts");
const SUDO_PW = randomBytes(12).toString("hex");
const PG_PW = randomBytes(12).toString("hex");
const N = 4;
/** h2 twice (two ids, one host) so every one of the 4 shards has a target; bh drops every packet. */
const TARGETS = ["10.77.3.11", "10.77.3.12", "10.77.3.13:2222", "10.77.3.14", "10.77.3.12:22", "10.77.3.15", "10.77.3.16"].map((h) => `ssh://scan@${h}`);
const BH = "ssh://scan@10.77.3.16";
/** Per target: the dropping host takes all of it; the real hosts' probes (apt list on a loaded 2-core box) need more than a few seconds. */
const TIMEOUT = 60;
let pg: Postgres;

const env = { ...process.env, PGPASSWORD: PG_PW, HSS_TEST_PW: SUDO_PW, XDG_STATE_HOME: LAB, HIPAA_SCAN_HISTORY: "", NO_COLOR: "1" };
const scanArgs = (extra: string[]) => [
  "netns", "exec", "hss-scan", process.execPath, join(ROOT, "bin/hipaa-scan.js"), "scan", ...TARGETS,
  "--identity", KEY, "--known-hosts", KNOWN, "--sudo", "--password-env", "HSS_TEST_PW", "--quiet", ...extra,
];
const read = (file: string): Report => reportFromJson(JSON.parse(readFileSync(file, "utf8")), file);

/** Starts one shard's scan in the scanner namespace; resolves with its exit code. */
function startShard(k: number, group: string, timeout: number) {
  const out = join(LAB, `${group}-${k}.json`);
  const child = spawn("ip", scanArgs(["--shard", `${k}/${N}`, "--group", group, "--timeout", String(timeout), "--history", pg.socketUrl, "--format", "json", "--output", out]), { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
  return { child, done, out };
}

function merge(group: string, out: string) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/hipaa-scan.js"), "merge", "--history", pg.tcpUrl, "--group", group, "--format", "json", "--output", out], { env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stderr: r.stderr };
}

beforeAll(async () => {
  requireLab("history");
  requireLab("ssh");
  execFileSync("bash", [LABSH, "up", LAB], { env: { ...process.env, HSS_SUDO_PW: SUDO_PW }, stdio: ["ignore", "pipe", "pipe"] });
  pg = await startPostgres(LAB, PG_PW);
  // Host keys first, once: the shards then only read known_hosts, and no report carries a "new host key" note.
  spawnSync("ip", ["netns", "exec", "hss-scan", process.execPath, join(ROOT, "bin/hipaa-scan.js"), "collect", ...TARGETS.filter((t) => t !== BH), "--identity", KEY, "--known-hosts", KNOWN, "--accept-new-host-keys", "--timeout", "5", "--quiet", "-o", join(LAB, "warm.json")], { env, timeout: 120_000 });
});

afterAll(() => {
  pg?.stop();
  execFileSync("bash", [LABSH, "down", LAB], { stdio: ["ignore", "pipe", "pipe"] });
});

describe("shards at once into the shared PostgreSQL history, merged from it", { timeout: 600_000 }, () => {
  let unsharded: Report;

  it("4 concurrent shard scans merged with merge --history --group equal the unsharded scan", async () => {
    const alone = spawnSync("ip", scanArgs(["--timeout", String(TIMEOUT), "--history", join(LAB, "unsharded.db"), "--format", "json", "--output", join(LAB, "unsharded.json")]), { env, encoding: "utf8", timeout: 300_000 });
    unsharded = read(join(LAB, "unsharded.json"));
    expect(unsharded.targets.map((t) => t.status)).toEqual(["ok", "ok", "ok", "ok", "ok", "unreachable", expect.not.stringMatching(/^ok$/)]);
    expect(alone.status).toBe(unsharded.summary.gate.exitCode);
    for (let k = 1; k <= N; k++) expect(TARGETS.filter((t) => shardOf(t, N) === k).length, `shard ${k}`).toBeGreaterThan(0);

    const shards = [1, 2, 3, 4].map((k) => startShard(k, "lab-a", TIMEOUT));
    const results = await Promise.all(shards.map((s) => s.done));
    for (const r of results) expect([0, 1, 3], r.stderr).toContain(r.code);
    // Each shard's own report is its part of the run: tagged, holding only its targets.
    for (const [i, s] of shards.entries()) {
      const own = read(s.out);
      expect(own.shard).toMatchObject({ group: "lab-a", index: i + 1, count: N });
      expect(own.targets.map((t) => t.id)).toEqual(TARGETS.filter((t) => shardOf(t, N) === i + 1));
    }

    const m = merge("lab-a", join(LAB, "merged-a.json"));
    expect(m.stderr).toBe(`json report written to ${join(LAB, "merged-a.json")}\n`); // no shard missing, none recorded twice
    const merged = read(join(LAB, "merged-a.json"));
    expectEqualToUnsharded(merged, unsharded);
    expect(merged.summary.gate).toEqual(unsharded.summary.gate);
    expect(m.code).toBe(unsharded.summary.gate.exitCode);

    // The 4 runs were appended by 4 processes at once: one intact chain, nothing recorded by merge.
    const verify = spawnSync(process.execPath, [join(ROOT, "bin/hipaa-scan.js"), "history", "verify", "--history", pg.tcpUrl], { env, encoding: "utf8" });
    expect(verify.stdout).toMatch(/intact — 4 entries/);
    expect(verify.status).toBe(0);
  });

  it("a shard killed mid-scan leaves its targets as errors in the merge, never passes, and the gate not 0", async () => {
    const killedIndex = shardOf(BH, N);
    const lost = TARGETS.filter((t) => shardOf(t, N) === killedIndex);
    // The dropping host holds its shard until --timeout; the others finish long before.
    const shards = [1, 2, 3, 4].map((k) => startShard(k, "lab-b", 240));
    const victim = shards[killedIndex - 1]!;
    const others = shards.filter((s) => s !== victim);
    const results = await Promise.all(others.map((s) => s.done));
    for (const r of results) expect([0, 1, 3], r.stderr).toContain(r.code);
    // `ip netns exec` execs the command: the pid is the scanner's own.
    expect(readFileSync(`/proc/${victim.child.pid}/cmdline`, "utf8")).toContain("hipaa-scan.js");
    victim.child.kill("SIGKILL");
    expect((await victim.done).signal).toBe("SIGKILL");

    const m = merge("lab-b", join(LAB, "merged-b.json"));
    expect(m.stderr).toContain(`shard ${killedIndex}/${N} of run group lab-b is missing: its ${lost.length} target(s) are reported as errors`);
    const merged = read(join(LAB, "merged-b.json"));
    const byId = new Map(merged.targets.map((t) => [t.id, t]));
    for (const id of lost) expect(byId.get(id)).toMatchObject({ status: "error", statusReason: `shard ${killedIndex}/${N} of run group lab-b delivered no result` });
    expect(merged.findings.filter((f) => lost.includes(f.target.id) && f.status === "pass")).toEqual([]);
    expect(merged.findings.filter((f) => lost.includes(f.target.id)).length).toBeGreaterThan(0);
    expect(merged.summary.gate.exitCode).not.toBe(0);
    expect(merged.summary.gate.exitCode).toBeGreaterThanOrEqual(unsharded.summary.gate.exitCode === 0 ? 3 : 1);
    expect(m.code).toBe(merged.summary.gate.exitCode);
    // The shards that ran give the findings the unsharded scan gave for their targets.
    const kept = (r: Report) => ({ findings: r.findings.filter((f) => f.target.kind !== "site" && !lost.includes(f.target.id)) });
    expect(findingSet(kept(merged))).toEqual(findingSet(kept(unsharded)));
  });
});
