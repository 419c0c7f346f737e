import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPARISON_OPS, RuleSchema } from "../../../src/engine/rule-schema.js";
import { PUBLISHED_SCHEMAS, schemaText } from "../../../src/schemas.js";

const root = new URL("../../../", import.meta.url);
const read = (f: string) => readFileSync(new URL(f, root), "utf8");

/** Repository paths written in backticks or in the diagram, such as `src/engine/packs.ts`. */
function pathsIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:^|[\s`(])((?:src|bin|rules|schemas|test|bench|docs|scripts|fixtures)\/[A-Za-z0-9_./*-]+[A-Za-z0-9*])/gm)) {
    found.add(m[1]!);
  }
  return [...found];
}

function exists(path: string): boolean {
  if (!path.includes("*")) return existsSync(new URL(path, root));
  const dir = path.slice(0, path.lastIndexOf("/"));
  const pattern = new RegExp(`^${path.slice(dir.length + 1).replace(/\./g, "\\.").replace(/\*/g, ".*")}$`);
  return existsSync(new URL(dir, root)) && readdirSync(new URL(dir, root)).some((f) => pattern.test(f));
}

describe("docs stay true to the code", () => {
  for (const doc of ["docs/architecture.md", "docs/rule-authoring.md", "docs/output-formats.md", "docs/history.md", "docs/siem.md", "docs/scale.md", "README.md"]) {
    it(`${doc} names only files that exist`, () => {
      const missing = pathsIn(read(doc)).filter((p) => !exists(p));
      expect(missing).toEqual([]);
    });
  }

  it("the rule-authoring guide lists every operator and every rule field of the schema", () => {
    const guide = read("docs/rule-authoring.md");
    for (const op of COMPARISON_OPS) expect(guide, op).toContain(`\`${op}\``);
    for (const field of Object.keys(RuleSchema.properties)) expect(guide, field).toMatch(new RegExp(`^${field}:|^  ${field}:|\\b${field}\\b`, "m"));
  });

  it("the published JSON Schemas are the ones the code defines", () => {
    for (const [name, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
      expect(read(`schemas/${name}`), name).toBe(schemaText(schema));
    }
  });
});
