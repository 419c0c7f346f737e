import { UsageError } from "../core/errors.js";
import { loadRuleSet } from "../engine/packs.js";
import { runRuleTests } from "../engine/rule-tests.js";
import { stringify } from "yaml";
import { stripControl } from "../core/untrusted-text.js";

/** Rule packs are files from outside this program: what they say reaches the terminal without escapes. */
const print = (text: string) => process.stdout.write(stripControl(text));

/** `rules list|show|validate|test`: the rule packs as users and rule authors see them. */

export async function listRules(opts: { rules?: string[]; format?: string }): Promise<number> {
  const { rules, packs } = await loadRuleSet(opts.rules ?? []);
  if (opts.format === "json") {
    const rows = rules.map((r) => ({ id: r.def.id, pack: r.pack, severity: r.def.severity, hipaa: r.def.hipaa, kind: r.def.appliesTo.kind, os: r.def.appliesTo.os ?? [], title: r.def.title }));
    print(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const lines = rules.map((r) => {
    const scope = [r.def.appliesTo.kind, ...(r.def.appliesTo.os ?? [])].join("/");
    return `${r.def.id.padEnd(44)} ${r.def.severity.padEnd(8)} ${scope.padEnd(14)} ${r.def.hipaa.join(", ")}`;
  });
  print(`${lines.join("\n")}\n${rules.length} rules in ${packs.map((p) => `${p.manifest.id} ${p.manifest.version}`).join(", ")}\n`);
  return 0;
}

export async function showRule(id: string, opts: { rules?: string[] }): Promise<number> {
  const { rules } = await loadRuleSet(opts.rules ?? []);
  const rule = rules.find((r) => r.def.id === id);
  if (!rule) throw new UsageError(`no rule "${id}" (see: hipaa-scan rules list)`);
  const { tests, ...rest } = rule.def;
  print(`# ${rule.file}\n${stringify(rest, { lineWidth: 100 })}# ${tests.length} test cases (hipaa-scan rules test)\n`);
  return 0;
}

/** Exit 0 when every pack loads; problems surface as a RulePackError (exit 2, file:line:col). */
export async function validateRules(paths: string[]): Promise<number> {
  const { rules, packs } = await loadRuleSet(paths, { builtin: paths.length === 0 });
  print(`${rules.length} rules in ${packs.length} pack(s) are valid\n`);
  return 0;
}

export async function testRules(paths: string[], opts: { verbose?: boolean }): Promise<number> {
  const { rules } = await loadRuleSet(paths, { builtin: paths.length === 0 });
  const results = runRuleTests(rules);
  const failed = results.filter((r) => !r.passed);
  for (const r of opts.verbose ? results : failed) {
    const mark = r.passed ? "ok  " : "FAIL";
    const why = r.passed ? "" : ` — expected ${r.expected}, got ${r.actual}: ${r.message}`;
    print(`${mark} ${r.ruleId}: ${r.name}${why}\n    at ${r.file}\n`);
  }
  print(`${results.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0 ? 0 : 1;
}
