import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Type } from "@sinclair/typebox";
import { describe, expect, it } from "vitest";
import { HostFactsSchema } from "../../../src/facts/host.js";
import { Bool, Known, unknown } from "../../../src/facts/unknown.js";
import { renderFactsDoc, sectionsMarkdown } from "../../../src/probes/facts-doc.js";
import { LINUX_CONTEXT, LINUX_SECTIONS } from "../../../src/probes/linux/sections.js";
import { MACOS_CONTEXT, MACOS_SECTIONS } from "../../../src/probes/macos/sections.js";
import { ProbeOutput, probeUid } from "../../../src/probes/posix/probe-output.js";
import { checkSections, defineSection, parseSections, sectionProperties, type ProbeSection } from "../../../src/probes/section.js";
import { splitSections } from "../../../src/probes/sections.js";
import { fragmentFunction, newMark, posixProbeBody } from "../../../src/probes/script.js";
import { WINDOWS_SECTIONS } from "../../../src/probes/windows/sections.js";

const root = new URL("../../../", import.meta.url);
const read = (f: string) => readFileSync(new URL(f, root), "utf8");
const PLATFORMS = {
  linux: { dir: "src/probes/linux/", sections: LINUX_SECTIONS as readonly ProbeSection[], ext: ".sh", extra: ["context.sh"] },
  macos: { dir: "src/probes/macos/", sections: MACOS_SECTIONS as readonly ProbeSection[], ext: ".sh", extra: ["context.sh"] },
  windows: { dir: "src/probes/windows/", sections: WINDOWS_SECTIONS as readonly ProbeSection[], ext: ".ps1", extra: ["prelude.ps1", "finish.ps1"] },
};
const rel = (u: URL) => fileURLToPath(u).slice(fileURLToPath(root).length);

/** Every exported value of every module in a directory that looks like a probe section. */
async function sectionExports(dir: string): Promise<{ file: string; name: string; section: ProbeSection }[]> {
  const out: { file: string; name: string; section: ProbeSection }[] = [];
  for (const f of readdirSync(new URL(dir, root)).filter((n) => n.endsWith(".ts"))) {
    const mod = (await import(pathToFileURL(fileURLToPath(new URL(`${dir}${f}`, root))).href)) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) {
      if (v && typeof v === "object" && "key" in v && "parse" in v && "schema" in v && "doc" in v) out.push({ file: f, name, section: v as ProbeSection });
    }
  }
  return out;
}

describe("probe section lists", () => {
  for (const [platform, p] of Object.entries(PLATFORMS)) {
    it(`${platform}: every section module in ${p.dir} is registered`, async () => {
      const keys = new Set(p.sections.map((s) => s.key));
      const unregistered = (await sectionExports(p.dir)).filter((e) => !keys.has(e.section.key)).map((e) => `${e.file}: ${e.name}`);
      expect(unregistered).toEqual([]);
    });

    it(`${platform}: every fragment in ${p.dir} belongs to a registered section, and every registered fragment exists`, () => {
      const registered = p.sections.flatMap((s) => (s.script ? [rel(s.script)] : []));
      const files = readdirSync(new URL(p.dir, root)).filter((n) => n.endsWith(p.ext) && !p.extra.includes(n)).map((n) => `${p.dir}${n}`);
      expect(files.filter((f) => !registered.includes(f))).toEqual([]);
      for (const f of registered) expect(() => read(f), f).not.toThrow();
    });

    it(`${platform}: keys are unique and facts schema has every one of them`, () => {
      const keys = p.sections.map((s) => s.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys[0]).toBe("os");
      for (const k of keys) expect(Object.keys(HostFactsSchema.properties), k).toContain(k);
    });
  }

  it("the host facts schema has no key that no platform registers", () => {
    const all = new Set(Object.values(PLATFORMS).flatMap((p) => p.sections.map((s) => s.key)));
    expect(Object.keys(HostFactsSchema.properties).filter((k) => !all.has(k))).toEqual([]);
  });

  it("each POSIX fragment defines the function its file name gives; fragments of other platforms do not collide", () => {
    for (const s of [...LINUX_SECTIONS, ...MACOS_SECTIONS] as readonly ProbeSection[]) {
      if (!s.script) continue;
      expect(readFileSync(s.script, "utf8"), rel(s.script)).toMatch(new RegExp(`^${fragmentFunction(s.script)}\\(\\) \\{$`, "m"));
    }
    expect(fragmentFunction(new URL("./time-sync.sh", new URL("src/probes/linux/", root)))).toBe("hs_linux_time_sync");
  });

  it("each Windows fragment holds exactly the Add-Section blocks its parser reads", () => {
    for (const s of WINDOWS_SECTIONS) {
      const blocks = [...readFileSync(s.script!, "utf8").matchAll(/^Add-Section '(\w+)'/gm)].map((m) => m[1]);
      const needs: readonly string[] = ("needs" in s ? s.needs : undefined) ?? [];
      expect(blocks.sort(), s.key).toEqual([s.psSection, ...needs].sort());
    }
  });

  it("a key two platforms share must carry the same schema (checked when the lists load)", () => {
    const linuxAccounts = LINUX_SECTIONS.find((s) => s.key === "accounts")!;
    const other = { ...linuxAccounts, schema: Type.Object({ x: Bool }) };
    expect(() => checkSections("test", [other], LINUX_SECTIONS)).toThrow(/schema differs/);
    expect(() => checkSections("test", [linuxAccounts, linuxAccounts])).toThrow(/registered twice/);
  });

  it("docs/facts.md's generated parts are up to date (npm run build rewrites them)", () => {
    const page = read("docs/facts.md");
    expect(renderFactsDoc(page)).toBe(page);
  });
});

