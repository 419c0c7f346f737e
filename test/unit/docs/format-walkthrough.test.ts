import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FORMAT_NAMES } from "../../../src/reporters/formats.js";
import { reporters } from "../../../src/reporters/index.js";

const ROOT = new URL("../../../", import.meta.url);
const arch = readFileSync(new URL("docs/architecture.md", ROOT), "utf8");
const block = /<!-- walkthrough:output-format -->([\s\S]*?)<!-- \/walkthrough:output-format -->/.exec(arch)?.[1] ?? "";
const files = [...block.matchAll(/^\d+\. `([^`]+)`/gm)].map((m) => m[1]!);

describe('docs/architecture.md "Add an output format"', () => {
  it("names three files: the reporter, the name list and the registry", () => {
    expect(files).toEqual(["src/reporters/<name>.ts", "src/reporters/formats.ts", "src/reporters/index.ts"]);
  });

  it("is still how a format is added: every name in FORMAT_NAMES has a reporter module, registered under that name", () => {
    expect(Object.keys(reporters)).toEqual([...FORMAT_NAMES]);
    const index = readFileSync(new URL("src/reporters/index.ts", ROOT), "utf8");
    expect(index).toContain("satisfies Record<FormatName, Reporter>");
    for (const name of FORMAT_NAMES) {
      expect(typeof reporters[name], name).toBe("function");
      // Registered under its name, behind one of the two wrappers the walk-through names.
      expect(index, name).toMatch(new RegExp(`^\\s+"?${name}"?: with(SafeText|EscapedJson)\\(\\w+Reporter\\),$`, "m"));
    }
    const formats = readFileSync(new URL("src/reporters/formats.ts", ROOT), "utf8");
    expect(formats).toMatch(/export const FORMAT_NAMES = \[/);
  });
});
