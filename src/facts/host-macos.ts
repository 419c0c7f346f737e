/**
 * macOS-only host sections (FileVault, screensaver and screen lock, SIP, Gatekeeper, Application
 * Firewall details, software update), filled by the macOS probe. Each schema lives in its probe
 * section module (src/probes/macos/*.ts) beside its shell fragment and parser;
 * src/probes/macos/sections.ts lists them. Sections macOS shares with Linux (sshd, accounts,
 * firewall) reuse the Linux shapes. Re-exported here for existing importers.
 */
export { FileVault } from "../probes/macos/filevault.js";
export { Screensaver } from "../probes/macos/screensaver.js";
export { Sip } from "../probes/macos/sip.js";
export { Gatekeeper } from "../probes/macos/gatekeeper.js";
export { AppFirewall } from "../probes/macos/app-firewall.js";
export { SoftwareUpdate } from "../probes/macos/software-update.js";
