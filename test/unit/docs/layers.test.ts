import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url);
const read = (f: string) => readFileSync(new URL(f, root), "utf8");

interface Zone {
  target: string;
  from: string[];
}
interface Override {
  files: string[];
  rules?: Record<string, unknown>;
}

/** The layer zones of `.eslintrc.json`, as `src/engine` → sorted forbidden layers. */
function lintZones(): Record<string, string[]> {
  const config = JSON.parse(read(".eslintrc.json")) as { overrides: Override[] };
  const rule = config.overrides.map((o) => o.rules?.["import-x/no-restricted-paths"]).find((r) => r !== undefined) as
    | [string, { zones: Zone[] }]
    | undefined;
  if (!rule) throw new Error("no import-x/no-restricted-paths in .eslintrc.json");
  const strip = (p: string) => p.replace(/^\.\//, "");
  return Object.fromEntries(rule[1].zones.map((z) => [strip(z.target), z.from.map(strip).sort()]));
}

/** The "Layers" table of docs/architecture.md, as `src/engine` → sorted forbidden layers. */
function docZones(): Record<string, string[]> {
  const doc = read("docs/architecture.md");
  const section = doc.slice(doc.indexOf("## Layers"));
  const rows = [...section.matchAll(/^\| `(src\/[a-z-]+)` \| (.+) \|$/gm)];
  return Object.fromEntries(rows.map((r) => [r[1]!, [...r[2]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).sort()]));
}

async function lint(code: string, filePath: string) {
  const ESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new ESLint({ cwd: fileURLToPath(root) });
  const [result] = await eslint.lintText(code, { filePath: fileURLToPath(new URL(filePath, root)) });
  return result!.messages.map((m) => m.ruleId);
}

describe("layers: the lint rules and docs/architecture.md say the same", () => {
  it("every zone in .eslintrc.json is a row of the Layers table, and no more", () => {
    expect(docZones()).toEqual(lintZones());
    expect(Object.keys(lintZones()).sort()).toEqual(["src/collectors", "src/engine", "src/reporters"]);
  });

  it("the table's commander/chalk/ora row is the no-restricted-imports list", () => {
    const config = JSON.parse(read(".eslintrc.json")) as { rules: Record<string, [string, { paths: { name: string }[] }]> };
    const names = config.rules["no-restricted-imports"]![1].paths.map((p) => p.name).sort();
    const row = read("docs/architecture.md").match(/^\| everything but `src\/cli` \| (.+) \|$/m);
    expect([...row![1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort()).toEqual(names);
  });
});

describe("layers: ESLint reports a crossing", () => {
  it("the engine importing a transport", async () => {
    expect(await lint('import { localRunner } from "../transports/local.js";\nexport const x = localRunner;\n', "src/engine/layer-probe.ts")).toContain(
      "import-x/no-restricted-paths",
    );
  });

  it("a reporter importing the engine, and the same import from src/core passing", async () => {
    const code = 'import { formatValue } from "../engine/conditions.js";\nexport const f = formatValue;\n';
    expect(await lint(code, "src/reporters/layer-probe.ts")).toContain("import-x/no-restricted-paths");
    expect(await lint(code, "src/core/layer-probe.ts")).toEqual([]);
  });

  it("commander outside src/cli", async () => {
    expect(await lint('import { Command } from "commander";\nexport const c = Command;\n', "src/collectors/layer-probe.ts")).toContain("no-restricted-imports");
  });

  it("an import cycle", async () => {
    // src/engine/conditions.ts imports operators.ts at run time; operators.ts importing it back closes a cycle.
    const code = `${read("src/engine/operators.ts")}\nimport { compileCondition as _c } from "./conditions.js";\nexport const _cycle = _c;\n`;
    expect(await lint(code, "src/engine/operators.ts")).toContain("import-x/no-cycle");
  });
}, 60_000);
