/**
 * Business hours in a time zone: the pure part of the `inHours` condition form (rule-schema.ts).
 * An instant (ISO time) is turned into the wall-clock weekday and minute of an IANA time zone with
 * `Intl.DateTimeFormat`, then compared with a span of hours (`07:00-19:00`, or `22:00-06:00` across
 * midnight) on a list of weekdays (`Mon`…`Sun`). A span across midnight belongs to the day it starts on.
 */

export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface HoursSpan {
  /** Minutes after midnight; `end` may be less than `start` (the span crosses midnight). */
  start: number;
  end: number;
}

const HOURS = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** `07:00-19:00` → minutes; a problem text when it is not `HH:MM-HH:MM`. */
export function parseHours(text: unknown): HoursSpan | string {
  if (typeof text !== "string") return `business hours must be a string such as "07:00-19:00"`;
  const m = HOURS.exec(text.trim());
  if (!m) return `"${text}" is not a span of hours such as "07:00-19:00"`;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (end > 24 * 60) return `"${text}": a span ends at 24:00 at the latest`;
  if (start === end) return `"${text}" is an empty span (start and end are the same)`;
  return { start, end };
}

/** `[Mon, Tue, …]` (case-insensitive, three letters) → weekday numbers (0 = Sunday); a problem text otherwise. */
export function parseDays(list: unknown): Set<number> | string {
  if (!Array.isArray(list) || list.length === 0) return `business days must be a non-empty list such as [Mon, Tue, Wed, Thu, Fri]`;
  const out = new Set<number>();
  for (const d of list) {
    const i = typeof d === "string" ? WEEKDAYS.findIndex((w) => w.toLowerCase() === d.trim().toLowerCase()) : -1;
    if (i < 0) return `"${String(d)}" is not a weekday (one of ${WEEKDAYS.join(", ")})`;
    out.add(i);
  }
  return out;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A problem text when `zone` is not an IANA time zone name this Node knows (e.g. `America/Chicago`, `UTC`). */
export function timeZoneProblem(zone: unknown): string | undefined {
  if (typeof zone !== "string" || zone.trim() === "") return `a time zone must be an IANA name such as "America/Chicago" or "UTC"`;
  try {
    formatter(zone);
    return undefined;
  } catch {
    return `unknown time zone "${zone}" (an IANA name such as "America/Chicago", "Europe/Berlin" or "UTC")`;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(zone, f);
  }
  return f;
}

/** The weekday (0 = Sunday) and minute of the day of instant `ms` on the wall clocks of `zone`. */
export function localTime(ms: number, zone: string): { day: number; minute: number } {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = WEEKDAYS.indexOf(get("weekday") as Weekday);
  return { day, minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

/**
 * Whether the ISO time `iso` falls within `span` on one of `days` in `zone`. Undefined when `iso`
 * is not a time (the caller makes that unknown, never a pass).
 */
export function withinHours(iso: unknown, span: HoursSpan, days: Set<number>, zone: string): boolean | undefined {
  if (typeof iso !== "string") return undefined;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return undefined;
  const { day, minute } = localTime(ms, zone);
  if (span.start < span.end) return days.has(day) && minute >= span.start && minute < span.end;
  // Across midnight: the evening part is on a listed day, the morning part on the day after one.
  if (minute >= span.start) return days.has(day);
  if (minute < span.end) return days.has((day + 6) % 7);
  return false;
}
