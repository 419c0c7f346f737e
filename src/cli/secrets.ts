import { UsageError } from "../core/errors.js";
import type { SecretProvider } from "../collectors/types.js";

/**
 * Secrets come from `--password-env VAR` or, on a terminal, a prompt that does not echo. Never
 * from argv. The value is cached per purpose for the run and never logged.
 */
export function makeSecretProvider(envVar: string | undefined): SecretProvider {
  const cache = new Map<string, Promise<string | undefined>>();
  let prompts = Promise.resolve();
  return {
    password(purpose) {
      if (envVar) {
        const value = process.env[envVar];
        if (value === undefined || value === "") {
          return Promise.reject(new UsageError(`--password-env ${envVar}: that environment variable is not set`));
        }
        return Promise.resolve(value);
      }
      if (!process.stdin.isTTY || !process.stderr.isTTY) return Promise.resolve(undefined);
      let p = cache.get(purpose);
      if (!p) {
        // One prompt at a time, even when many targets ask at once.
        p = prompts.then(() => promptHidden(`Password for ${purpose}: `));
        prompts = p.then(() => undefined, () => undefined);
        cache.set(purpose, p);
      }
      return p;
    },
  };
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let value = "";
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new UsageError("password prompt cancelled"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
