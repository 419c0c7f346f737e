import { describe, expect, it } from "vitest";
import type { TargetFacts } from "../../../src/core/model.js";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { ruleYaml, writePack } from "../../helpers/packs.js";
import { sketchFacts } from "../../helpers/facts.js";

/** Compiles one rule with the given check and evaluates it over facts. */
async function evaluate(check: string, facts: Record<string, unknown>, extra: Partial<Record<string, string>> = {}, params: Record<string, unknown> = {}) {
  const dir = writePack({ "t/r.yaml": ruleYaml("r", { check: `check: ${check}`, ...extra }) });
  const { rules } = await loadRuleSet([dir], { builtin: false });
  const target: TargetFacts = {
    target: { kind: "host", id: "h1" },
    status: "ok",
    collector: "test",
    collectedAt: "2026-06-01T00:00:00Z",
    tags: {},
    facts: sketchFacts("host", { os: { family: "linux" }, ...facts }),
    sources: { accounts: "/etc/passwd", shell: "/etc/profile" },
    notes: [],
  };
  return rules[0]!.evaluate(target, params);
}

const unk = { unknown: true, reason: "needs root" };

describe("three-valued logic", () => {
  const a = (v: unknown) => ({ audit: { auditd: { active: v, enabled: true } } });
  it("all: false wins over unknown; unknown wins over true", async () => {
    const all = "{ all: [ { fact: audit.auditd.active, eq: true }, { fact: audit.auditd.enabled, eq: true } ] }";
    expect((await evaluate(all, a(true))).status).toBe("pass");
    expect((await evaluate(all, a(false))).status).toBe("fail");
    expect((await evaluate(all, a(unk))).status).toBe("error");
    expect((await evaluate(all, { audit: { auditd: { active: unk, enabled: false } } })).status).toBe("fail");
  });
  it("any: true wins over unknown; unknown wins over false", async () => {
    const any = "{ any: [ { fact: audit.auditd.active, eq: true }, { fact: audit.auditd.enabled, eq: true } ] }";
    expect((await evaluate(any, { audit: { auditd: { active: unk, enabled: true } } })).status).toBe("pass");
    expect((await evaluate(any, { audit: { auditd: { active: unk, enabled: false } } })).status).toBe("error");
    expect((await evaluate(any, { audit: { auditd: { active: false, enabled: false } } })).status).toBe("fail");
  });
  it("not keeps unknown unknown", async () => {
    const not = "{ not: { fact: audit.auditd.active, eq: false } }";
    expect((await evaluate(not, a(true))).status).toBe("pass");
    expect((await evaluate(not, a(unk))).status).toBe("error");
  });
  it("a fact that was never collected is an error with the path, never a pass", async () => {
    const f = await evaluate("{ fact: audit.auditd.active, eq: true }", {});
    expect(f.status).toBe("error");
    expect(f.message).toBe("Could not check: audit: not collected");
  });
  it("an unknown fact's reason reaches the message", async () => {
    const f = await evaluate("{ fact: audit.auditd.active, eq: true }", a(unk));
    expect(f.message).toBe("Could not check: audit.auditd.active: needs root");
  });
  it("a whole unknown section makes every fact below it unknown", async () => {
    const f = await evaluate("{ fact: audit.auditd.active, eq: true }", { audit: { unknown: true, reason: "probe section missing" } });
    expect(f.status).toBe("error");
    expect(f.message).toContain("audit: probe section missing");
  });
});

const users = [
  { name: "root", uid: 0, interactive: true, lastLogin: "2026-05-30T10:00:00Z" },
  { name: "alice", uid: 1000, interactive: true, lastLogin: "2026-01-01T00:00:00Z" },
  { name: "toor", uid: 0, interactive: true, lastLogin: null },
  { name: "daemon", uid: 1, interactive: false, lastLogin: null },
];

describe("collections", () => {
  it("each names the failing items in evidence and {{failed}}", async () => {
    const f = await evaluate(
      "{ each: accounts.users, where: { fact: item.uid, eq: 0 }, require: { fact: item.name, eq: root }, label: item.name }",
      { accounts: { users } },
      { message: 'message: { pass: "ok", fail: "extra uid 0: {{failed}}" }' },
    );
    expect(f.status).toBe("fail");
    expect(f.message).toBe("extra uid 0: toor");
    expect(f.evidence).toEqual([{ fact: "accounts.users[toor]", observed: { name: "toor" }, expected: "name = root", source: "/etc/passwd" }]);
  });
  it("olderThanDays counts from the time the facts were collected", async () => {
    const f = await evaluate(
      "{ each: accounts.users, where: { fact: item.interactive, eq: true }, require: { not: { fact: item.lastLogin, olderThanDays: { param: stale_days } } } }",
      { accounts: { users } },
      { params: 'params: { stale_days: { type: integer, default: 90, description: days } }', message: 'message: { pass: "ok", fail: "stale: {{failed}}" }' },
    );
    expect(f.message).toBe("stale: alice"); // 151 days before 2026-06-01; toor never logged in (null is not old)
    const tighter = await evaluate(
      "{ each: accounts.users, where: { fact: item.interactive, eq: true }, require: { not: { fact: item.lastLogin, olderThanDays: { param: stale_days } } } }",
      { accounts: { users } },
      { params: 'params: { stale_days: { type: integer, default: 90, description: days } }', message: 'message: { pass: "ok", fail: "stale: {{failed}}" }' },
      { stale_days: 1 },
    );
    expect(tighter.message).toBe("stale: root, alice");
  });
  it("unique reports each duplicated key with the items sharing it", async () => {
    const f = await evaluate("{ unique: accounts.users, key: item.uid, label: item.name }", { accounts: { users } }, { message: 'message: { pass: "ok", fail: "dup: {{failed}}" }' });
    expect(f.status).toBe("fail");
    expect(f.message).toBe("dup: root, toor");
    expect(f.evidence[0]).toMatchObject({ fact: "accounts.users[root, toor].uid", observed: 0 });
  });
  it("count compares the number of matching items", async () => {
    const check = "{ count: accounts.users, where: { fact: item.uid, eq: 0 }, lte: 1 }";
    expect((await evaluate(check, { accounts: { users } })).status).toBe("fail");
    expect((await evaluate(check, { accounts: { users: users.filter((u) => u.name !== "toor") } })).status).toBe("pass");
  });
  it("each over a list of strings reads item directly", async () => {
    const check = '{ each: sshd.ciphers, require: { fact: item, notMatches: "-cbc$" } }';
    const f = await evaluate(check, { sshd: { ciphers: ["aes256-gcm@openssh.com", "aes128-cbc"] } }, { message: 'message: { pass: "ok", fail: "weak: {{failed}}" }' });
    expect(f.message).toBe("weak: aes128-cbc");
  });
  it("an unknown item field makes that item, and so the rule, an error unless another item fails", async () => {
    const check = "{ each: accounts.users, require: { fact: item.password, ne: empty } }";
    const f = await evaluate(check, { accounts: { users: [{ name: "a", password: unk }, { name: "b", password: unk }] } });
    expect(f.status).toBe("error");
    expect(f.message).toBe("Could not check: accounts.users[*].password: needs root");
    expect((await evaluate(check, { accounts: { users: [{ name: "a", password: unk }, { name: "b", password: "empty" }] } })).status).toBe("fail");
  });
});

