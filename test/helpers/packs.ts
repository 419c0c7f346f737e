import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { RulePackError } from "../../src/core/errors.js";
import { loadRuleSet } from "../../src/engine/packs.js";

/** Writes a throwaway rule pack: files maps relative paths to YAML text. Returns the pack dir. */
export function writePack(files: Record<string, string>, manifest = "id: test\nversion: 1.0.0\ntitle: test pack\n"): string {
  const dir = mkdtempSync(join(tmpdir(), "hs-pack-"));
  writeFileSync(join(dir, "pack.yaml"), manifest);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** A minimal valid rule; `overrides` replaces top-level YAML lines by key. */
export function ruleYaml(id: string, body: Partial<Record<string, string>> = {}): string {
  const fields: Record<string, string> = {
    id: `id: ${id}`,
    title: "title: Test rule",
    severity: "severity: high",
    hipaa: 'hipaa: ["164.312(b)"]',
    description: "description: A rule for tests.",
    appliesTo: "appliesTo: { kind: host, os: [linux] }",
    check: "check: { fact: audit.auditd.active, eq: true }",
    message: 'message: { pass: "ok", fail: "not ok" }',
    remediation: "remediation: { default: fix it }",
    tests: [
      "tests:",
      "  - name: active passes",
      "    facts: { audit: { auditd: { active: true } } }",
      "    expect: pass",
      "  - name: inactive fails",
      "    facts: { audit: { auditd: { active: false } } }",
      "    expect: fail",
    ].join("\n"),
  };
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    fields[k] = v;
  }
  return `${Object.values(fields).filter(Boolean).join("\n")}\n`;
}

/** The load problems of a pack dir (or of the files written as one), as `file:line:col: message`; the test fails if it loads. */
export async function packProblems(pack: string | Record<string, string>): Promise<string[]> {
  try {
    await loadRuleSet([typeof pack === "string" ? pack : writePack(pack)], { builtin: false });
  } catch (err) {
    expect(err).toBeInstanceOf(RulePackError);
    return (err as RulePackError).problems.map((p) => `${p.file.split("/").pop()}:${p.line}:${p.col}: ${p.message}`);
  }
  throw new Error("pack loaded without problems");
}
