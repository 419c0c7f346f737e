/** Moved to src/probes/posix/probe-output.ts (shared by Linux and macOS); kept for existing importers. */
export * from "../posix/probe-output.js";
