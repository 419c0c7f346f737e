import { closeSync, openSync, readFileSync, unlinkSync, writeSync, mkdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { canonicalJson, sha256 } from "./canonical.js";
import { HistoryError, HistoryLockedError } from "./errors.js";
import { checkPostgresUrl } from "./postgres-url.js";
import { SqliteStore } from "./sqlite.js";
import type { HistoryStore } from "./types.js";

/**
 * Where the history lives: `--history PATH|URL`, else HIPAA_SCAN_HISTORY, else
 * $XDG_STATE_HOME/hipaa-scan/history.db (~/.local/state/hipaa-scan/history.db when unset).
 */
export function historyLocation(flag: string | undefined, env: Record<string, string | undefined>, home: string): string {
  if (flag) return flag;
  if (env.HIPAA_SCAN_HISTORY) return env.HIPAA_SCAN_HISTORY;
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith("/") ? env.XDG_STATE_HOME : join(home, ".local", "state");
  return join(state, "hipaa-scan", "history.db");
}

export const isPostgres = (location: string) => /^postgres(ql)?:\/\//i.test(location);

/** Checks the location before anything is scanned (a password in a URL is refused here). */
export function checkLocation(location: string): void {
  if (isPostgres(location)) checkPostgresUrl(location);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new HistoryError(`--history: unsupported URL scheme in ${location.replace(/\/\/[^@/]*@/, "//…@")} (a file path or postgres://)`);
}

export async function openStore(location: string): Promise<HistoryStore> {
  checkLocation(location);
  if (isPostgres(location)) {
    const { PostgresStore } = await import("./postgres.js");
    return PostgresStore.open(location);
  }
  return new SqliteStore(location);
}

/**
 * One run per scope at a time: a lock file beside the SQLite database (for PostgreSQL, in the
 * state directory), holding the owner's pid. A lock whose process is gone is taken over.
 */
export function acquireLock(location: string, stateDir: string, scope: string): () => void {
  const dir = isPostgres(location) ? stateDir : dirname(location);
  const stem = isPostgres(location) ? `pg-${sha256(canonicalJson(checkPostgresUrl(location))).slice(0, 12)}` : basename(location);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${stem}.${scope}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw new HistoryError(`cannot create lock ${file}: ${(err as Error).message}`);
      const pid = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new HistoryLockedError(`another hipaa-scan run (pid ${pid}) is scanning the same targets; lock ${file}. Not starting a second one.`);
      }
      unlinkSync(file); // stale: its process is gone
    }
  }
  throw new HistoryLockedError(`could not take the lock ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
