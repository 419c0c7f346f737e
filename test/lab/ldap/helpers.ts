import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import type { CollectContext, CollectOptions } from "../../../src/collectors/types.js";
import { testContext } from "../../helpers/context.js";
import type { Finding, Report } from "../../../src/core/model.js";
import { reportFromJson } from "../../../src/report/read.js";

export const LAB_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(LAB_DIR, "../../..");

/** A password nobody else knows, good for Samba's complexity rules. */
export function labPassword(): string {
  return `Hs1-${randomBytes(12).toString("base64url")}-x9!`;
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
      resolveRun({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs the built CLI (npm run build first). */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [resolve(REPO, "bin/hipaa-scan.js"), ...args], { NO_COLOR: "1", ...env });
}

/** A JSON report the CLI wrote, read (and validated) as merge and --baseline read it. */
export function readReport(file: string): Report {
  return reportFromJson(JSON.parse(readFileSync(file, "utf8")), file);
}

/** Names of the items a failing finding is about, from its evidence (`accounts[NAME]`). */
export function failedItems(f: Finding): string[] {
  return f.evidence
    .map((e) => /\[([^\]]+)\]$/.exec(e.fact)?.[1])
    .filter((x): x is string => x !== undefined)
    .sort();
}

/** ruleId → sorted item names, for every failing directory finding. */
export function failures(report: Report): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of report.findings) {
    if (f.status === "fail" && f.ruleId.startsWith("directory-")) out[f.ruleId] = failedItems(f);
  }
  return out;
}

export function statuses(report: Report): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of report.findings) if (f.ruleId.startsWith("directory-")) out[f.ruleId] = f.status;
  return out;
}

export function ctxFor(options: Partial<CollectOptions>, password: string | undefined, now = new Date()): CollectContext {
  return testContext({ options: { timeoutMs: 20_000, ...options }, password, now });
}
