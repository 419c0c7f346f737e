/**
 * Host facts gathered by the POSIX probe on Linux, locally or over SSH. Each section's schema lives
 * in its probe section module (src/probes/linux/*.ts, src/probes/posix/sshd.ts) beside its shell
 * fragment and parser; src/probes/linux/sections.ts lists them. docs/facts.md says which command or
 * file each comes from. Facts are raw observations: nothing here is a verdict. The shapes are
 * re-exported here for existing importers.
 */
export { Os, NetworkInterface, Account, Accounts, Firewall } from "./host-common.js";
export { BlockDevice, Filesystem, Swap, Storage } from "../probes/linux/storage.js";
export { ShellTimeout } from "../probes/linux/shell-timeout.js";
export { Sshd } from "../probes/posix/sshd.js";
export { Gnome } from "../probes/linux/gnome.js";
export { Audit } from "../probes/linux/audit.js";
export { TimeSync } from "../probes/linux/time-sync.js";
export { Updates } from "../probes/linux/updates.js";
export { Pam } from "../probes/linux/pam.js";
export { Integrity } from "../probes/linux/integrity.js";
