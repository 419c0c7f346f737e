import type { CollectorRegistry } from "./types.js";

/**
 * Every collector, by target scheme. Loaded lazily so `--help` does not pay for ssh2 or ldapts.
 * To add a transport, add its scheme here; nothing registers itself by being imported.
 */
export const collectors: CollectorRegistry = {
  local: async () => (await import("./host-local.js")).localHostCollector,
  ssh: async () => (await import("./host-ssh.js")).sshHostCollector,
  winrm: async () => (await import("./host-winrm.js")).winrmHostCollector,
  winrms: async () => (await import("./host-winrm.js")).winrmHostCollector,
  ldap: async () => (await import("./directory.js")).directoryCollector,
  ldaps: async () => (await import("./directory.js")).directoryCollector,
  network: async () => (await import("./network.js")).networkCollector,
};
