// After tsc: copies the probe scripts next to the compiled modules that read them, and writes the
// published JSON Schemas (schemas/*.json) from their TypeBox definitions.
import { cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
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
