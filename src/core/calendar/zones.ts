import { tzlib_get_ical_block, tzlib_get_offset } from "timezones-ical-library";
import { zoneClock } from "../time.ts";

/**
 * Time zones as calendars need them: the TZID a client knows (aliases such
 * as US/Eastern resolve to America/New_York, whose VTIMEZONE declares that
 * TZID), its VTIMEZONE block, and a check that a local time means the same
 * instant to a client reading that block as it means to rota.
 */

export interface CalendarZone {
  /** The TZID to write; undefined for UTC, which is written as `…Z` times instead. */
  tzid?: string;
  /** The VTIMEZONE block, CRLF line ends, no trailing line end. */
  vtimezone?: string;
}

const UTC_TZIDS = new Set(["Etc/UTC", "Etc/GMT", "Etc/UCT", "Etc/Universal", "Etc/Zulu"]);

/** Resolves zones once each; one instance per rendering. */
export class ZoneBook {
  readonly #zones = new Map<string, CalendarZone>();
  readonly #offsets = new Map<string, string>();
  readonly #rules = new Map<string, ZoneRules | null>();

  /** The calendar form of an IANA zone (as the roster names it). */
  zone(name: string): CalendarZone {
    let zone = this.#zones.get(name);
    if (zone === undefined) {
      zone = resolveZone(name);
      this.#zones.set(name, zone);
    }
    return zone;
  }

