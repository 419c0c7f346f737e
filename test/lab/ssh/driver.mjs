// Runs the SSH collector from dist/ against lab targets and prints the TargetFacts as JSON.
// Started by the lab tests inside the scanner namespace (`ip netns exec hss-scan node driver.mjs`).
// Usage: node driver.mjs '<json options>' ssh://… [ssh://…]
// Secrets come from the environment variable named in options.passwordEnv, never argv.
import { sshHostCollector } from "../../../dist/collectors/host-ssh.js";
import { parseTarget } from "../../../dist/core/targets.js";

const [optsJson, ...uris] = process.argv.slice(2);
const o = JSON.parse(optsJson ?? "{}");
const options = {
  timeoutMs: o.timeoutMs ?? 30_000,
  identityFiles: o.identityFiles ?? [],
  knownHostsFile: o.knownHostsFile,
  acceptNewHostKeys: o.acceptNewHostKeys ?? false,
  jump: o.jump,
  sudo: o.sudo ?? false,
  starttls: false,
  insecureTls: false,
  networkProfile: "standard",
  sshConfigFile: o.sshConfigFile ?? "/nonexistent-hss-ssh-config",
};
const secrets = {
  async password() {
    const v = o.passwordEnv ? process.env[o.passwordEnv] : undefined;
    return v === undefined || v === "" ? undefined : v;
  },
};
const started = Date.now();
const results = await Promise.all(
  uris.map(async (uri) => {
    const ctx = {
      options,
      secrets,
      signal: AbortSignal.timeout(options.timeoutMs),
      progress() {},
      log: { verbose() {}, warn() {} },
      now: () => new Date(),
    };
    const t0 = Date.now();
    const facts = await sshHostCollector.collect(parseTarget(uri), ctx);
    return { ...facts, elapsedMs: Date.now() - t0 };
  }),
);
process.stdout.write(JSON.stringify({ elapsedMs: Date.now() - started, results }, null, 1));
