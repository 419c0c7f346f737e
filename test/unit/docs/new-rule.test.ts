import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { runRuleTests } from "../../../src/engine/rule-tests.js";

it("npm run new-rule creates a rule that validates and whose cases pass", async () => {
  const pack = mkdtempSync(join(tmpdir(), "hs-new-"));
  writeFileSync(join(pack, "pack.yaml"), "id: site\nversion: 1.0.0\ntitle: site rules\n");
  const script = new URL("../../../scripts/new-rule.js", import.meta.url).pathname;
  const r = spawnSync(process.execPath, [script, "linux/site-tmout", "--pack", pack], { encoding: "utf8" });
  expect(r.stdout).toContain("created");
  const { rules } = await loadRuleSet([pack], { builtin: false });
  expect(rules.map((x) => x.def.id)).toEqual(["site-tmout"]);
  expect(runRuleTests(rules).every((t) => t.passed)).toBe(true);
});
