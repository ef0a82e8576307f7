import { z } from "zod";
import { defineTool } from "../define-tool.js";

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function timeZoneError(name: string): string {
  return `Unknown time zone "${name}": use an IANA name such as "Europe/Paris", "America/New_York", "Asia/Tokyo" or "UTC".`;
}

export const currentTimeSchema = z.object({
  timezone: z
    .string()
    .max(64)
    .refine(isTimeZone, { error: (issue) => timeZoneError(String(issue.input)) })
    .optional()
    .describe('IANA time zone, e.g. "Europe/Paris"; leave out for the local zone'),
});

export interface ZonedTime {
  /** ISO 8601 with the zone's offset, e.g. 2025-03-01T14:05:09+01:00. */
  iso: string;
  timeZone: string;
  weekday: string;
}

/** The wall-clock time of `date` in `timeZone`, with that zone's UTC offset at that instant. */
export function formatZonedTime(date: Date, timeZone?: string): ZonedTime {
  if (timeZone !== undefined && !isTimeZone(timeZone)) throw new Error(timeZoneError(timeZone));
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    weekday: "long",
  });
  const parts = Object.fromEntries(
    formatter.formatToParts(date).map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const wallClockAsUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const wholeSeconds = Math.floor(date.getTime() / 1000) * 1000;
  const offsetMinutes = Math.round((wallClockAsUtc - wholeSeconds) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
  const iso = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
  // The caller's spelling wins: ICU canonicalises some names (Asia/Kolkata → Asia/Calcutta).
  return {
    iso,
    timeZone: timeZone ?? formatter.resolvedOptions().timeZone,
    weekday: parts.weekday,
  };
}

export interface CurrentTimeToolOptions {
  /** The clock; tests pin it. */
  now?: () => Date;
}

export function createCurrentTimeTool(options: CurrentTimeToolOptions = {}) {
  const now = options.now ?? (() => new Date());
  return defineTool({
    name: "current_time",
    description:
      "Returns the current date and time (ISO 8601 with UTC offset) and weekday, in an IANA time zone or the local one.",
    schema: currentTimeSchema,
    func: ({ timezone }) => {
      const time = formatZonedTime(now(), timezone);
      return `${time.iso} (${time.weekday}, time zone ${time.timeZone})`;
    },
  });
}
