import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigFileError, FactsFileError, UsageError, isKnownError } from "../../../src/core/errors.js";
import { loadRoster } from "../../../src/directory/roster.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { runRuleTests } from "../../../src/engine/rule-tests.js";
import { loadInventory } from "../../../src/inventory/load.js";
import { prepare, readFactsFile } from "../../../src/pipeline.js";
import { cli } from "../../helpers/cli.js";
import { ruleYaml, writePack, packProblems } from "../../helpers/packs.js";

/** Issue 10 #7: hostile files give one typed line (file:line:col where there is a file), never a stack or a hang. */

const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
  "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
  "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]",
  "",
].join("\n");

const tmp = () => mkdtempSync(join(tmpdir(), "hs-hostile-"));
function tmpFile(name: string, content: string | Buffer): string {
  const f = join(tmp(), name);
  writeFileSync(f, content);
  return f;
}


const oneLine = (err: unknown) => {
  expect(isKnownError(err)).toBe(true);
  return (err as Error).message;
};

describe("YAML alias bombs", () => {
  it("in a rule file: one problem at the first alias", async () => {
    const found = await packProblems(writePack({ "audit/bomb.yaml": ALIAS_BOMB }));
    expect(found).toEqual([expect.stringMatching(/^bomb\.yaml:2:\d+: too many YAML alias expansions/)]);
  });
  it("in an inventory", async () => {
    const err = await loadInventory(tmpFile("inv.yaml", ALIAS_BOMB), { allowLarge: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(oneLine(err)).toMatch(/inv\.yaml:2:\d+: too many YAML alias expansions/);
  });
  it("in an alternatives file", async () => {
    const dir = writePack({ "audit/ok-rule.yaml": ruleYaml("ok-rule") });
    const err = await prepare({ rulePaths: [dir], params: {}, failOn: "high", alternatives: tmpFile("alt.yaml", ALIAS_BOMB) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigFileError);
    expect(oneLine(err)).toMatch(/alt\.yaml:2:\d+: too many YAML alias expansions/);
  });
});

describe("files that are not regular, bounded UTF-8 text", () => {
  it("a FIFO named *.yaml in a pack is refused at once, not read forever", async () => {
    const dir = writePack({ "audit/ok-rule.yaml": ruleYaml("ok-rule") });
    execFileSync("mkfifo", [join(dir, "audit", "fifo-rule.yaml")]);
    const t0 = Date.now();
    const found = await packProblems(dir);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(found).toEqual(["fifo-rule.yaml:1:1: cannot read this file: not a regular file (a FIFO)"]);
  });

  it("a FIFO as roster, inventory or facts file is refused too", async () => {
    const fifo = join(tmp(), "pipe.csv");
    execFileSync("mkfifo", [fifo]);
    await expect(loadRoster(fifo)).rejects.toThrow(/not a regular file \(a FIFO\)/);
    await expect(loadInventory(fifo, { allowLarge: false })).rejects.toThrow(/not a regular file \(a FIFO\)/);
    await expect(readFactsFile(fifo)).rejects.toBeInstanceOf(FactsFileError);
  });

  it("a rule file over the size cap is refused without parsing it", async () => {
    const dir = writePack({ "audit/big-rule.yaml": `${ruleYaml("big-rule")}# ${"x".repeat(2 * 1024 * 1024)}\n` });
    const t0 = Date.now();
    expect(await packProblems(dir)).toEqual([expect.stringMatching(/^big-rule\.yaml:1:1: cannot read this file: larger than the 1 MiB limit/)]);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("size caps on inventories, alternatives, rosters and facts files (sparse files: nothing is read)", async () => {
    const sparse = (name: string, bytes: number) => {
      const f = tmpFile(name, "");
      truncateSync(f, bytes);
      return f;
    };
    await expect(loadInventory(sparse("inv.yaml", 9 * 1024 * 1024), { allowLarge: false })).rejects.toThrow(/larger than the 8 MiB limit/);
    await expect(loadRoster(sparse("roster.csv", 33 * 1024 * 1024))).rejects.toThrow(/larger than the 32 MiB limit/);
    await expect(readFactsFile(sparse("facts.json", 300 * 1024 * 1024))).rejects.toThrow(/larger than the 256 MiB limit/);
    const dir = writePack({ "audit/ok-rule.yaml": ruleYaml("ok-rule") });
    const err = await prepare({ rulePaths: [dir], params: {}, failOn: "high", alternatives: sparse("alt.yaml", 5 * 1024 * 1024) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/larger than the 4 MiB limit/);
  });

  it("a rule file that is not UTF-8 is refused", async () => {
    const latin1 = Buffer.from(ruleYaml("latin1-rule").replace("A rule for tests.", "Caf\u00e9"), "latin1");
    const dir = writePack({});
    mkdirSync(join(dir, "audit"));
    writeFileSync(join(dir, "audit", "latin1-rule.yaml"), latin1);
    expect(await packProblems(dir)).toEqual(["latin1-rule.yaml:1:1: cannot read this file: not UTF-8 text"]);
  });

  it("an empty pack directory is an error, with or without pack.yaml", async () => {
    await expect(loadRuleSet([writePack({})], { builtin: false })).rejects.toThrow(/has no rule files/);
    await expect(loadRuleSet([tmp()], { builtin: false })).rejects.toBeInstanceOf(UsageError);
  });

  it("rules validate /dev/null: one line, exit 2, no stack", () => {
    const r = cli(["rules", "validate", "/dev/null"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/\/dev\/null is neither a rule file nor a directory/);
  });
});

describe("operators on facts of the wrong shape", () => {
  it("bitsAll on a non-integer fact ends as error, not a RangeError", async () => {
    const rule = ruleYaml("bits-rule", {
      check: "check: { fact: sshd.clientAliveInterval, bitsAll: 4 }",
      tests: [
        "tests:",
        "  - name: integer passes",
        "    facts: { sshd: { clientAliveInterval: 300 } }",
        "    expect: pass",
        "  - name: fraction cannot be checked",
        "    facts: { sshd: { clientAliveInterval: 1.5 } }",
        "    expect: error",
        "  - name: huge float cannot be checked",
        "    facts: { sshd: { clientAliveInterval: 1e300 } }",
        "    expect: error",
      ].join("\n"),
    });
    const set = await loadRuleSet([writePack({ "ssh/bits-rule.yaml": rule })], { builtin: false });
    const results = runRuleTests(set.rules);
    expect(results.map((r) => r.actual)).toEqual(["pass", "error", "error"]);
    expect(results[1]!.message).toMatch(/bit operators need integers, got 1\.5/);
  });
});
