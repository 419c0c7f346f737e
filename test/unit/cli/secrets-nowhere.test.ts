import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../src/reporters/index.js";
import { ROOT } from "../../helpers/cli.js";

const PASSWORD = "Hs-Distinctive-Pw-7f3a9c-Zq";
const ENV = { HS_SECRET_PW: PASSWORD };
// The same secret as it might be re-encoded on the way out.
const FORMS = [PASSWORD, Buffer.from(PASSWORD).toString("base64"), Buffer.from(PASSWORD).toString("hex"), encodeURIComponent(PASSWORD), PASSWORD.slice(3, 20)];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}bin/hipaa-scan.js`, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "", ...ENV } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 170_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectNoSecret(where: string, text: string) {
  for (const form of FORMS) expect(text.includes(form), `${where} contains the password (${form})`).toBe(false);
}

describe("the --password-env secret appears nowhere", () => {
  it("not in any report format, saved facts, verbose lines or error paths; every file written is 0600", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hs-secret-"));
    const unreachable = "ssh://scan@127.0.0.1:1";
    const files = FORMATS.flatMap((f) => ["--format", f, "--output", join(dir, `report.${f}`)]);
    const runs = await Promise.all([
      // Every format to a file, facts saved, debug lines on: a local scan and an SSH target that refuses.
      run(["scan", "local", unreachable, "--password-env", "HS_SECRET_PW", "--verbose", "--timeout", "60", ...files, "--save-facts", join(dir, "facts.json")]),
      // The text report on stdout, and collect -o.
      // --no-history here and below: two recorded runs over the same target at once would meet the
      // history lock (one stops with exit 2), which is not what this test is about.
      run(["scan", unreachable, "--password-env", "HS_SECRET_PW", "--verbose", "--timeout", "30", "--format", "text", "--no-history"]),
      run(["collect", unreachable, "--password-env", "HS_SECRET_PW", "--verbose", "--timeout", "30", "-o", join(dir, "collected.json")]),
      // Error paths: refused before scanning, with the secret set.
      run(["scan", unreachable, "--password-env", "HS_SECRET_PW", "--output", join(dir, "missing", "r.txt")]),
      run(["scan", unreachable, "--password-env", "HS_SECRET_PW", "--jump", "bad host!"]),
      run(["scan", `ssh://scan@127.0.0.1:1`, "--password-env", "HS_SECRET_PW", "--sudo", "--timeout", "30", "--format", "json", "--no-history"]),
    ]);
    const [full, text, collect, missing, jump] = runs;
    expect([1, 3]).toContain(full!.code); // local fails some rules here; the SSH target is incomplete
    expect(text!.stdout).toMatch(/127\.0\.0\.1/);
    expect(collect!.code).toBe(3);
    expect(missing!.code).toBe(2);
    expect(jump!.code).toBe(2);
    runs.forEach((r, i) => {
      expectNoSecret(`run ${i} stdout`, r.stdout);
      expectNoSecret(`run ${i} stderr`, r.stderr);
    });
    // Evaluate the saved facts again, every format to a file.
    const again = await run(["evaluate", join(dir, "facts.json"), ...FORMATS.flatMap((f) => ["--format", f, "--output", join(dir, `again.${f}`)])]);
    expect(again.code).toBe(full!.code);
    expectNoSecret("evaluate stderr", again.stderr);

    const written = readdirSync(dir);
    expect(written.sort()).toEqual(
      [...FORMATS.map((f) => `report.${f}`), ...FORMATS.map((f) => `again.${f}`), "facts.json", "collected.json"].sort(),
    );
    for (const f of written) {
      expectNoSecret(f, readFileSync(join(dir, f), "utf8"));
      expect(statSync(join(dir, f)).mode & 0o777, `${f} mode`).toBe(0o600);
    }
  }, 200_000);
});
