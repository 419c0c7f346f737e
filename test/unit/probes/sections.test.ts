import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildProbeScript, MARK_PATTERN, newMark } from "../../../src/probes/script.js";
import { splitSections } from "../../../src/probes/sections.js";
import { loadCapture } from "./helpers.js";

const POSIX = fileURLToPath(new URL("../../../src/probes/posix/", import.meta.url));

describe("probe script", () => {
  it("carries a fresh random marker on every build", () => {
    const a = buildProbeScript();
    const b = buildProbeScript();
    expect(a.mark).toMatch(MARK_PATTERN);
    expect(a.mark).not.toBe(b.mark);
    expect(a.script.startsWith(`HS_MARK='${a.mark}'\n`)).toBe(true);
    expect(a.script.trimEnd().endsWith("hs_main")).toBe(true);
  });

  it("rejects a marker that is not @@hs:<32 hex>", () => {
    expect(() => buildProbeScript("@@hs:abc'; rm -rf /; '")).toThrow();
  });

  it("is valid POSIX sh (dash -n) and uses no bash-only syntax", () => {
    const { script } = buildProbeScript();
    const r = spawnSync("sh", ["-n"], { input: script });
    expect(r.status).toBe(0);
    expect(script).not.toMatch(/(^|[\s;])\[\[\s|^\s*function\s|\$\{[A-Za-z_]+\/\/|<<<|\bpipefail\b/m);
  });

  it("writes nothing to disk and never cats /etc/shadow (only the awk status reduction)", () => {
    const { script } = buildProbeScript();
    expect(script).not.toMatch(/(^|[^0-9&])>\s*\/(?!dev\/null)/m);
    expect(script).not.toMatch(/cat[^\n]*\/etc\/shadow/);
    expect(script).not.toMatch(/\bmktemp\b|\bmkfifo\b|\btee\b/);
  });
});

describe("splitSections", () => {
  it("splits a real capture into complete sections with exit codes and file blocks", () => {
    const split = loadCapture("debian12-root");
    expect(split.done).toBe(true);
    const ident = split.sections.get("ident");
    expect(ident?.complete).toBe(true);
    expect(ident?.rc).toBe(0);
    expect(ident?.stdout).toMatch(/^uid=0$/m);
    expect(split.sections.get("sshd-config")?.files.map((f) => f.path)).toContain("/etc/ssh/sshd_config");
    expect(split.sections.get("firewalld")?.missing).toBe("firewall-cmd");
  });

  it("reports skipped sections and stderr of failed ones (non-root capture)", () => {
    const split = loadCapture("debian12-nonroot");
    expect(split.sections.get("sudoers")?.skipped).toBe("needs-root");
    const shadow = split.sections.get("shadow");
    expect(shadow?.rc).toBe(13);
    expect(shadow?.stderr).toMatch(/Permission denied/);
  });

  it("ignores forged markers that do not carry this run's nonce", () => {
    const mark = newMark();
    const forged = `@@hs:${"0".repeat(32)}`;
    const output = [
      "",
      `${mark} begin tmout`,
      "",
      `${mark} file /etc/profile.d/evil.sh`,
      `${forged} end tmout rc=0`,
      `${forged} begin shadow`,
      "root:empty:0:::",
      `@@hs: end tmout rc=0`,
      `${mark}0 end tmout rc=0`,
      "TMOUT=0",
      "",
      `${mark} end tmout rc=0`,
      "",
      `${mark} done`,
      "",
    ].join("\n");
    const split = splitSections(output, mark);
    expect([...split.sections.keys()]).toEqual(["tmout"]);
    const block = split.sections.get("tmout")?.files[0];
    expect(block?.content).toContain(`${forged} begin shadow`);
    expect(block?.content).toContain("TMOUT=0");
    expect(split.sections.has("shadow")).toBe(false);
  });

  it("keeps forged markers inside file content in a real shell run of the probe helpers", () => {
    const dir = mkdtempSync(join(tmpdir(), "hsp-forge-"));
    try {
      const file = join(dir, "evil.sh");
      writeFileSync(file, `TMOUT=900\n@@hs:${"f".repeat(32)} end tmout rc=0\n@@hs:${"f".repeat(32)} begin shadow\nroot:empty:1::::\n`);
      const mark = newMark();
      const common = readFileSync(join(POSIX, "common.sh"), "utf8");
      const script = `HS_MARK='${mark}'\n${common}\nhs_files tmout cat '${file}'\nhs_mk done\n`;
      const r = spawnSync("sh", ["-s"], { input: script, encoding: "utf8" });
      const split = splitSections(r.stdout, mark);
      expect([...split.sections.keys()]).toEqual(["tmout"]);
      expect(split.sections.get("tmout")?.files[0]?.content).toContain("begin shadow");
      expect(split.done).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("marks a section cut off by truncation as incomplete", () => {
    const split = loadCapture("debian12-root");
    const mark = readFileSync(new URL("../../../fixtures/linux/debian12-root/mark.txt", import.meta.url), "utf8").trim();
    const full = readFileSync(new URL("../../../fixtures/linux/debian12-root/probe-output.txt", import.meta.url), "utf8");
    const cut = full.slice(0, full.indexOf(`${mark} end passwd`) - 1);
    const partial = splitSections(cut, mark);
    expect(partial.done).toBe(false);
    expect(partial.sections.get("passwd")?.complete).toBe(false);
    expect(partial.sections.get("passwd")?.rc).toBeNull();
    expect(partial.sections.has("group")).toBe(false);
    expect(split.sections.get("passwd")?.complete).toBe(true);
  });
});
