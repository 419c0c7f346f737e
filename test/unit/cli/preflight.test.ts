import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

/** The built CLI, run without blocking so the cases can run side by side on a busy machine. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}bin/hipaa-scan.js`, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "hs-preflight-"));
mkdirSync(join(dir, "adir"));
writeFileSync(join(dir, "empty.yaml"), "defaults:\n  user: scan\n");
const facts = join(dir, "facts.json");
writeFileSync(facts, readFileSync(join(ROOT, "test/data/golden-facts.json")));
symlinkSync(facts, join(dir, "facts-link.json"));
const unreachable = "ssh://scan@127.0.0.1:1";

describe("everything checkable before the first connection is checked before it", () => {
  it.concurrent.each([
    ["an unset --password-env variable", ["scan", "local", unreachable, "--password-env", "HS_PREFLIGHT_UNSET"], /--password-env HS_PREFLIGHT_UNSET: that environment variable is not set/],
    ["--output in a missing directory", ["scan", "local", "--format", "json", "--output", join(dir, "missing", "r.json")], /cannot write .*missing\/r\.json: directory .* does not exist/],
    ["--output under a regular file", ["scan", "local", "--format", "json", "--output", "/etc/passwd/r.json"], /cannot write \/etc\/passwd\/r\.json: \/etc\/passwd is not a directory/],
    ["--output that is a directory", ["scan", "local", "--format", "json", "--output", join(dir, "adir")], /cannot write .*adir: it is a directory/],
    ["--save-facts in a missing directory", ["scan", "local", "--save-facts", join(dir, "missing", "f.json")], /cannot write .*missing\/f\.json/],
    ["collect -o in a missing directory", ["collect", "local", "-o", join(dir, "missing", "f.json")], /cannot write .*missing\/f\.json/],
    ["--save-facts and --output naming one file", ["scan", "local", "--format", "json", "--output", join(dir, "x.json"), "--save-facts", join(dir, "x.json")], /output .*x\.json is the same file as output .*x\.json/],
    ["an unreadable --roster", ["scan", unreachable, "--roster", join(dir, "no-roster.csv")], /--roster .*no-roster\.csv: cannot read it/],
    ["an unreadable --ca-file", ["scan", unreachable, "--ca-file", join(dir, "no-ca.pem")], /--ca-file .*no-ca\.pem: cannot read it/],
    ["an unreadable --identity", ["scan", unreachable, "--identity", join(dir, "no-key")], /--identity .*no-key: cannot read it/],
    ["a --known-hosts in a missing directory", ["scan", unreachable, "--known-hosts", join(dir, "nodir", "known_hosts")], /--known-hosts .*known_hosts: its directory .*nodir is not usable/],
    ["a bad --jump", ["scan", unreachable, "--jump", "-oProxyCommand=x"], /--jump: bad jump host/],
    ["--timeout past what setTimeout takes (2147483)", ["scan", unreachable, "--timeout", "2147483"], /--timeout 2147483: must be 1–86400 seconds/],
    ["--timeout past 2^32 ms (4294968)", ["scan", unreachable, "--timeout", "4294968"], /--timeout 4294968: must be 1–86400 seconds/],
    ["an inventory that names no targets", ["scan", "--inventory", join(dir, "empty.yaml")], /inventory .*empty\.yaml names no targets/],
    ["evaluate --output onto its own facts file", ["evaluate", facts, "--format", "json", "--output", facts], /output .*facts\.json is the same file as the input .*facts\.json/],
    ["evaluate --output onto a link to its facts file", ["evaluate", facts, "--format", "json", "--output", join(dir, "facts-link.json")], /is the same file as the input/],
  ])("%s: exit 2, one line, nothing scanned", async (_name, args, message) => {
    const r = await run(args as string[]);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\[\d+\/\d+\]/); // no target finished, so none started
  }, 120_000);

  it("the facts file survives an evaluate that names it as output", async () => {
    await run(["evaluate", facts, "--format", "json", "--output", facts]);
    expect(readFileSync(facts, "utf8")).toBe(readFileSync(join(ROOT, "test/data/golden-facts.json"), "utf8"));
  }, 120_000);
});

it("--timeout 0 is refused by the option parser (exit 2, nothing scanned)", async () => {
  const r = await run(["scan", unreachable, "--timeout", "0"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--timeout.*expected a whole number/);
  expect(r.stderr).not.toMatch(/\[\d+\/\d+\]/);
}, 120_000);

describe("nothing scanned is never a pass", () => {
  it("evaluate of a facts file with no targets is incomplete (exit 3), not passed", async () => {
    const empty = join(dir, "no-targets.json");
    writeFileSync(empty, JSON.stringify({ ...JSON.parse(readFileSync(facts, "utf8")), targets: [] }));
    const r = await run(["evaluate", empty]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/incomplete: no target was checked/i);
    const j = await run(["evaluate", empty, "--format", "json", "--fail-on", "none"]);
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout).summary.gate.exitCode).toBe(3);
  }, 120_000);
});
