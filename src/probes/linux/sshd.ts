/** Moved to src/probes/posix/sshd.ts (the section Linux and macOS share); kept for existing importers. */
export * from "../posix/sshd.js";
