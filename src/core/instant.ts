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
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

const MONTHS =
  "January February March April May June July August September October November December";

/** The largest UTC offset ISO 8601 readers accept; real zones stay within -12:00 and +14:00. */
const MAX_OFFSET_HOURS = 18;

/**
 * Why a time with an offset is not a real instant (`there is no hour 25`), or
 * undefined when it is one. `Date.parse` alone would read 2027-02-30 as
 * 2 March and 24:00 as the next midnight, and refuse 25:00 only by NaN.
 */
export function explainBadInstant(text: string): string | undefined {
  const match = ISO_WITH_OFFSET.exec(text);
  if (!match) return "it is not an ISO time with an offset, like 2026-11-23T09:00:00+01:00";
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) {
    return `${MONTHS.split(" ")[month - 1]} ${year} has no day ${day} (it has ${days})`;
  }
  if (hour > 23) return `there is no hour ${hour}`;
  if (minute > 59) return `there is no minute ${minute}`;
  if (second > 59) return `there is no second ${second}`;
  if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > MAX_OFFSET_HOURS * 60) {
    return `${text.slice(-6)} is not an offset from UTC`;
  }
  return undefined;
}

/** Reads an ISO time with an offset (as schedule.yaml holds) into epoch milliseconds. */
export function parseIsoInstant(text: string): number | undefined {
  if (explainBadInstant(text) !== undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
