import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorObject, ValidateFunction } from "ajv";
import { RulePackError, UsageError, type RuleProblem } from "../core/errors.js";
import { checkConditionShape } from "./condition-shape.js";
import type { CompileIssue } from "./conditions.js";
import { compileRule, type CompiledRule } from "./rule.js";
import { PackManifestSchema, RuleSchema, type PackManifest, type RuleDef } from "./rule-schema.js";
import { parseYamlSource, type YamlSource } from "./yaml-source.js";
import { MiB, TextFileError, readTextFile } from "../core/text-file.js";
import { CatalogSchema, type Catalog, type CatalogSpec } from "./catalog.js";
import { makeAjv } from "./ajv.js";
import { NIST_FILE, NistMappingSchema, nistReferences } from "./nist.js";

/** The pack shipped with hipaa-scan (same path from src/engine and dist/engine). */
export const BUILTIN_PACK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../rules/hipaa");

export interface LoadedPack {
  manifest: PackManifest;
  dir: string;
  sha256: string;
  rules: CompiledRule[];
}

export interface RuleSet {
  packs: LoadedPack[];
  rules: CompiledRule[];
  catalog: Catalog;
}

const RESERVED = new Set(["pack.yaml", "catalog.yaml", NIST_FILE]);

let validators: { rule: ValidateFunction; manifest: ValidateFunction; catalog: ValidateFunction; nist: ValidateFunction } | undefined;
function getValidators() {
  if (!validators) {
    const ajv = makeAjv();
    validators = {
      // Conditions are checked by condition-shape.ts with better messages; validating them again
      // through the recursive JSON Schema union costs more to compile than every rule costs to load.
      rule: ajv.compile({ ...RuleSchema, $defs: { Condition: { $id: "Condition" } } }),
      manifest: ajv.compile(PackManifestSchema),
      catalog: ajv.compile(CatalogSchema),
      nist: ajv.compile(NistMappingSchema),
    };
  }
  return validators;
}

/**
 * Loads, validates and compiles the built-in pack plus any `extra` pack directories or rule files.
 * Every problem in every file is collected; if there are any, throws one RulePackError listing them.
 */
export async function loadRuleSet(extra: string[] = [], opts: { builtin?: boolean } = {}): Promise<RuleSet> {
  const problems: RuleProblem[] = [];
  const dirs = [...(opts.builtin === false ? [] : [BUILTIN_PACK_DIR]), ...extra.map((p) => resolve(p))];
  const packs: LoadedPack[] = [];
  const catalogSpecs: CatalogSpec[] = [];
  const nistSources: { src: YamlSource; own: string[] }[] = [];
  for (const dir of dirs) {
    const pack = await loadPack(dir, problems, catalogSpecs, nistSources);
    if (pack) packs.push(pack);
  }
  if (catalogSpecs.length === 0 && opts.builtin === false) {
    // Packs of their own still cite HIPAA: check their citations against the built-in catalog.
    const file = join(BUILTIN_PACK_DIR, "catalog.yaml");
    const src = await readYaml(file, relative(process.cwd(), file), problems, false);
    if (src && validateWith(getValidators().catalog, src, problems)) catalogSpecs.push(...(src.data as Catalog).specs);
  }
  const rules = packs.flatMap((p) => p.rules);
  const catalog: Catalog = { specs: dedupeSpecs(catalogSpecs) };
  // NIST cross-references (src/engine/nist.ts): each pack's mapping file covers the whole catalog.
  for (const { src, own } of nistSources) {
    const refs = nistReferences(src, catalog, own, problems);
    catalog.specs = catalog.specs.map((s) => (refs.has(s.citation) && !s.nist ? { ...s, nist: refs.get(s.citation)! } : s));
  }
  crossCheck(rules, catalog, problems);
  if (problems.length > 0) throw new RulePackError(problems);
  return { packs, rules, catalog };
}

