import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectOptions } from "../../../src/collectors/options.js";
import { parseTarget } from "../../../src/core/targets.js";
import { resolveSsh } from "../../../src/transports/ssh/options.js";

describe("typed SSH options", () => {
  const dir = mkdtempSync(join(tmpdir(), "hs-sshopt-"));
  const config = join(dir, "ssh_config");
  writeFileSync(config, "Host db1\n  HostName 192.0.2.10\n  Port 2222\n  User scan\n");

  it("--ssh-config (sshConfigFile) is the ssh_config that is read", async () => {
    const r = await resolveSsh(parseTarget("ssh://db1"), collectOptions({ sshConfigFile: config }));
    expect(r.target).toMatchObject({ host: "192.0.2.10", port: 2222, user: "scan" });
  });

  it("an inventory host's typed options win over the flags", async () => {
    const target = { ...parseTarget("ssh://db1"), options: { sudo: true, timeoutMs: 5000, identityFiles: [join(dir, "k")] } };
    const r = await resolveSsh(target, collectOptions({ sshConfigFile: config, sudo: false, timeoutMs: 1000 }));
    expect(r).toMatchObject({ sudo: true, timeoutMs: 5000 });
    expect(r.identityFiles).toContain(join(dir, "k"));
  });
});
