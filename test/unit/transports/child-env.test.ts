import { describe, expect, it } from "vitest";
import { childEnv } from "../../../src/transports/child-env.js";
import { localRunner } from "../../../src/transports/local.js";

describe("children get a scrubbed environment", () => {
  it("the local probe cannot see the variable named by --password-env, nor TERM", async () => {
    const saved = { TERM: process.env.TERM, LC_TIME: process.env.LC_TIME };
    process.env.HS_CHILD_ENV_PW = "Pw-9f3c-never-in-a-child";
    process.env.TERM = "xterm-256color";
    process.env.LC_TIME = "C";
    try {
      const r = await localRunner("env; echo done\n", { signal: new AbortController().signal, maxOutputBytes: 1 << 20 });
      expect(r.stdout).toMatch(/^done$/m);
      expect(r.stdout).not.toContain("Pw-9f3c-never-in-a-child");
      expect(r.stdout).not.toContain("HS_CHILD_ENV_PW");
      expect(r.stdout).not.toMatch(/^TERM=/m);
      expect(r.stdout).toMatch(/^PATH=/m);
      expect(r.stdout).toMatch(/^LC_TIME=C$/m);
    } finally {
      delete process.env.HS_CHILD_ENV_PW;
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("keeps only PATH, HOME, TMPDIR, TZ, LANG and LC_*, and always has a PATH", () => {
    expect(childEnv({ PATH: "/bin", HOME: "/root", LANG: "C.UTF-8", LC_ALL: "C", SSH_AUTH_SOCK: "/tmp/a", AWS_SECRET_ACCESS_KEY: "x", TERM: "xterm", PW: "y" })).toEqual({
      PATH: "/bin",
      HOME: "/root",
      LANG: "C.UTF-8",
      LC_ALL: "C",
    });
    expect(childEnv({}).PATH).toMatch(/\/usr\/bin/);
  });
});
