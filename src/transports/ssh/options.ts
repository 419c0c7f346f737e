import { homedir } from "node:os";
import { join } from "node:path";
import { existsSync } from "node:fs";
import type { TargetSpec } from "../../core/model.js";
import type { CollectOptions } from "../../collectors/types.js";
import { expandPath, loadSshConfig, localUserName, parseJump, resolveHostConfig } from "./config.js";
import type { SshEndpoint } from "./connect.js";
import type { TargetOptions } from "../../core/target-options.js";

/**
 * Per-target SSH settings from the inventory (`TargetSpec.options`), all optional; they win over
 * the command-line flags, which win over ~/.ssh/config.
 */
export type SshTargetOverrides = Omit<TargetOptions, "port">;

export interface ResolvedSsh {
  target: SshEndpoint;
  jumps: SshEndpoint[];
  identityFiles: string[];
  knownHostsFiles: string[];
  knownHostsWriteFile: string;
  acceptNewHostKeys: boolean;
  sudo: boolean;
  timeoutMs: number;
}

function overrides(target: TargetSpec): SshTargetOverrides {
  const { port: _port, ...o } = target.options ?? {};
  return o;
}

/** True when the target string itself named a port (`ssh://h:2222`), which beats ~/.ssh/config. */
function explicitPort(target: TargetSpec): boolean {
  return /^ssh:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/]*):\d+\/?$/i.test(target.id) || target.options?.port !== undefined;
}

const DEFAULT_KEYS = ["id_ed25519", "id_ecdsa", "id_rsa"];

/**
 * Works out host, port, user, keys, jump hosts and known_hosts files for one SSH target, in
 * OpenSSH's precedence: target string / inventory, then flags, then ~/.ssh/config, then defaults.
 */
export async function resolveSsh(target: TargetSpec, options: CollectOptions): Promise<ResolvedSsh> {
  const ov = overrides(target);
  const config = await loadSshConfig(options.sshConfigFile);
  const alias = target.host ?? "";
  const hc = resolveHostConfig(config, alias, target.user);
  const localUser = localUserName();
  const user = target.user ?? hc.user ?? localUser;
  const host = hc.hostName ? expandPath(hc.hostName.replace(/%h/g, alias), { host: alias, user }) : alias;
  const port = explicitPort(target) ? (target.port ?? 22) : (hc.port ?? target.port ?? 22);

  const flagKeys = [...(ov.identityFiles ?? []), ...options.identityFiles];
  let identityFiles = [...flagKeys, ...hc.identityFiles].map((f) => expandPath(f, { host, user }));
  if (identityFiles.length === 0) {
    identityFiles = DEFAULT_KEYS.map((k) => join(homedir(), ".ssh", k)).filter((f) => existsSync(f));
  }

  const jumpSpec = ov.jump ?? options.jump ?? hc.proxyJump;
  const jumps: SshEndpoint[] = [];
  if (jumpSpec) {
    for (const hop of parseJump(jumpSpec)) {
      const jc = resolveHostConfig(config, hop.host, hop.user);
      jumps.push({
        host: jc.hostName ?? hop.host,
        port: hop.port !== 22 ? hop.port : (jc.port ?? 22),
        user: hop.user ?? jc.user ?? user,
      });
    }
  }

  const userKnown = join(homedir(), ".ssh", "known_hosts");
  const khFile = ov.knownHostsFile ?? options.knownHostsFile;
  const knownHostsWriteFile = khFile ? expandPath(khFile, { host, user }) : userKnown;
  const knownHostsFiles = khFile
    ? [knownHostsWriteFile]
    : [userKnown, join(homedir(), ".ssh", "known_hosts2"), "/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"];

  return {
    target: { host, port, user },
    jumps,
    identityFiles,
    knownHostsFiles,
    knownHostsWriteFile,
    acceptNewHostKeys: ov.acceptNewHostKeys ?? options.acceptNewHostKeys,
    sudo: ov.sudo ?? options.sudo,
    timeoutMs: ov.timeoutMs ?? options.timeoutMs,
  };
}
