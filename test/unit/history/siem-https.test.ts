import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";
import { ehrDbFacts } from "../../helpers/ehr-db-facts.js";
import { makeCerts } from "../../lab/history/servers.js";
import { reportFromJson } from "../../../src/report/read.js";

/**
 * SIEM delivery over `https://` to a real HTTPS server (node:https on 127.0.0.1, certificate from a
 * CA made here with openssl, trusted through --ca-file). The token comes from --siem-token-env and
 * must arrive as the Authorization header and nowhere else: not in output, reports or the history.
 * A 503 and a refused connection leave the events queued; the next run sends them, once.
 */
const dir = mkdtempSync(join(tmpdir(), "hsh-https-"));
const token = `hsh-${randomBytes(16).toString("hex")}`;
const facts = join(dir, "facts.json");
writeFileSync(facts, JSON.stringify(ehrDbFacts()));
const certs = makeCerts(dir);

interface Received {
  auth: string | undefined;
  status: number;
  path: string;
  lines: { metadata: { uid: string; correlation_uid: string; log_name: string }; unmapped: { hipaa_scan: { rule_id?: string; target?: { id: string } } } }[];
  body: string;
}
const received: Received[] = [];
let answer = 200;
let server: Server;
let port = 0;

function listen(): Promise<void> {
  server = createServer({ key: readFileSync(certs.key), cert: readFileSync(certs.cert) }, (req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => {
      const lines = body.split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
      received.push({ auth: req.headers.authorization, status: answer, path: req.url ?? "", lines, body });
      res.writeHead(answer, { "content-type": "application/json" }).end(answer === 200 ? '{"text":"Success"}' : '{"text":"busy"}');
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => ((port = (server.address() as { port: number }).port), resolve())));
}
const close = () => new Promise<void>((resolve) => server.close(() => resolve()));

/** The built CLI, without blocking this process's event loop (the server answers from it). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/hipaa-scan.js"), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(listen);
afterAll(async () => {
  await close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe("SIEM over https:// to a real HTTPS server", { timeout: 240_000 }, () => {
  it("sends JSON lines with the token as Authorization only; 503 and refused keep events queued, sent once by the next run", async () => {
    const env = { HIPAA_SCAN_HISTORY: join(dir, "history.db"), HSH_SIEM_TOKEN: token };
    const outputs: string[] = [];
    const runs: { id: string; findings: { ruleId: string; target: { id: string } }[]; targets: unknown[]; pending: number }[] = [];
    const once = async (n: number) => {
      const out = join(dir, `r${n}.json`);
      const args = ["evaluate", facts, "--siem", `https://127.0.0.1:${port}/services/collector/raw?channel=hsh`, "--siem-token-env", "HSH_SIEM_TOKEN", "--ca-file", certs.ca, "--format", "json", "--output", out];
      const r = await cli(args, env);
      expect([1, 0, 3]).toContain(r.code);
      outputs.push(r.stdout, r.stderr);
      const report = reportFromJson(JSON.parse(readFileSync(out, "utf8")), out);
      outputs.push(readFileSync(out, "utf8"));
      runs.push({ id: report.run!.id, findings: report.findings, targets: report.targets, pending: report.run!.siemPending! });
      return runs.at(-1)!;
    };
    const eventsOf = (r: (typeof runs)[number]) => r.findings.length + r.targets.length + 1;

    const r1 = await once(1);
    expect(r1.pending).toBe(0);
    answer = 503;
    const r2 = await once(2);
    expect(r2.pending).toBe(eventsOf(r2));
    await close();
    const r3 = await once(3);
    expect(r3.pending).toBe(eventsOf(r2) + eventsOf(r3));
    answer = 200;
    await listen();
    const r4 = await once(4);
    expect(r4.pending).toBe(0);

    // Every request carried the token as a bearer Authorization header, and only there.
    expect(received.length).toBeGreaterThanOrEqual(3);
    for (const r of received) {
      expect(r.auth).toBe(`Bearer ${token}`);
      expect(r.path).toBe("/services/collector/raw?channel=hsh");
      expect(r.body).not.toContain(token);
    }
    // Accepted (2xx) requests hold every finding, target and run event of every run exactly once.
    const accepted = received.filter((r) => r.status === 200).flatMap((r) => r.lines);
    const uids = accepted.map((e) => e.metadata.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const run of runs) {
      const of = accepted.filter((e) => e.metadata.correlation_uid === run.id);
      expect(of.filter((e) => e.metadata.log_name === "finding").map((e) => `${e.unmapped.hipaa_scan.target!.id}|${e.unmapped.hipaa_scan.rule_id}`).sort()).toEqual(run.findings.map((f) => `${f.target.id}|${f.ruleId}`).sort());
      expect(of.filter((e) => e.metadata.log_name === "target").length).toBe(run.targets.length);
      expect(of.filter((e) => e.metadata.log_name === "run").length).toBe(1);
    }
    // The 503 was seen (run 2's events were offered and refused) and run 2 arrived with run 4.
    expect(received.some((r) => r.status === 503 && r.lines.some((e) => e.metadata.correlation_uid === r2.id))).toBe(true);

    // The token is in no output, report or history file (the database and its WAL, read as bytes).
    for (const o of outputs) expect(o).not.toContain(token);
    const files = readdirSync(dir).filter((f) => f.startsWith("history.db") || f.endsWith(".json"));
    expect(files).toContain("history.db");
    for (const f of files) expect(readFileSync(join(dir, f)).includes(Buffer.from(token))).toBe(false);
    expect(existsSync(join(dir, "history.db"))).toBe(true);
  });
});
