import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";
import { ruleYaml, writePack } from "../../helpers/packs.js";

const ESC = String.fromCharCode(27);

const tmp = () => mkdtempSync(join(tmpdir(), "hs-cli-"));

describe("hipaa-scan CLI", () => {
  it("prints its version", () => {
    const r = cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });

  it.each([["scan"], ["collect"], ["evaluate"], ["rules", "list"], ["rules", "validate"], ["rules", "test"], ["rules", "show"]])(
    "%s --help shows examples",
    (...cmd) => {
      const r = cli([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n {2}\$ hipaa-scan /);
    },
  );

  it.each([
    [["scan", "bogus://host"], /invalid target "bogus:\/\/host": unknown scheme/],
    [["scan", "ssh://-oProxyCommand=x"], /invalid target .*is not a host name or IP address/],
    [["scan", "--network", "-sV"], /invalid target "-sV": a network is an IP, CIDR or host name/],
    [["scan", "--network", "10.0.0.0/8"], /more than a \/16.*--yes-large-network/],
    [["scan", "--param", "no_such_param=1"], /unknown param "no_such_param"/],
    [["scan", "--param", "idle_limit_seconds=soon"], /--param idle_limit_seconds: expected integer/],
    [["scan", "--format", "pdf"], /unknown format "pdf"/],
    [["scan", "--fail-on", "sometimes"], /argument 'sometimes' is invalid/],
    [["scan", "--concurrency", "0"], /expected a whole number/],
  ])("exits 2 on bad input %j, scanning nothing", (args, message) => {
    const r = cli(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("rules validate exits 2 naming the file and line of a misspelt field", () => {
    const dir = writePack({ "audit/typo.yaml": ruleYaml("typo", { severity: "severity: high\nsevertiy: low" }) });
    const r = cli(["rules", "validate", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/typo\.yaml:4:1: unknown field "severtiy" \(did you mean "severity"\?\)/);
  });

  it("a bad --rules pack stops a scan before any target is touched", () => {
    const dir = writePack({ "audit/bad.yaml": ruleYaml("bad", { check: "check: { fact: nope.x, eq: 1 }" }) });
    const r = cli(["scan", "ssh://192.0.2.1", "--rules", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:7:\d+: unknown fact "nope"/);
    expect(r.stderr).not.toMatch(/192\.0\.2\.1/);
  });

  it("rules test runs every rule's cases and exits 0", () => {
    const r = cli(["rules", "test"]);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(r.code).toBe(0);
  });

  it("rules list and show describe the pack", () => {
    const list = cli(["rules", "list", "--format", "json"]);
    const rules = JSON.parse(list.stdout) as { id: string }[];
    expect(rules.length).toBeGreaterThanOrEqual(25);
    const show = cli(["rules", "show", rules[0]!.id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`id: ${rules[0]!.id}`);
    expect(cli(["rules", "show", "no-such-rule"]).code).toBe(2);
  });

  describe("evaluate", () => {
    const facts = "test/data/golden-facts.json";
    it("moves the exit code with --fail-on", () => {
      expect(cli(["evaluate", facts, "--rules", "test/data/golden-pack", "--fail-on", "critical"]).code).toBe(1);
      expect(cli(["evaluate", facts, "--rules", "test/data/golden-pack", "--fail-on", "none"]).code).toBe(3);
    });
    it("refuses a corrupt facts file with exit 2", () => {
      const f = join(tmp(), "broken.json");
      writeFileSync(f, '{"format": "hipaa-scan-facts", "schemaVersion": 1, "targ');
      const r = cli(["evaluate", f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not valid JSON/);
    });
    it("refuses a facts file of another version with exit 2", () => {
      const f = join(tmp(), "v9.json");
      writeFileSync(f, JSON.stringify({ ...JSON.parse(readFileSync(facts, "utf8")), schemaVersion: 9 }));
      const r = cli(["evaluate", f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/has facts schema version 9; this hipaa-scan reads version 1/);
    });
    it("refuses facts that do not match the schema, saying where", () => {
      const doc = JSON.parse(readFileSync(facts, "utf8"));
      doc.targets[0].facts.shell.tmout = "fifteen minutes";
      const f = join(tmp(), "bad.json");
      writeFileSync(f, JSON.stringify(doc));
      const r = cli(["evaluate", f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\/targets\/0\/facts/);
    });
    it("writes several formats to files and one to stdout, with no colour off a terminal", () => {
      const dir = tmp();
      const r = cli(["evaluate", facts, "--format", "json", "--output", join(dir, "r.json"), "--format", "junit", "--output", join(dir, "r.xml"), "--format", "text"]);
      expect(r.code).toBe(1);
      expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")).summary.gate.exitCode).toBe(1);
      expect(readFileSync(join(dir, "r.xml"), "utf8")).toMatch(/^<\?xml/);
      expect(r.stdout).toMatch(/^hipaa-scan .* HIPAA Security Rule/);
      expect(r.stdout).not.toMatch(new RegExp(`${ESC}\\[`));
    });
  });
});