async function loadPack(path: string, problems: RuleProblem[], catalogSpecs: CatalogSpec[], nistSources: { src: YamlSource; own: string[] }[] = []): Promise<LoadedPack | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`rule pack not found: ${path}`);
  }
  const shown = (f: string) => relative(process.cwd(), f) || f;
  if (!info.isFile() && !info.isDirectory()) throw new UsageError(`rule pack ${path} is neither a rule file nor a directory`);
  if (info.isFile()) {
    // A single rule file, validated on its own (rules validate FILE).
    const text = await readRuleText(path, shown(path), problems);
    if (text === undefined) return undefined;
    const rule = compileRuleFile(path, text, "(file)", shown(path), problems);
    return {
      manifest: { id: basename(path, extname(path)), version: "0", title: "single rule file" },
      dir: dirname(path),
      sha256: createHash("sha256").update(text).digest("hex"),
      rules: rule ? [rule] : [],
    };
  }
  const manifestFile = join(path, "pack.yaml");
  if (!(await stat(manifestFile).catch(() => undefined))) {
    // A folder of rules without a manifest (an area such as rules/hipaa/windows): each file on its own.
    const files = (await listYaml(path)).sort().filter((f) => !RESERVED.has(basename(f)));
    if (files.length === 0) throw new UsageError(`rule pack ${path} has no rule files (<area>/<rule-id>.yaml)`);
    const texts = await Promise.all(files.map((f) => readRuleText(f, shown(f), problems)));
    const hash = createHash("sha256");
    const rules = files.flatMap((file, i) => {
      const text = texts[i];
      if (text === undefined) return [];
      hash.update(`${relative(path, file)}\0${text}\0`);
      return compileRuleFile(file, text, basename(path), shown(file), problems) ?? [];
    });
    return { manifest: { id: basename(path), version: "0", title: `rules in ${shown(path)}` }, dir: path, sha256: hash.digest("hex"), rules };
  }
  const hash = createHash("sha256");
  let manifest: PackManifest = { id: basename(path), version: "0", title: basename(path) };
  const manifestSrc = await readYaml(manifestFile, shown(manifestFile), problems, true);
  if (manifestSrc) {
    if (validateWith(getValidators().manifest, manifestSrc, problems)) manifest = manifestSrc.data as PackManifest;
    hash.update(`pack.yaml\0${manifestSrc.text}\0`);
  }
  const catalogFile = join(path, "catalog.yaml");
  const catalogSrc = await readYaml(catalogFile, shown(catalogFile), problems, false);
  const ownSpecs: string[] = [];
  if (catalogSrc && validateWith(getValidators().catalog, catalogSrc, problems)) {
    ownSpecs.push(...(catalogSrc.data as Catalog).specs.map((s) => s.citation));
    catalogSpecs.push(...(catalogSrc.data as Catalog).specs);
    hash.update(`catalog.yaml\0${catalogSrc.text}\0`);
  }
  const nistFile = join(path, NIST_FILE);
  const nistSrc = await readYaml(nistFile, shown(nistFile), problems, false);
  if (nistSrc && validateWith(getValidators().nist, nistSrc, problems)) {
    nistSources.push({ src: nistSrc, own: ownSpecs });
    hash.update(`${NIST_FILE}\0${nistSrc.text}\0`);
  }
  const files = (await listYaml(path)).sort().filter((f) => !RESERVED.has(relative(path, f)));
  if (files.length === 0) throw new UsageError(`rule pack ${path} has no rule files (<area>/<rule-id>.yaml)`);
  // Read every file at once (the load is I/O-bound), then validate and compile in a stable order.
  const texts = await Promise.all(files.map((f) => readRuleText(f, shown(f), problems)));
  const rules: CompiledRule[] = [];
  files.forEach((file, i) => {
    if (texts[i] === undefined) return;
    const rel = relative(path, file);
    if (rel.split(/[\\/]/).length !== 2) {
      problems.push({ file: shown(file), line: 1, col: 1, message: `rules live in <pack>/<area>/<rule-id>.yaml; move this file into an area folder` });
      return;
    }
    hash.update(`${rel}\0${texts[i]}\0`);
    const rule = compileRuleFile(file, texts[i]!, manifest.id, shown(file), problems);
    if (rule) rules.push(rule);
  });
  return { manifest, dir: path, sha256: hash.digest("hex"), rules };
}

async function listYaml(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listYaml(full)));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

async function readYaml(file: string, shown: string, problems: RuleProblem[], required: boolean): Promise<(YamlSource & { text: string }) | undefined> {
  if (!(await stat(file).catch(() => undefined))) {
    if (required) problems.push({ file: shown, line: 1, col: 1, message: "missing pack.yaml (id, version, title)" });
    return undefined;
  }
  const text = await readRuleText(file, shown, problems);
  if (text === undefined) return undefined;
  const { source, problems: found } = parseYamlSource(shown, text);
  problems.push(...found);
  return source ? { ...source, text } : undefined;
}

/** Largest rule, manifest or catalog file read (the biggest built-in one is about 5 KiB). */
const MAX_RULE_FILE_BYTES = 1 * MiB;

/** Reads one pack file as bounded UTF-8 text; a problem at file:1:1 when it cannot be. */
async function readRuleText(file: string, shown: string, problems: RuleProblem[]): Promise<string | undefined> {
  try {
    return await readTextFile(file, MAX_RULE_FILE_BYTES);
  } catch (err) {
    if (!(err instanceof TextFileError)) throw err;
    problems.push({ file: shown, line: 1, col: 1, message: `cannot read this file: ${err.message}` });
    return undefined;
  }
}

