import { HistoryError } from "./errors.js";

// Apart from postgres.ts so that checking a location (every run) does not load node-postgres.
/**
 * Refuses a password in the URL: it would show in `ps`, shell history and cron mail. node-postgres
 * reads PGPASSWORD itself; ~/.pgpass (or PGPASSFILE) is read by pg-pass when no password is set.
 */
export function checkPostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HistoryError("--history: not a valid postgres:// URL");
  }
  if (parsed.password) throw new HistoryError("--history: a password in the URL is refused; set PGPASSWORD or use ~/.pgpass");
  parsed.password = "";
  return parsed.toString();
}