describe("the 'add a probe section' walk-through", () => {
  it("names exactly the section module, its fragment and the platform list", () => {
    const arch = read("docs/architecture.md");
    const block = /<!-- walkthrough:probe-section -->([\s\S]*?)<!-- \/walkthrough:probe-section -->/.exec(arch)?.[1] ?? "";
    const files = [...new Set([...block.matchAll(/`(src\/[^`\s]+)`/g)].map((m) => m[1]))];
    expect(files).toEqual(["src/probes/linux/<name>.ts", "src/probes/linux/<name>.sh", "src/probes/linux/sections.ts"]);
    // The list file is the one the script, the parser dispatch, the schema and the docs read.
    for (const f of ["src/probes/script.ts", "src/probes/linux/index.ts", "src/facts/host.ts", "src/probes/facts-doc.ts"]) {
      expect(read(f), f).toContain("LINUX_SECTIONS");
    }
  });

  it("a section built as the steps say reaches the probe script, the facts, the sources, the schema and the docs", () => {
    const dir = mkdtempSync(join(tmpdir(), "hsp-walk-"));
    try {
      // Step 2: the fragment (a real file, run by a real shell).
      const sh = join(dir, "linux", "example.sh");
      rmSync(join(dir, "linux"), { recursive: true, force: true });
      spawnSync("mkdir", ["-p", join(dir, "linux")]);
      writeFileSync(sh, "hs_example_says() { echo 'greeting=hello'; }\n\nhs_linux_example() {\n  hs_sec example - hs_example_says\n}\n");
      // Step 1: the module.
      const Example = Type.Object({ greeting: Known(Type.String()), present: Bool });
      const exampleSection = defineSection({
        key: "example",
        schema: Example,
        source: "echo greeting",
        script: pathToFileURL(sh),
        parse: (probe: ProbeOutput) => {
          const t = probe.text("example");
          if (typeof t !== "string") return t;
          const m = /^greeting=(.*)$/m.exec(t);
          return { greeting: m ? m[1]! : unknown("no greeting"), present: true };
        },
        doc: { heading: "`echo greeting`", body: "`greeting`: what the host says." },
      });
      // Step 3: the list.
      const list = [...LINUX_SECTIONS, exampleSection] as const;

      const body = posixProbeBody({ linux: { context: LINUX_CONTEXT, sections: list }, macos: { context: MACOS_CONTEXT, sections: MACOS_SECTIONS } });
      expect(body).toMatch(/^\s+hs_linux_example$/m);
      const mark = newMark();
      const r = spawnSync("sh", ["-s"], { input: `HS_MARK='${mark}'\n${body}\nhs_main\n`, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
      const split = splitSections(r.stdout, mark);
      expect(split.done).toBe(true);
      const { facts, sources } = parseSections(list, new ProbeOutput(split, probeUid(split)), new Date());
      expect(facts.example).toEqual({ greeting: "hello", present: true });
      expect(sources.example).toBe("echo greeting");
      expect(Object.keys(sectionProperties(list))).toContain("example");
      expect(sectionsMarkdown(list)).toContain("### `example` — `echo greeting`\n\n`greeting`: what the host says.\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
