import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

const ESC = String.fromCharCode(27);

/** Runs the CLI under a pseudo-terminal (util-linux `script`), as a technician's terminal would. */
function onTty(args: string, env: Record<string, string> = {}) {
  const r = spawnSync("script", ["-qec", `stty cols 100 rows 40; node bin/hipaa-scan.js ${args}`, "/dev/null"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, TERM: "xterm-256color", NO_COLOR: "", ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout };
}

const facts = "evaluate test/data/golden-facts.json --rules test/data/golden-pack";

describe("on a terminal", () => {
  it("colours the report", () => {
    const r = onTty(facts);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`${ESC}\\[31mFAIL`));
  });
  it("leaves colour out with NO_COLOR or --no-color", () => {
    expect(onTty(facts, { NO_COLOR: "1" }).out).not.toMatch(new RegExp(`${ESC}\\[3\\dm`));
    expect(onTty(`${facts} --no-color`).out).not.toMatch(new RegExp(`${ESC}\\[3\\dm`));
  });
  it("shows a spinner with progress while collecting, and writes to a device without replacing it", () => {
    const r = onTty("collect --output /dev/null");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Scanning 0\/1 — local/);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });
});
