import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireLab } from "../prereqs.js";
import { ROOT } from "../../helpers/cli.js";
import { reportFromJson } from "../../../src/report/read.js";
import { startPostgres, type Postgres } from "./servers.js";

/**
 * Drift on real hosts: the SSH lab (test/lab/ssh/lab.sh, used as is) gives h1, a hardened host
 * with its own /etc files bound over the real ones; the scanner runs in the lab's hss-scan
 * namespace. Between two scans the test adds an account with an empty password to h1's
 * passwd/shadow/group files (appended in place, so the bind mounts show it at once). The flow runs
 * with the SQLite history and with PostgreSQL (this file starts it; the namespace reaches it over
 * its unix socket, the password only in PGPASSWORD).
 */
const LAB = mkdtempSync(join(tmpdir(), "hsh-ssh-"));
const LABSH = join(ROOT, "test/lab/ssh/lab.sh");
const SUDO_PW = randomBytes(12).toString("hex");
const PG_PW = randomBytes(12).toString("hex");
const H1 = "ssh://scan@10.77.3.11";
let pgServer: Postgres;

function scan(history: string, extra: string[], out: string) {
  const r = spawnSync(
    "ip",
    ["netns", "exec", "hss-scan", process.execPath, join(ROOT, "bin/hipaa-scan.js"), "scan", H1, "--identity", join(LAB, "scan/id_ed25519"), "--known-hosts", join(LAB, "known_hosts"), "--accept-new-host-keys", "--sudo", "--fail-on", "critical", "--history", history, "--format", "json", "--output", out, ...extra],
    { env: { ...process.env, PGPASSWORD: PG_PW, XDG_STATE_HOME: LAB, HIPAA_SCAN_HISTORY: "" }, encoding: "utf8", timeout: 180_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function hist(history: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/hipaa-scan.js"), "history", ...args, "--history", history], { env: { ...process.env, PGPASSWORD: PG_PW, XDG_STATE_HOME: LAB }, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  requireLab("history");
  requireLab("ssh");
  execFileSync("bash", [LABSH, "up", LAB], { env: { ...process.env, HSS_SUDO_PW: SUDO_PW }, stdio: ["ignore", "pipe", "pipe"] });
  pgServer = await startPostgres(LAB, PG_PW);
});

afterAll(() => {
  pgServer?.stop();
  execFileSync("bash", [LABSH, "down", LAB], { stdio: ["ignore", "pipe", "pipe"] });
});

const addAccount = (name: string, uid: number) => {
  const etc = join(LAB, "h1/etc");
  appendFileSync(join(etc, "passwd"), `${name}:x:${uid}:${uid}:${name} added between scans:/tmp:/bin/sh\n`);
  appendFileSync(join(etc, "shadow"), `${name}::19700:0:99999:7:::\n`);
  appendFileSync(join(etc, "group"), `${name}:x:${uid}:\n`);
};

describe("drift on a real host between scans", { timeout: 600_000 }, () => {
  for (const store of ["sqlite", "postgres"] as const) {
    it(`${store}: the new finding names the added account, --fail-on-new exits 1, an unchanged third scan exits 0; an edit breaks verify`, () => {
      const history = store === "sqlite" ? join(LAB, "history.db") : pgServer.socketUrl;
      const account = store === "sqlite" ? "eve" : "trudy";
      const out = (n: number) => join(LAB, `${store}-${n}.json`);
      const first = scan(history, [], out(1));
      expect(first.code, first.stderr).toBe(0);
      addAccount(account, store === "sqlite" ? 1060 : 1061);
      const second = scan(history, ["--fail-on-new"], out(2));
      expect(second.code, second.stderr).toBe(1);
      const r2 = reportFromJson(JSON.parse(readFileSync(out(2), "utf8")), out(2));
      expect(r2.drift!.findings.new).toContainEqual(expect.objectContaining({ ruleId: "linux-empty-passwords", message: `Accounts with an empty password: ${account}.` }));
      expect(r2.drift!.assets).toContainEqual(expect.objectContaining({ target: H1, kind: "accounts", added: [account] }));
      const third = scan(history, ["--fail-on-new"], out(3));
      expect(third.code, third.stderr).toBe(0);
      expect(reportFromJson(JSON.parse(readFileSync(out(3), "utf8")), out(3)).drift!.findings.new).toEqual([]);

      expect(hist(history, ["verify"]).code).toBe(0);
      // The attacker reads the stored (gzip-compressed) record with the database's own client, and
      // writes it back as text with the account renamed.
      const db = (query: string, input?: string) =>
        store === "sqlite"
          ? execFileSync("sqlite3", [history, ...(input ? [] : [query])], { encoding: "utf8", ...(input ? { input } : {}) })
          : execFileSync("/usr/bin/psql", ["-h", pgServer.socketDir, "-p", String(pgServer.port), "-U", "hsh", "-d", "postgres", "-At", ...(input ? [] : ["-c", query])], { encoding: "utf8", env: { ...process.env, PGPASSWORD: PG_PW }, ...(input ? { input } : {}) });
      const hex = db(`SELECT ${store === "sqlite" ? "hex(record_gz)" : "encode(record_gz, 'hex')"} FROM chain WHERE id = '${r2.run!.id}'`).trim();
      const edited = gunzipSync(Buffer.from(hex, "hex")).toString("utf8").replaceAll(account, "nobody");
      db("", `UPDATE chain SET record = '${edited.replaceAll("'", "''")}' WHERE id = '${r2.run!.id}';\n`);
      const v = hist(history, ["verify"]);
      expect(v.code).toBe(1);
      expect(v.stdout).toContain(`BROKEN at run ${r2.run!.id}`);
      // Put h1 back for the other store: remove the account lines again.
      for (const f of ["passwd", "shadow", "group"]) {
        const file = join(LAB, "h1/etc", f);
        const kept = readFileSync(file, "utf8").split("\n").filter((l) => !l.startsWith(`${account}:`)).join("\n");
        writeFileSync(file, kept); // truncates in place: the bind mount keeps showing this inode
      }
    });
  }
});
