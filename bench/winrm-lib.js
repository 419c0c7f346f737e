// Starts the WinRM test server (test/support/winrm-server, TypeScript) as a child process for the
// WinRM benchmarks: compiles it with the project's tsc into node_modules/.cache first.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { ROOT } from "./lib.js";

const OUT = `${ROOT}node_modules/.cache/hsw-winrm-server`;

export function buildTestServer() {
  const r = spawnSync(
    process.execPath,
    [`${ROOT}node_modules/typescript/bin/tsc`, "--outDir", OUT, "--rootDir", ROOT, "--module", "NodeNext", "--moduleResolution", "NodeNext",
      "--target", "ES2022", "--skipLibCheck", "--types", "node", "--esModuleInterop", `${ROOT}test/support/winrm-server/main.ts`],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`cannot compile the WinRM test server:\n${r.stdout}${r.stderr}`);
}

/** Starts the server; resolves with { port, url, stop() }. The password goes through the environment. */
export function startTestServer({ user, password, profile = "gappy", tlsKey, tlsCert } = {}) {
  const env = { ...process.env, HSW_USER: user, HSW_PASSWORD: password, HSW_PROFILE: profile, HSW_FIXTURES_DIR: `${ROOT}fixtures/windows/` };
  if (tlsKey && tlsCert) Object.assign(env, { HSW_TLS_KEY: tlsKey, HSW_TLS_CERT: tlsCert });
  const child = spawn(process.execPath, [`${OUT}/test/support/winrm-server/main.js`], { env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once("line", (line) => {
      const info = JSON.parse(line);
      resolve({ ...info, stop: () => new Promise((r) => { child.once("exit", r); child.kill("SIGTERM"); }) });
    });
    child.once("exit", (code) => reject(new Error(`test server exited with ${code}`)));
  });
}
