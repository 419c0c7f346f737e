import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPairSync } from "node:crypto";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";
import { ehrDbFacts } from "../../helpers/ehr-db-facts.js";
import { reportFromJson } from "../../../src/report/read.js";
import { storedRecordText } from "../../../src/history/chain.js";

/**
 * The history flow through the built CLI over saved facts (test/data/golden-facts.json, trimmed to
 * ehr-db, whose checks all complete, so the gate can pass): record, drift with an account added, --fail-on-new,
 * verify after an edit made directly in the database, review, prune, the cron lock and --quiet.
 */
const dir = mkdtempSync(join(tmpdir(), "hsh-cli-"));
const db = join(dir, "history.db");
const env = { HIPAA_SCAN_HISTORY: db };
const golden = ehrDbFacts();
const before = join(dir, "before.json");
writeFileSync(before, JSON.stringify(golden));
const changed = structuredClone(golden);
changed.targets[0].facts.accounts.users.push({ ...changed.targets[0].facts.accounts.users[0], name: "eve", uid: 1050, password: "empty" });
const after = join(dir, "after.json");
writeFileSync(after, JSON.stringify(changed));
/** A JSON report the CLI wrote, read (and validated against its published schema) as merge and --baseline read it. */
const readReport = (name: string) => reportFromJson(JSON.parse(readFileSync(join(dir, name), "utf8")), name);
/** Each stored record's text, decompressed: what an attacker with the file reads before writing an edit back as text. */
const recordTexts = (raw: Database.Database) =>
  (raw.prepare("SELECT id, record, record_gz FROM chain").all() as { id: string; record: string | null; record_gz: Buffer | null }[]).map((r) => ({ id: r.id, text: storedRecordText(r.record, r.record_gz)! }));
const ids = () => JSON.parse(cli(["history", "list", "--format", "json"], { env }).stdout).map((r: { id: string }) => r.id) as string[];

