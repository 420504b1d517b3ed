/**
 * Instants written with an offset (`2026-11-23T09:00:00+01:00`, `…Z`), read
 * and written without time-zone data: what schedule.yaml holds and what
 * `--now` usually is, so reading them never loads luxon.
 */

/** ISO 8601 in UTC, to the second: `2026-11-23T08:00:00Z`. */
export function isoUtc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const MONTHS =
  "January February March April May June July August September October November December";

/** What `readInstant` says of a text that is not an ISO time with an offset at all. */
export const NOT_ISO = "it is not an ISO time with an offset, like 2026-11-23T09:00:00+01:00";

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The largest UTC offset ISO 8601 readers accept; real zones stay within -12:00 and +14:00. */
export const MAX_OFFSET_HOURS = 18;

/** A field of the match as a number (0 when absent), read from its digits. */
function field(part: string | undefined): number {
  if (part === undefined) return 0;
  let n = 0;
  for (let i = 0; i < part.length; i++) n = n * 10 + part.charCodeAt(i) - 48;
  return n;
}

/**
 * Days in a month as `Date.UTC` counts them, which reads years 0 to 99 as
 * 1900 to 1999 (so 0000-02-29 is refused, as it always was).
 */
function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1] as number;
  const y = year < 100 ? year + 1900 : year;
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
}

/**
 * The instant a time with an offset names, in epoch milliseconds, or why it
 * is not a real one (`there is no hour 25`). `Date.parse` alone would read
 * 2027-02-30 as 2 March and 24:00 as the next midnight, and refuse 25:00
 * only by NaN. Read without splitting the text or making dates: schedules
 * hold tens of thousands of them.
 */
export function readInstant(text: string): number | string {
  const exact = fixedLayout(text);
  if (exact !== undefined) return exact;
  const match = ISO_WITH_OFFSET.exec(text);
  if (!match) return NOT_ISO;
  const year = field(match[1]);
  const month = field(match[2]);
  const day = field(match[3]);
  const hour = field(match[4]);
  const minute = field(match[5]);
  const second = field(match[6]);
  const offsetHours = field(match[9]);
  const offsetMinutes = field(match[10]);
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = daysIn(year, month);
  if (day < 1 || day > days) {
    return `${MONTHS.split(" ")[month - 1]} ${year} has no day ${day} (it has ${days})`;
  }
  if (hour > 23) return `there is no hour ${hour}`;
  if (minute > 59) return `there is no minute ${minute}`;
  if (second > 59) return `there is no second ${second}`;
  if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > MAX_OFFSET_HOURS * 60) {
    return `${text.slice(-6)} is not an offset from UTC`;
  }
  // Fractions of a second, and years Date.UTC would read as 19xx: as Date.parse reads them.
  if (match[7] !== undefined || year < 100) return Date.parse(text);
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  return match[8] === "-" ? utc + offset : utc - offset;
}

/** Why a time with an offset is not a real instant, or undefined when it is one. */
export function explainBadInstant(text: string): string | undefined {
  const read = readInstant(text);
  return typeof read === "string" ? read : undefined;
}

/** Reads an ISO time with an offset (as schedule.yaml holds) into epoch milliseconds. */
export function parseIsoInstant(text: string): number | undefined {
  const read = readInstant(text);
  return typeof read === "number" && !Number.isNaN(read) ? read : undefined;
}

/**
 * The forms `fixedLayout` reads: digits, separators, milliseconds or not, `Z`
 * or an offset, each field within its range (a year from 0100, month 01–12,
 * day 01–31, hour 00–23, minute and second 00–59, an offset up to 18:00).
 */
const FIXED_LAYOUT =
  /^(?!00)\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3})?(?:Z|[+-](?:(?:0\d|1[0-7]):[0-5]\d|18:00))$/;

/**
 * `2026-11-23T09:15:00Z` and `2026-11-23T09:15:00+02:00` (with or without
 * milliseconds), the forms rota and most help-desk exports write, read by
 * one native test of the layout and the fields' ranges and by `Date.parse`,
 * which reads such a text exactly: the instant, or undefined for any other
 * form (or a day the month does not have, or a year before 100, which
 * Date.UTC reads otherwise), left to the general reading. A command reads a
 * small schedule's instants cold, where each step in JavaScript costs more
 * than the native ones, and a small function called for each field (the
 * digits read one by one) is soon compiled again by the optimizing compiler:
 * work a quick command pays for and never gets back.
 */
function fixedLayout(text: string): number | undefined {
  if (!FIXED_LAYOUT.test(text)) return undefined;
  // Days 29 to 31 are checked against the month: Date.parse reads 30 February as 2 March.
  const day = text.charCodeAt(8) * 10 + text.charCodeAt(9) - 528;
  if (day > 28) {
    const year = Number(text.slice(0, 4));
    const month = text.charCodeAt(5) * 10 + text.charCodeAt(6) - 528;
    if (day > daysIn(year, month)) return undefined;
  }
  return Date.parse(text);
}

/**
 * A time as RFC 9557 extends ISO 8601 (what Java's ZonedDateTime and
 * JavaScript's Temporal print): `2026-11-24T10:00+01:00[Europe/Berlin]`,
 * with any number of `[key=value]` annotations after the zone.
 */
export interface AnnotatedTime {
  /** The time before the first `[`. */
  time: string;
  /** The bracketed time zone, an IANA name or an offset (`+01:00`), if any. */
  zone?: string;
  /**
   * Annotations marked critical (`[!x-foo=bar]`) that rota does not know: a
   * reader must not ignore them, so the time cannot be read.
   */
  unknownCritical: string[];
}

/** `[Europe/Berlin]`, `[!+01:00]`, `[u-ca=iso8601]`, `[!x-key=a-b]`: one bracketed annotation. */
const ANNOTATION = /\[(!?)([^[\]]*)\]/y;
const ANNOTATION_KEY = /^[a-z_][a-z0-9_-]*$/;
const ANNOTATION_VALUE = /^[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * Annotations whose meaning rota honours. The calendar (`u-ca`) changes how a
 * date is shown, not which instant the text names: the date and time written
 * are ISO's (Gregorian) whatever the calendar.
 */
const KNOWN_KEYS = new Set(["u-ca"]);

/**
 * Splits a time's RFC 9557 suffix from it: the time zone (first, at most
 * once) and the other annotations. Undefined when the suffix is not one
 * (an empty or unclosed bracket, a zone after a `key=value`, a key in
 * capitals), and for a text without a `[`.
 */
export function splitAnnotations(text: string): AnnotatedTime | undefined {
  const start = text.indexOf("[");
  if (start < 0) return undefined;
  const found: AnnotatedTime = { time: text.slice(0, start), unknownCritical: [] };
  let at = start;
  let first = true;
  while (at < text.length) {
    ANNOTATION.lastIndex = at;
    const match = ANNOTATION.exec(text);
    if (!match) return undefined;
    const critical = match[1] === "!";
    const body = match[2] as string;
    const equals = body.indexOf("=");
    if (equals < 0) {
      if (!first || body === "") return undefined;
      found.zone = body;
    } else {
      const key = body.slice(0, equals);
      if (!ANNOTATION_KEY.test(key) || !ANNOTATION_VALUE.test(body.slice(equals + 1))) {
        return undefined;
      }
      if (critical && !KNOWN_KEYS.has(key)) found.unknownCritical.push(match[0]);
    }
    first = false;
    at = ANNOTATION.lastIndex;
  }
  return found;
}
