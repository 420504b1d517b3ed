/**
 * Calendar dates as day numbers (days since 1970-01-01): plain integers, so
 * the planner compares, adds and indexes dates without allocating objects.
 */

import { DAY_NAMES, type DayName } from "./roster/formats.ts";

export type Day = number;

const MS_PER_DAY = 86_400_000;

/** `YYYY-MM-DD` → day number. The string must be a real date. */
export function toDay(date: string): Day {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

/** Day number → `YYYY-MM-DD`. */
export function fromDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

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
  return Math.round(Date.UTC(year, month - 1, 1) / MS_PER_DAY);
}
