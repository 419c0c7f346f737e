// After tsc: copies the probe scripts next to the compiled modules that read them, and writes the
// published JSON Schemas (schemas/*.json) from their TypeBox definitions, and docs/facts.md's per-section
// parts from the probe section lists.
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ASSETS = /\.(sh|ps1)$/;

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) copyAssets(full);
    else if (ASSETS.test(name)) {
      const dest = join(root, "dist", relative(join(root, "src"), full));
      mkdirSync(dirname(dest), { recursive: true });
      cpSync(full, dest);
    }
  }
}
copyAssets(join(root, "src"));

const { writeSchemas } = await import("../dist/schemas.js");
for (const file of writeSchemas(join(root, "schemas"), writeFileSync)) console.log(`wrote ${relative(root, file)}`);

// docs/facts.md: the per-section parts come from the probe section lists.
const { renderFactsDoc } = await import("../dist/probes/facts-doc.js");
const factsDoc = join(root, "docs", "facts.md");
const before = readFileSync(factsDoc, "utf8");
const after = renderFactsDoc(before);
if (after !== before) {
  writeFileSync(factsDoc, after);
  console.log("wrote docs/facts.md");
}
