import { lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOutput } from "../../../src/cli/output.js";
import { writeFileAtomic } from "../../../src/core/atomic-file.js";

const tmp = () => mkdtempSync(join(tmpdir(), "hs-atomic-"));

describe("writing files (reports, facts)", () => {
  it("never follows a symlink planted at the temporary path, and leaves a 0600 regular file", async () => {
    const dir = tmp();
    const victim = join(dir, "victim");
    writeFileSync(victim, "precious\n", { mode: 0o644 });
    const out = join(dir, "report.json");
    // The old writer used `<file>.<pid>.tmp`: an attacker in a shared directory plants links there.
    symlinkSync(victim, `${out}.${process.pid}.tmp`);
    await writeOutput(out, "report\n");
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(statSync(victim).mode & 0o777).toBe(0o644);
    expect(lstatSync(out).isSymbolicLink()).toBe(false);
    expect(readFileSync(out, "utf8")).toBe("report\n");
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it("replaces a symlink at the output path instead of writing through it", async () => {
    const dir = tmp();
    const victim = join(dir, "victim");
    writeFileSync(victim, "precious\n");
    const out = join(dir, "report.txt");
    symlinkSync(victim, out);
    await writeOutput(out, "report\n");
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(out).isFile()).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it("an existing world-readable report becomes 0600, and no temporary file is left", async () => {
    const dir = tmp();
    const out = join(dir, "r.csv");
    writeFileSync(out, "old\n");
    chmodSync(out, 0o644);
    await writeFileAtomic(out, "new\n");
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, "utf8")).toBe("new\n");
    expect(readdirSync(dir)).toEqual(["r.csv"]);
  });

  it("writes to a device in place (/dev/null stays a device)", async () => {
    await writeOutput("/dev/null", "discarded\n");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("a failed write leaves nothing behind and says which file", async () => {
    const dir = tmp();
    await expect(writeOutput(join(dir, "missing", "r.json"), "x")).rejects.toThrow(/cannot write .*missing\/r\.json/);
    await expect(writeOutput(dir, "x")).rejects.toThrow(/cannot write/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