  /** The VTIMEZONE of a TZID this book handed out. */
  vtimezone(tzid: string): string | undefined {
    for (const zone of this.#zones.values()) if (zone.tzid === tzid) return zone.vtimezone;
    return undefined;
  }

  /**
   * Whether an instant can be written as a local time in a zone: the wall time
   * happens only once there (not in the hour repeated when clocks go back,
   * which parsers resolve differently), and the VTIMEZONE gives it the same
   * offset as rota's zone data (the block holds today's rules, which may not
   * be a past year's).
   */
  canWriteLocal(ms: number, tzid: string): boolean {
    const clock = zoneClock(tzid);
    const offset = clock.offsetAt(ms);
    const wall = ms + offset * MINUTE;
    // Clocks change by less than three hours: an offset differing within
    // three hours either side is the only other one this wall time can have.
    for (const near of [clock.offsetAt(ms - 3 * HOUR), clock.offsetAt(ms + 3 * HOUR)]) {
      if (near !== offset && clock.offsetAt(wall - near * MINUTE) === near) return false;
    }
    let rules = this.#rules.get(tzid);
    if (rules === undefined) {
      rules = parseRules(this.vtimezone(tzid) ?? "") ?? null;
      this.#rules.set(tzid, rules);
    }
    const days = Math.floor(wall / DAY);
    const minutes = Math.round((wall - days * DAY) / MINUTE);
    if (rules) return rulesOffset(rules, days, minutes) === offset;
    // A block this reader does not follow: ask the library, minute by minute.
    const date = new Date(days * DAY).toISOString().slice(0, 10);
    const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    const key = `${tzid} ${date} ${time}`;
    let written = this.#offsets.get(key);
    if (written === undefined) {
      written = String(tzlib_get_offset(tzid, date, time));
      this.#offsets.set(key, written);
    }
    return written === formatOffset(offset);
  }
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** `+0100`, as TZOFFSETTO writes it. */
function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

/** One observance of a VTIMEZONE: its offset, and when (local time, yearly) it starts. */
interface Observance {
  offset: number;
  month: number;
  /** 1 to 5 (the nth weekday of the month) or -1 to -5 (counting from the end). */
  week: number;
  weekday: number;
  /** Minutes after local midnight at which it starts. */
  at: number;
}

/** A fixed offset, or two observances that alternate every year. */
export type ZoneRules = { fixed: number } | { yearly: [Observance, Observance] };

const RRULE = /^FREQ=YEARLY;BYMONTH=(\d{1,2});BYDAY=([+-]?)([1-5])(SU|MO|TU|WE|TH|FR|SA)$/;
const WEEKDAY_CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/**
 * The rules of a VTIMEZONE block as the library writes them: one observance
 * with a fixed offset, or a STANDARD and a DAYLIGHT that recur yearly on the
 * nth weekday of a month. Anything else (RDATE, other RRULE parts, more
 * observances) gives undefined, and the library is asked instead.
 */
export function parseRules(block: string): ZoneRules | undefined {
  const observances: { offset?: number; start?: string; rrule?: string; extra: boolean }[] = [];
  let current: (typeof observances)[number] | undefined;
  for (const line of block.split(/\r?\n/)) {
    if (line === "BEGIN:STANDARD" || line === "BEGIN:DAYLIGHT") {
      current = { extra: false };
      observances.push(current);
    } else if (line === "END:STANDARD" || line === "END:DAYLIGHT") {
      current = undefined;
    } else if (current) {
      const [name, value = ""] = line.split(/:(.*)/s);
      const offset = /^([+-])(\d{2})(\d{2})$/.exec(value);
      if (name === "TZOFFSETTO" && offset) {
        current.offset =
          (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
      } else if (name === "DTSTART") current.start = value;
      else if (name === "RRULE") current.rrule = value;
      else if (name !== "TZOFFSETFROM" && name !== "TZNAME") current.extra = true;
    }
  }
  if (observances.some((o) => o.extra || o.offset === undefined)) return undefined;
  if (observances.length === 1 && !observances[0]?.rrule) {
    return { fixed: observances[0]?.offset as number };
  }
  if (observances.length !== 2) return undefined;
  const yearly: Observance[] = [];
  for (const o of observances) {
    const rule = RRULE.exec(o.rrule ?? "");
    const start = /^\d{8}T(\d{2})(\d{2})\d{2}$/.exec(o.start ?? "");
    if (!rule || !start) return undefined;
    yearly.push({
      offset: o.offset as number,
      month: Number(rule[1]),
      week: (rule[2] === "-" ? -1 : 1) * Number(rule[3]),
      weekday: WEEKDAY_CODES.indexOf(rule[4] as string),
      at: Number(start[1]) * 60 + Number(start[2]),
    });
  }
  return { yearly: yearly as [Observance, Observance] };
}

/** The day (days since 1970-01-01) on which an observance starts in a year. */
function onsetDay(o: Observance, year: number): number {
  if (o.week > 0) {
    const first = Date.UTC(year, o.month - 1, 1) / DAY;
    const weekday = (new Date(first * DAY).getUTCDay() + 7) % 7;
    return first + ((o.weekday - weekday + 7) % 7) + 7 * (o.week - 1);
  }
  const last = Date.UTC(year, o.month, 0) / DAY;
  const weekday = new Date(last * DAY).getUTCDay();
  return last - ((weekday - o.weekday + 7) % 7) - 7 * (-o.week - 1);
}

/**
 * The offset (minutes) a client reading the block gives a local wall time
 * (`days` since 1970-01-01 and `minutes` after midnight): that of the
 * observance started most recently, by local time.
 */
export function rulesOffset(rules: ZoneRules, days: number, minutes: number): number {
  if ("fixed" in rules) return rules.fixed;
  const year = new Date(days * DAY).getUTCFullYear();
  const wall = days * 1440 + minutes;
  const [a, b] = [...rules.yearly].sort(
    (x, y) => onsetDay(x, year) * 1440 + x.at - (onsetDay(y, year) * 1440 + y.at),
  ) as [Observance, Observance];
  if (wall >= onsetDay(b, year) * 1440 + b.at) return b.offset;
  if (wall >= onsetDay(a, year) * 1440 + a.at) return a.offset;
  return b.offset;
}

function resolveZone(name: string): CalendarZone {
  let block: string[] | string;
  try {
    block = tzlib_get_ical_block(name);
  } catch {
    return {};
  }
  if (!Array.isArray(block) || typeof block[0] !== "string") return {};
  const tzid = /^TZID:(.+)$/m.exec(block[0])?.[1]?.trim();
  if (!tzid || UTC_TZIDS.has(tzid)) return {};
  const vtimezone = block[0].replace(/\r?\n/g, "\r\n").trim();
  return { tzid, vtimezone };
}
