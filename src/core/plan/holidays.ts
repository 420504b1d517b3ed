import Holidays from "date-holidays";
import { type Day, partsOf, toDay } from "../dates.ts";
import type { Roster } from "../roster/model.ts";

/** Closed days and why: public holidays of the roster's country/region, and its extra dates. */
export class ClosedDays {
  private readonly byDay = new Map<Day, string>();
  private readonly years = new Set<number>();
  private readonly holidays: Holidays | undefined;

  constructor(roster: Roster) {
    const { country, region, dates } = roster.holidays ?? {};
    if (country) {
      this.holidays = region
        ? new Holidays(country, region, { languages: ["en"], types: ["public"] })
        : new Holidays(country, { languages: ["en"], types: ["public"] });
    }
    for (const date of dates ?? []) this.byDay.set(toDay(date), "closed (holidays.dates)");
  }

  /** Why a day is closed, or undefined when it is open. */
  reason(day: Day): string | undefined {
    this.loadYear(partsOf(day).year);
    return this.byDay.get(day);
  }

  private loadYear(year: number): void {
    if (!this.holidays || this.years.has(year)) return;
    this.years.add(year);
    for (const holiday of this.holidays.getHolidays(year, "en") || []) {
      if (holiday.type !== "public") continue;
      const day = toDay(holiday.date.slice(0, 10));
      if (!this.byDay.has(day)) this.byDay.set(day, `public holiday: ${holiday.name}`);
    }
  }
}
