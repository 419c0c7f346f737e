import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * A plain clone must be enough: nothing under src/, test/, bench/ or scripts/ may read a file above
 * the repository root (the founders' brief in ../shared is not part of a clone). Every relative path
 * written as a string literal is resolved against its file's folder and must stay inside the tree.
 */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const CODE = /\.(ts|js|mjs|cjs|sh|py)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules") return [];
    return statSync(path).isDirectory() ? files(path) : CODE.test(name) ? [path] : [];
  });
}

/** Relative paths in string literals that climb out of `file`'s folder: `"../x"`, `'../../..'`. */
export function escapingPaths(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/["'`]((?:\.\.\/)*\.\.(?:\/[^"'`\s$]*)?)["'`]/g)) {
    const target = resolve(dirname(file), m[1]!);
    const rel = relative(REPO, target);
    if (rel === ".." || rel.startsWith(`..${sep}`)) out.push(m[1]!);
  }
  for (const m of text.matchAll(/\bshared\/(HIPAA|DESIGN|LAB|STYLE)\.md\b/g)) out.push(m[0]);
  return out;
}

describe("repository boundary", () => {
  it("the checker catches a read of ../shared and lets an in-tree path pass", () => {
    const f = join(REPO, "test/unit/engine/x.test.ts");
    // Built from parts so this file does not match its own check.
    const outside = ["..", "..", "..", "..", "shared", "HIPAA.md"].join("/");
    expect(escapingPaths(f, `new URL("${outside}", import.meta.url)`)).toEqual([outside, outside.slice(12)]);
    expect(escapingPaths(f, `new URL("../../data/cfr-164-specifications.yaml", import.meta.url)`)).toEqual([]);
  });

  it.each(["src", "test", "bench", "scripts"])("no file under %s/ reads above the repository root", (dir) => {
    const offenders = files(join(REPO, dir))
      .map((f) => ({ f: relative(REPO, f), hits: escapingPaths(f, readFileSync(f, "utf8")) }))
      .filter((x) => x.hits.length > 0);
    expect(offenders).toEqual([]);
  });
});
