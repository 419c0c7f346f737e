import { readFileSync } from "node:fs";

/** Name and version from package.json (the same path from src/ and dist/). */
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
export const TOOL = { name: "hipaa-scan", version: pkg.version } as const;
