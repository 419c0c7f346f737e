import { readFileSync } from "node:fs";
import { fixtureCommands } from "./responses.js";
import { startWinRmServer } from "./server.js";

/**
 * Runs the WinRM test server on 127.0.0.1 and prints `{"port":N,"url":…}` on one line.
 * Environment: HSW_USER, HSW_PASSWORD (required), HSW_PROFILE (gappy|hardened), HSW_TLS_KEY and
 * HSW_TLS_CERT (files; HTTPS when both are set), HSW_RECEIVE_TIMEOUTS (N faults first).
 */
const user = process.env.HSW_USER ?? "scanner";
const password = process.env.HSW_PASSWORD;
if (!password) throw new Error("HSW_PASSWORD is required");
const tls = process.env.HSW_TLS_KEY && process.env.HSW_TLS_CERT ? { key: readFileSync(process.env.HSW_TLS_KEY), cert: readFileSync(process.env.HSW_TLS_CERT) } : undefined;
const server = await startWinRmServer({
  users: { [user]: password },
  tls,
  commands: fixtureCommands({ profile: process.env.HSW_PROFILE === "hardened" ? "hardened" : "gappy" }),
  faults: { receiveTimeouts: Number(process.env.HSW_RECEIVE_TIMEOUTS ?? 0) },
});
process.stdout.write(`${JSON.stringify({ port: server.port, url: server.url })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