// Each CLI run takes seconds on a busy 2-core machine; these tests run several.
describe("history through the CLI", { timeout: 120_000 }, () => {
  it("records runs by default in a 0600 file; drift names the added account and --fail-on-new gates on it", () => {
    const first = cli(["evaluate", before, "--fail-on", "critical", "--format", "json", "--output", join(dir, "r1.json")], { env });
    expect(first.code).toBe(0);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    const second = cli(["evaluate", after, "--fail-on", "critical", "--fail-on-new", "--format", "json", "--output", join(dir, "r2.json")], { env });
    expect(second.code).toBe(1);
    const r2 = readReport("r2.json");
    expect(r2.drift!.findings.new.map((d) => `${d.ruleId}: ${d.message}`)).toContain("linux-empty-passwords: Accounts with an empty password: eve.");
    expect(r2.drift!.assets).toContainEqual({ target: "ssh://admin@ehr-db", kind: "accounts", added: ["eve"], removed: [] });
    expect(r2.drift!.findings.persisting.length).toBeGreaterThan(0);
    // History exists and nobody reviewed a run: the 164.308(a)(1)(ii)(D) rule fails on the site pseudo-target.
    const review = r2.findings.find((f) => f.ruleId === "history-review-recent");
    expect(review).toMatchObject({ status: "fail", target: { kind: "site", id: "history" }, hipaa: ["164.308(a)(1)(ii)(D)"] });
    expect(review!.message).toMatch(/1 of 1 runs unreviewed/);
    const third = cli(["evaluate", after, "--fail-on", "critical", "--fail-on-new", "--format", "json", "--output", join(dir, "r3.json"), "--format", "html", "--output", join(dir, "r3.html"), "--format", "markdown", "--output", join(dir, "r3.md")], { env });
    expect(third.code).toBe(0);
    const html = readFileSync(join(dir, "r3.html"), "utf8");
    expect(html).toContain("What changed since the last run");
    expect(html).toMatch(/<figure class="trend"><svg [^>]*aria-label="Failing findings per safeguard over the last 3 runs"/);
    expect(readFileSync(join(dir, "r3.md"), "utf8")).toMatch(/\| still failing \| critical \| ssh:\/\/admin@ehr-db \| linux-empty-passwords \|/);
    const r3 = readReport("r3.json");
    expect(r3.drift!.findings.new).toEqual([]);
    expect(r3.drift!.findings.persisting.find((d) => d.ruleId === "linux-empty-passwords")!.firstSeen).toBe(r2.startedAt);
    expect(r3.run!.previousHash).toBe(r2.run!.hash);
    // Without --fail-on-new the same run fails the ordinary gate: the account is still there.
    expect(cli(["evaluate", after, "--fail-on", "critical", "--format", "json", "--output", join(dir, "r4.json")], { env }).code).toBe(1);
  });

  it("history diff shows the same drift between the first two runs, and --fail-on-new exits 1", () => {
    const [a, b] = ids();
    const diff = cli(["history", "diff", a!, b!, "--fail-on-new"], { env });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/NEW\s+critical ssh:\/\/admin@ehr-db linux-empty-passwords — Accounts with an empty password: eve\./);
    expect(diff.stdout).toContain("ssh://admin@ehr-db accounts added: eve");
    expect(cli(["history", "diff"], { env }).code).toBe(0);
  });

  it("review is recorded in the chain; list marks the runs nobody reviewed; reports show the last review", () => {
    const all = ids();
    const review = cli(["history", "review", all[1]!, "--by", "Dr. Privacy Officer", "--note", "eve removed"], { env });
    expect(review.code).toBe(0);
    const list = cli(["history", "list", "--unreviewed", "--format", "json"], { env });
    expect(JSON.parse(list.stdout).map((r: { id: string }) => r.id)).toEqual(all.filter((id) => id !== all[1]));
    // The reviewed run's facts date from 2026-03-01: allow ten years so the review counts as recent.
    cli(["evaluate", after, "--fail-on", "critical", "--param", "review_max_age_days=3650", "--format", "json", "--output", join(dir, "r5.json")], { env });
    const r5 = readReport("r5.json");
    expect(r5.findings.find((f) => f.ruleId === "history-review-recent")).toMatchObject({ status: "pass" });
    expect(r5.run!.lastReview).toMatchObject({ runId: all[1], by: "Dr. Privacy Officer", note: "eve removed" });
    expect(cli(["history", "verify"], { env }).code).toBe(0);
  });

  it("a history from before the drift index is indexed when opened and diffs the same; an edited index fails verify", () => {
    const [a, b] = ids();
    const diff = () => cli(["history", "diff", a!, b!, "--format", "json"], { env: e });
    const old = join(dir, "old.db");
    const e = { HIPAA_SCAN_HISTORY: old };
    const raw = new Database(db);
    raw.prepare("VACUUM INTO ?").run(old);
    raw.close();
    const expected = diff().stdout;
    expect(JSON.parse(expected).findings.new.length).toBeGreaterThan(0);
    // Back to schema version 1, as an older hipaa-scan left it.
    const v1 = new Database(old);
    for (const { id, text } of recordTexts(v1)) v1.prepare("UPDATE chain SET record = ? WHERE id = ?").run(text, id);
    v1.exec("ALTER TABLE chain DROP COLUMN record_gz; DROP TABLE run_index; DROP INDEX chain_meta; DROP INDEX chain_scope_meta; DELETE FROM schema_migrations WHERE version IN (2, 3)");
    v1.close();
    expect(diff().stdout).toBe(expected);
    const check = new Database(old, { readonly: true });
    expect(check.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all()).toEqual([1, 2, 3]);
    expect(check.prepare("SELECT count(*) FROM run_index").pluck().get()).toBe(ids().length);
    check.close();
    expect(cli(["history", "verify"], { env: e }).stdout).toMatch(new RegExp(`intact — .* ${ids().length} drift indexes match their records`));
    const edit = new Database(old);
    edit.prepare(`UPDATE run_index SET data = replace(data, '"fail"', '"pass"') WHERE seq = (SELECT seq FROM chain WHERE id = ?)`).run(b);
    edit.close();
    const v = cli(["history", "verify"], { env: e });
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`BROKEN at run ${b}`);
    expect(v.stdout).toMatch(/drift index does not match its record/);
  });

  // The same edit with the sqlite3 command line runs in the lab (test/lab/history/ssh-drift.test.ts):
  // npm test needs nothing outside the repository, so here the edit goes through better-sqlite3.
  it("an edit made directly in the database makes verify exit 1 naming the run", () => {
    const victim = ids()[1]!;
    const raw = new Database(db);
    const text = recordTexts(raw).find((r) => r.id === victim)!.text;
    raw.prepare("UPDATE chain SET record = ? WHERE id = ?").run(text.replace('"status":"fail"', '"status":"pass"'), victim);
    raw.close();
    const v = cli(["history", "verify"], { env });
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`BROKEN at run ${victim}`);
  });

  it("prune refuses to keep less than six years", () => {
    const p = cli(["history", "prune", "--keep", "1y"], { env });
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/six years.*164\.316\(b\)\(2\)\(i\)/);
  });

  it("signs with --sign-key and verifies with --public-key", () => {
    const signed = join(dir, "signed.db");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    writeFileSync(join(dir, "k.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(dir, "k.pub"), publicKey.export({ type: "spki", format: "pem" }));
    const e = { HIPAA_SCAN_HISTORY: signed };
    expect(cli(["evaluate", before, "--fail-on", "critical", "--sign-key", join(dir, "k.pem"), "--format", "json", "--output", join(dir, "s.json")], { env: e }).code).toBe(0);
    expect(cli(["history", "verify", "--public-key", join(dir, "k.pub")], { env: e }).stdout).toMatch(/intact — 1 entry, 0 pruned, 1 signed/);
    expect(cli(["evaluate", before, "--fail-on", "critical", "--format", "json", "--output", join(dir, "s.json")], { env: e }).code).toBe(0);
    const v = cli(["history", "verify", "--public-key", join(dir, "k.pub")], { env: e });
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/not signed/);
  });

  it("--quiet with --output prints nothing when the gate passes and one line per problem when it fails", () => {
    const e = { HIPAA_SCAN_HISTORY: join(dir, "quiet.db") };
    const pass = cli(["evaluate", before, "--quiet", "--fail-on", "critical", "--format", "json", "--output", join(dir, "q.json")], { env: e });
    expect([pass.code, pass.stdout, pass.stderr]).toEqual([0, "", ""]);
    const fail = cli(["evaluate", after, "--quiet", "--fail-on", "critical", "--fail-on-new", "--format", "json", "--output", join(dir, "q.json")], { env: e });
    expect(fail.code).toBe(1);
    expect(fail.stdout.trim().split("\n")).toEqual(["NEW FAIL critical ssh://admin@ehr-db linux-empty-passwords: Accounts with an empty password: eve."]);
  });

  it("a second run over the same targets while one holds the lock stops with a clear message, exit 2", () => {
    const e = { HIPAA_SCAN_HISTORY: join(dir, "locked.db") };
    expect(cli(["evaluate", before, "--fail-on", "critical", "--format", "json", "--output", join(dir, "l.json")], { env: e }).code).toBe(0);
    const scope = JSON.parse(cli(["history", "list", "--format", "json"], { env: e }).stdout)[0].scope;
    // A live process (this test runner) owns the lock file.
    writeFileSync(join(dir, `locked.db.${scope}.lock`), `${process.pid}\n`);
    const r = cli(["evaluate", before, "--format", "json", "--output", join(dir, "l.json")], { env: e });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/another hipaa-scan run \(pid \d+\) is scanning the same targets/);
    // A lock left by a process that is gone is taken over.
    writeFileSync(join(dir, `locked.db.${scope}.lock`), "999999999\n");
    expect(cli(["evaluate", before, "--fail-on", "critical", "--format", "json", "--output", join(dir, "l.json")], { env: e }).code).toBe(0);
    expect(existsSync(join(dir, `locked.db.${scope}.lock`))).toBe(false);
  });

  it("--no-history records nothing; a password in a postgres URL is refused before anything runs", () => {
    const e = { HIPAA_SCAN_HISTORY: join(dir, "none.db") };
    expect(cli(["evaluate", before, "--no-history", "--fail-on", "critical", "--format", "json", "--output", join(dir, "n.json")], { env: e }).code).toBe(0);
    expect(existsSync(join(dir, "none.db"))).toBe(false);
    const pw = cli(["evaluate", before, "--history", "postgres://u:secret@127.0.0.1/h"], { env: e });
    expect(pw.code).toBe(2);
    expect(pw.stderr).toMatch(/password in the URL is refused/);
    expect(pw.stderr).not.toContain("secret");
  });

  it("with no --history and no HIPAA_SCAN_HISTORY, the default is under $XDG_STATE_HOME (here a temp dir)", () => {
    const state = mkdtempSync(join(tmpdir(), "hsh-xdg-"));
    expect(cli(["evaluate", before, "--fail-on", "critical", "--format", "json", "--output", join(dir, "x.json")], { env: { HIPAA_SCAN_HISTORY: "", XDG_STATE_HOME: state } }).code).toBe(0);
    expect(statSync(join(state, "hipaa-scan", "history.db")).mode & 0o777).toBe(0o600);
    expect(statSync(join(state, "hipaa-scan")).mode & 0o777).toBe(0o700);
  });
});