function compileRuleFile(file: string, text: string, pack: string, shown: string, problems: RuleProblem[]): CompiledRule | undefined {
  const { source: src, problems: syntax } = parseYamlSource(shown, text);
  problems.push(...syntax);
  if (!src) return undefined;
  const data = src.data as Record<string, unknown> | null;
  const issues: CompileIssue[] = [];
  // Conditions get their own structural check: JSON Schema's errors for recursive unions are unreadable.
  if (data && typeof data === "object") {
    for (const key of ["check", "when"] as const) if (key in data) checkConditionShape(data[key], [key], issues);
  }
  const schemaOk = validateWith(getValidators().rule, src, problems, (path) => path.startsWith("/check") || path.startsWith("/when"));
  const expectedId = basename(file).replace(/\.ya?ml$/, "");
  if (data && typeof data === "object" && typeof data.id === "string" && data.id !== expectedId) {
    problems.push(src.problem(["id"], `rule id "${data.id}" does not match its file name "${expectedId}"`));
  }
  if (!schemaOk || issues.length > 0) {
    problems.push(...issues.map((i) => src.problem(i.path, i.message, { key: i.key })));
    return undefined;
  }
  const rule = compileRule(data as unknown as RuleDef, pack, shown, issues);
  problems.push(...issues.map((i) => src.problem(i.path, i.message, { key: i.key })));
  return issues.length > 0 ? undefined : rule;
}

/** Runs an ajv validator and turns its errors into positioned problems. */
function validateWith(
  validate: ValidateFunction,
  src: YamlSource,
  problems: RuleProblem[],
  skip: (instancePath: string) => boolean = () => false,
): boolean {
  if (validate(src.data)) return true;
  const errors = (validate.errors ?? []).filter((e) => !skip(e.instancePath));
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  let reported = 0;
  for (const [instancePath, errs] of byPath) {
    const path = instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const union = errs.some((e) => e.keyword === "anyOf");
    if (union) {
      const allowed = errs.filter((e) => e.keyword === "const").map((e) => JSON.stringify(e.params.allowedValue));
      problems.push(src.problem(path, allowed.length > 0 ? `must be one of ${allowed.join(", ")}` : "has the wrong type or shape"));
      reported++;
      continue;
    }
    for (const e of errs) {
      problems.push(describeAjvError(src, path, e));
      reported++;
    }
  }
  // Errors only inside skipped subtrees (conditions) are reported by their own checker.
  return reported === 0 && errors.length === 0;
}

function describeAjvError(src: YamlSource, path: string[], e: ErrorObject): RuleProblem {
  const field = path.join(".") || "(top level)";
  switch (e.keyword) {
    case "additionalProperties": {
      const extra = String(e.params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const near = closest(extra, known);
      return src.problem([...path, extra], `unknown field "${extra}"${near ? ` (did you mean "${near}"?)` : ""}`, { key: true });
    }
    case "required":
      return src.problem(path, `missing required field "${String(e.params.missingProperty)}"${path.length ? ` in ${field}` : ""}`);
    case "pattern":
      if (path[0] === "hipaa" || path[path.length - 1] === "citation") return src.problem(path, `"${String(getAt(src.data, path))}" is not a HIPAA citation like 164.312(a)(2)(iii)`);
      if (path[0] === "id") return src.problem(path, "rule ids are lowercase words joined by hyphens");
      return src.problem(path, `${field} does not match ${String(e.params.pattern)}`);
    case "minItems":
      if (path[0] === "tests") return src.problem(path, `a rule needs at least ${String(e.params.limit)} test cases (a pass and a fail)`);
      return src.problem(path, `${field} needs at least ${String(e.params.limit)} items`);
    default:
      return src.problem(path, `${field} ${e.message ?? "is invalid"}`);
  }
}

function getAt(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), data);
}

/** The known name within edit distance 2 of a misspelt one. */
function closest(word: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function dedupeSpecs(specs: CatalogSpec[]): CatalogSpec[] {
  const seen = new Map<string, CatalogSpec>();
  for (const s of specs) if (!seen.has(s.citation)) seen.set(s.citation, s);
  return [...seen.values()];
}

/** Rule ids are unique across packs; citations exist in the catalog; a param name means one type everywhere. */
function crossCheck(rules: CompiledRule[], catalog: Catalog, problems: RuleProblem[]) {
  const ids = new Map<string, string>();
  const paramTypes = new Map<string, { type: string; file: string }>();
  const known = new Set(catalog.specs.map((s) => s.citation));
  for (const r of rules) {
    const other = ids.get(r.def.id);
    if (other) problems.push({ file: r.file, line: 1, col: 1, message: `duplicate rule id "${r.def.id}" (also in ${other})` });
    ids.set(r.def.id, r.file);
    if (known.size > 0) {
      for (const c of r.def.hipaa) {
        if (!known.has(c)) problems.push({ file: r.file, line: 1, col: 1, message: `citation ${c} is not in the HIPAA catalog (rules/hipaa/catalog.yaml)` });
      }
    }
    for (const [name, def] of Object.entries(r.def.params ?? {})) {
      const seen = paramTypes.get(name);
      if (seen && seen.type !== def.type) {
        problems.push({ file: r.file, line: 1, col: 1, message: `param "${name}" is ${def.type} here but ${seen.type} in ${seen.file}` });
      } else paramTypes.set(name, { type: def.type, file: r.file });
    }
  }
}