describe("when and tags", () => {
  it("when false gives not_applicable; when unknown gives error", async () => {
    const when = "when: { fact: sshd.installed, eq: true }";
    const check = "{ fact: sshd.permitEmptyPasswords, eq: false }";
    expect((await evaluate(check, { sshd: { installed: false } }, { when })).status).toBe("not_applicable");
    expect((await evaluate(check, { sshd: { installed: unk } }, { when })).status).toBe("error");
    expect((await evaluate(check, { sshd: { installed: true, permitEmptyPasswords: false } }, { when })).status).toBe("pass");
  });
  it("a rule limited to tagged targets is not_applicable elsewhere", async () => {
    const f = await evaluate("{ fact: audit.auditd.active, eq: true }", {}, { appliesTo: "appliesTo: { kind: host, tags: { ephi: true } }" });
    expect(f.status).toBe("not_applicable");
    expect(f.message).toBe("Applies only to targets tagged ephi=true.");
  });
});

describe("operators", () => {
  const cases: [string, unknown, boolean][] = [
    ["{ fact: shell.tmout, lte: 900 }", 900, true],
    ["{ fact: shell.tmout, lte: 900 }", 901, false],
    ["{ fact: shell.tmout, lte: 900 }", null, false],
    ["{ fact: shell.tmout, gt: 0 }", 0, false],
    ["{ fact: shell.tmout, in: [300, 600] }", 600, true],
    ["{ fact: shell.tmout, notIn: [300, 600] }", 600, false],
    ["{ fact: shell.tmout, exists: true }", null, false],
    ["{ fact: shell.tmout, exists: false }", null, true],
  ];
  it.each(cases)("%s with %s is %s", async (check, value, expected) => {
    expect((await evaluate(check, { shell: { tmout: value } })).status).toBe(expected ? "pass" : "fail");
  });
  it("bitsAll and bitsAny work on flags beyond 32 bits", async () => {
    const dir = writePack({
      "t/bits.yaml": ruleYaml("bits", {
        appliesTo: "appliesTo: { kind: host }",
        check: "check: { fact: sshd.clientAliveInterval, bitsAll: 4294967296 }",
      }),
    });
    const { rules } = await loadRuleSet([dir], { builtin: false });
    const t = (v: number): TargetFacts => ({ target: { kind: "host", id: "h" }, status: "ok", collector: "t", collectedAt: "2026-01-01T00:00:00Z", tags: {}, facts: sketchFacts("host", { sshd: { clientAliveInterval: v } }), sources: {}, notes: [] });
    expect(rules[0]!.evaluate(t(2 ** 32 + 1), {}).status).toBe("pass");
    expect(rules[0]!.evaluate(t(1), {}).status).toBe("fail");
  });
});

describe("rule definitions are immutable", () => {
  it("freezes the compiled definition", async () => {
    const { rules } = await loadRuleSet([writePack({ "t/r.yaml": ruleYaml("r") })], { builtin: false });
    expect(Object.isFrozen(rules[0]!.def)).toBe(true);
    expect(() => ((rules[0]!.def as { title: string }).title = "x")).toThrow();
  });
});

describe("remediation per platform", () => {
  it("gives a directory target the text for its server type", async () => {
    const dir = writePack({
      "d/dir.yaml": ruleYaml("dir", {
        appliesTo: "appliesTo: { kind: directory }",
        check: "check: { fact: passwordPolicy.minLength, gte: 12 }",
        remediation: "remediation: { default: generic, ad: use a GPO, openldap: use ppolicy }",
      }),
    });
    const { rules } = await loadRuleSet([dir], { builtin: false });
    const t = (type: string): TargetFacts => ({ target: { kind: "directory", id: "ldaps://dc/DC=x" }, status: "ok", collector: "t", collectedAt: "2026-01-01T00:00:00Z", tags: {}, facts: sketchFacts("directory", { server: { type }, passwordPolicy: { minLength: 8 } }), sources: {}, notes: [] });
    expect(rules[0]!.evaluate(t("ad"), {}).remediation).toBe("use a GPO");
    expect(rules[0]!.evaluate(t("openldap"), {}).remediation).toBe("use ppolicy");
  });
});
