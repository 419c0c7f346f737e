import { UsageError } from "../core/errors.js";

/** The rule param the activity rules read the window from (the log-retention rules declare it). */
export const WINDOW_PARAM = "window_days";
const MAX_DAYS = 3650;

/** `--activity-window 30d` (or `30`, or `6w`) → days; a usage error otherwise. */
export function parseActivityWindow(text: string): number {
  const m = /^\s*(\d+)\s*([dw]?)\s*$/i.exec(text);
  const days = m ? Number(m[1]) * (m[2]!.toLowerCase() === "w" ? 7 : 1) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new UsageError(`--activity-window ${text}: expected a number of days such as 30d (or weeks, 6w), 1 to ${MAX_DAYS} days`);
  }
  return days;
}

/**
 * One window for the whole run: `--activity-window` sets the probe's read window and the rules'
 * `window_days` param; `--param window_days=N` alone does the same. Both, disagreeing, is an error.
 * Returns the days (undefined: the default 30) and the params with `window_days` filled in.
 */
export function resolveActivityWindow(flag: string | undefined, params: Record<string, string>): { days?: number; params: Record<string, string> } {
  const fromFlag = flag !== undefined ? parseActivityWindow(flag) : undefined;
  const raw = params[WINDOW_PARAM];
  const fromParam = raw !== undefined && /^\s*\d+\s*$/.test(raw) ? Number(raw) : undefined;
  if (fromFlag !== undefined && raw !== undefined && fromParam !== fromFlag) {
    throw new UsageError(`--activity-window ${flag} and --param ${WINDOW_PARAM}=${raw} disagree: give one`);
  }
  if (fromFlag !== undefined) return { days: fromFlag, params: { ...params, [WINDOW_PARAM]: String(fromFlag) } };
  // A bad --param value is reported by the param check itself; only a usable one sets the probe.
  return { days: fromParam !== undefined && fromParam >= 1 && fromParam <= MAX_DAYS ? fromParam : undefined, params };
}
