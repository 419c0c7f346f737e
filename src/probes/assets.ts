import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Reads a probe script fragment that sits beside its module. From dist/ the fragment is the copy
 * scripts/postbuild.js made; when the build skipped that step, the package's src/ copy is read.
 */
export function readFragment(url: URL): string {
  const path = fileURLToPath(url);
  if (existsSync(path)) return readFileSync(path, "utf8");
  const fromSrc = path.replace(/([\\/])dist([\\/])(?!.*[\\/]dist[\\/])/, "$1src$2");
  if (fromSrc !== path && existsSync(fromSrc)) return readFileSync(fromSrc, "utf8");
  throw new Error(`probe script fragment not found: ${path}`);
}
