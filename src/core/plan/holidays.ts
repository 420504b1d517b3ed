import Holidays from "date-holidays";
import { type Day, partsOf, toDay } from "../dates.ts";
import type { Roster } from "../roster/model.ts";

type HolidaysSpec = NonNullable<Roster["holidays"]>;

/** The public holidays of one country or region, each year read once, when first asked. */
class PublicHolidays {
  private readonly byDay = new Map<Day, string>();
  private readonly years = new Set<number>();
  private holidays: Holidays | undefined;

  constructor(
    private readonly country: string,
    private readonly region: string | undefined,
  ) {}

  reason(day: Day): string | undefined {
    this.loadYear(partsOf(day).year);
    return this.byDay.get(day);
  }

  private loadYear(year: number): void {
    if (this.years.has(year)) return;
    this.years.add(year);
    if (!this.holidays) {
      this.holidays = this.region
        ? new Holidays(this.country, this.region, { languages: ["en"], types: ["public"] })
        : new Holidays(this.country, { languages: ["en"], types: ["public"] });
      // Only each holiday's date and name are read. Without a time zone,
      // date-holidays leaves its start and end as local times, the same days
      // in the same order, instead of placing them in the country's with
      // every zone's data (moment-timezone, which the bundle does not hold:
      // see scripts/moment-for-holidays.cjs).
      this.holidays.setTimezone(undefined as unknown as string);
    }
    for (const holiday of this.holidays.getHolidays(year, "en") || []) {
      if (holiday.type !== "public") continue;
      const day = toDay(holiday.date.slice(0, 10));
      if (!this.byDay.has(day)) this.byDay.set(day, `public holiday: ${holiday.name}`);
    }
  }
}

/** The closed days of the roster, or of one shift with its own holidays. */
interface Calendar {
  publicHolidays: PublicHolidays | undefined;
  /** `holidays.dates`: they win over a public holiday on the same day. */
  dates: ReadonlySet<Day>;
}

/**
 * Closed days and why: public holidays of a country/region and extra dates,
 * the roster's, or a shift's own where it has them (they replace the
 * roster's as a whole, so `holidays: {}` closes the shift on no day).
 */
export class ClosedDays {
  private readonly roster: Calendar;
  private readonly byShift = new Map<string, Calendar>();

  constructor(roster: Roster) {
    // Shifts of one country and region share their public holidays, so a
    // year's holidays are computed once however many desks observe them.
    const shared = new Map<string, PublicHolidays>();
    const calendarOf = ({ country, region, dates }: HolidaysSpec): Calendar => {
      let publicHolidays: PublicHolidays | undefined;
      if (country) {
        const key = `${country}/${region ?? ""}`;
        publicHolidays = shared.get(key);
        if (!publicHolidays) {
          publicHolidays = new PublicHolidays(country, region);
          shared.set(key, publicHolidays);
        }
      }
      return { publicHolidays, dates: new Set((dates ?? []).map(toDay)) };
    };
    this.roster = calendarOf(roster.holidays ?? {});
    for (const shift of roster.shifts) {
      if (shift.holidays) this.byShift.set(shift.id, calendarOf(shift.holidays));
    }
  }

  /**
   * Why a day is closed for a shift, or undefined when the shift may run
   * that day. Without a shift (or for a shift without its own holidays, or
   * one not in the roster) the roster's holidays answer.
   */
  reason(day: Day, shift?: string): string | undefined {
    const calendar = (shift === undefined ? undefined : this.byShift.get(shift)) ?? this.roster;
    if (calendar.dates.has(day)) return "closed (holidays.dates)";
    return calendar.publicHolidays?.reason(day);
  }
}

/** A closed day's reason as a clause: "the day is closed (Christmas Day)", "the day is closed (holidays.dates)". */
export function closedDay(reason: string): string {
  return reason.startsWith("closed ") ? `the day is ${reason}` : `the day is closed (${reason})`;
}
