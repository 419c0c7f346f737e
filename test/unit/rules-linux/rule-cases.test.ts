import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../../src/engine/packs.js";
import { HostFactsSchema } from "../../../src/facts/host.js";

/**
 * The Linux rules' own test cases give partial facts. The engine treats a misspelt or mistyped
 * field as "not collected", so a case could pass for the wrong reason; this checks every case's
 * facts against the host facts schema with every field optional but no unknown field allowed.
 */

const LINUX_DIR = fileURLToPath(new URL("../../../rules/hipaa/linux/", import.meta.url));
const files = readdirSync(LINUX_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => `${LINUX_DIR}${f}`);
const { rules } = await loadRuleSet(files, { builtin: false });

type Json = Record<string, unknown>;

/** A copy of a JSON schema where every object property is optional and no other property is allowed. */
function partial(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(partial);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) {
    if (k === "required") continue;
    out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, partial(s)])) : partial(v);
  }
  if ("properties" in out) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(partial(JSON.parse(JSON.stringify(HostFactsSchema))) as Json);

describe("Linux rule test cases", () => {
  it("cover every Linux rule file", () => {
    expect(rules.length).toBe(files.length);
    expect(rules.length).toBeGreaterThanOrEqual(30);
  });

  it("the schema check itself rejects a misspelt field, a wrong type and a bad enum value", () => {
    expect(validate({ accounts: { users: [{ name: "a", lastlogin: null }] } })).toBe(false);
    expect(validate({ shell: { tmout: "600" } })).toBe(false);
    expect(validate({ accounts: { users: [{ name: "a", password: "yes" }] } })).toBe(false);
    expect(validate({ sshd: { installed: true, ciphers: { unknown: true, reason: "needs root" } } })).toBe(true);
  });

  describe.each(rules.map((r) => [r.def.id, r] as const))("%s", (_id, rule) => {
    it("targets Linux hosts and has pass, fail and error cases", () => {
      expect(rule.def.appliesTo).toMatchObject({ kind: "host", os: ["linux"] });
      const expects = new Set(rule.def.tests.map((t) => t.expect));
      for (const e of ["pass", "fail", "error"]) expect(expects, e).toContain(e);
      if (rule.def.when) expect(expects).toContain("not_applicable");
    });

    it.each(rule.def.tests.map((t) => [t.name, t] as const))("case facts fit the schema: %s", (_name, tc) => {
      const ok = validate(tc.facts);
      expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
    });
  });
});
