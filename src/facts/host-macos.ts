/**
 * macOS-only host sections (FileVault, screensaver, SIP, Gatekeeper, …), filled by the macOS probe.
 * Sections macOS shares with Linux (sshd, accounts, firewall) reuse the Linux shapes.
 */
export const macosSections = {};
