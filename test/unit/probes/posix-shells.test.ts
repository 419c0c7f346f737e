import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildProbeScript } from "../../../src/probes/script.js";
import { splitSections } from "../../../src/probes/sections.js";

/** Runs the probe under one shell and returns `section rc` lines, in order. */
function run(shell: string[]): { sections: string[]; done: boolean } {
  const { script, mark } = buildProbeScript();
  const r = spawnSync(shell[0] as string, shell.slice(1), { input: script, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  expect(r.error, `${shell.join(" ")} could not run (Debian packages posh and busybox are in .ci/apt-packages.txt)`).toBeUndefined();
  const split = splitSections(r.stdout, mark);
  // Exit codes of sections whose result depends on the moment (processes, timing) are left out.
  return { sections: [...split.sections.values()].map((s) => `${s.name} ${s.complete ? "complete" : "cut"}${s.missing ? " missing" : ""}${s.skipped ? ` ${s.skipped}` : ""}`), done: split.done };
}

describe("the probe is plain POSIX sh", () => {
  const reference = run(["dash", "-s"]);

  it("gives the same sections under posh (a strict POSIX shell) as under dash", () => {
    expect(reference.done).toBe(true);
    expect(run(["posh"])).toEqual(reference);
  }, 120_000);

  it("gives the same sections under busybox ash as under dash", () => {
    expect(run(["busybox", "sh", "-s"])).toEqual(reference);
  }, 120_000);
});
