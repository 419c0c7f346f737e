import { describe, expect, it } from "vitest";
import { WINDOWS_BOOTSTRAP, WINDOWS_PROBE_SCRIPT } from "../../../src/probes/windows/script.js";
import { powershellSyntaxErrors } from "../../helpers/powershell.js";

/** The PowerShell probe cannot run here: it is parsed with the tree-sitter PowerShell grammar instead. */

describe("PowerShell probe syntax", () => {
  it("the probe script parses with no ERROR or MISSING node", async () => {
    expect(await powershellSyntaxErrors(WINDOWS_PROBE_SCRIPT)).toEqual([]);
  });

  it("the -EncodedCommand bootstrap parses too", async () => {
    expect(await powershellSyntaxErrors(WINDOWS_BOOTSTRAP)).toEqual([]);
  });

  it("a broken copy of the script fails, naming the line and column", async () => {
    const lines = WINDOWS_PROBE_SCRIPT.split("\n");
    const at = lines.findIndex((l) => l.startsWith("Add-Section 'os' {"));
    expect(at).toBeGreaterThan(0);
    // Drop the closing brace of an if-block: an unbalanced script.
    const broken = [...lines.slice(0, at), "if ($x -eq 1) { $y = (2 + ", ...lines.slice(at)].join("\n");
    const errors = await powershellSyntaxErrors(broken);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^\d+:\d+: (syntax error|missing .+) near /);
    const line = Number(errors[0]!.split(":")[0]);
    expect(line).toBeGreaterThanOrEqual(at + 1);
  });

  it("catches a lone mistake the way a reviewer would miss it: an unclosed string", async () => {
    const errors = await powershellSyntaxErrors("$a = 'ok'\n$b = @{ x = 1; y = 'open }\n");
    expect(errors.length).toBeGreaterThan(0);
  });
});
