/**
 * Calendar dates as day numbers (days since 1970-01-01): plain integers, so
 * the planner compares, adds and indexes dates without allocating objects.
 */

import { DAY_NAMES, type DayName } from "./roster/formats.ts";

export type Day = number;

const MS_PER_DAY = 86_400_000;

/** 400 Gregorian years, in milliseconds: the calendar repeats after them. */
const GREGORIAN_CYCLE_MS = 146_097 * MS_PER_DAY;

/**
 * Date.UTC, with the years 0 to 99 read as themselves: Date.UTC reads them
 * as 1900 to 1999 (the same day 400 years on, less those 400 years).
 */
export function utcMs(
  year: number,
  month0: number,
  day = 1,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  if (year < 0 || year >= 100) return Date.UTC(year, month0, day, hour, minute, second);
  return Date.UTC(year + 400, month0, day, hour, minute, second) - GREGORIAN_CYCLE_MS;
}

/** `YYYY-MM-DD` → day number. The string must be a real date. */
export function toDay(date: string): Day {
  const fast = civilDay(date);
  if (fast !== undefined) return fast;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.round(utcMs(y, m - 1, d) / MS_PER_DAY);
}

/**
 * `toDay` worked out from the digits, for `YYYY-MM-DD` with a year from 1000
 * and a month from 1 to 12 (a day past the month's end counts on, as
 * Date.UTC does); undefined for anything else. Asked for every date a large
 * roster and schedule hold.
 */
function civilDay(date: string): Day | undefined {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    return undefined;
  }
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const digit = date.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    y = y * 10 + digit;
  }
  const m1 = date.charCodeAt(5) - 48;
  const m2 = date.charCodeAt(6) - 48;
  const d1 = date.charCodeAt(8) - 48;
  const d2 = date.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
    return undefined;
  }
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (y < 1000 || m < 1 || m > 12) return undefined;
  // Hinnant's days_from_civil: days since 1970-01-01 of the month's first, plus the day.
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Day number → `YYYY-MM-DD`. */
export function fromDay(day: Day): string {
  // Asked tens of thousands of times for a large plan's output: the civil
  // date worked out directly (years 1970 to 9999, whole days), not through a
  // Date and its ISO string; the same text either way.
  if (!Number.isInteger(day) || day < 0 || day > LAST_DAY) {
    return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  }
  // Days since 0000-03-01, in 400-year eras (Hinnant's days_from_civil, inverted).
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** 9999-12-31, the last day rota reads and writes: past it a year has more than four digits. */
export const LAST_DAY = 2_932_896;

/** The weekday of a day, `mon`…`sun`. */
export function weekday(day: Day): DayName {
  // 1970-01-01 was a Thursday.
  return DAY_NAMES[(((day + 3) % 7) + 7) % 7] as DayName;
}

/** The Monday of the week a day is in. */
export function mondayOf(day: Day): Day {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** Year, month (1–12) and day of month of a day number. */
export function partsOf(day: Day): { year: number; month: number; dayOfMonth: number } {
  const date = new Date(day * MS_PER_DAY);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    dayOfMonth: date.getUTCDate(),
  };
}

/** The day number of the first day of a month (month may run past 12 or below 1). */
export function firstOfMonth(year: number, month: number): Day {
  return Math.round(utcMs(year, month - 1, 1) / MS_PER_DAY);
}
