/**
 * Dates and times as people read them on a page: `Tue 24 Nov 2026, 10:00`
 * rather than `2026-11-24T10:00:00+01:00`. Pure, through Intl, in English to
 * match the rest of the page.
 */

const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
};
const DATE_TIME = new Intl.DateTimeFormat("en-GB", { ...DATE_TIME_OPTIONS, timeZone: "UTC" });

const DATE = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});

const MONTH = {
  long: new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "long", year: "numeric" }),
  short: new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "short", year: "numeric" }),
};

/** One formatter per zone: making one costs far more than formatting with it. */
const ZONED = new Map<string, Intl.DateTimeFormat>();

function zoned(zone: string): Intl.DateTimeFormat {
  let format = ZONED.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { ...DATE_TIME_OPTIONS, timeZone: zone });
    ZONED.set(zone, format);
  }
  return format;
}

function parts(format: Intl.DateTimeFormat, ms: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of format.formatToParts(ms)) out[part.type] = part.value;
  return out;
}

/**
 * An ISO 8601 instant, shown at the wall-clock time of its own offset (rota
 * writes instants with the team zone's offset): `Tue 24 Nov 2026, 10:00`.
 * With `zone`, the instant is shown in that zone instead. Anything that is not
 * an instant is returned as it is.
 */
export function humanInstant(iso: string, zone?: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  let p: Record<string, string>;
  if (zone) {
    p = parts(zoned(zone), ms);
  } else {
    const offset = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
    const minutes = offset
      ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]))
      : 0;
    p = parts(DATE_TIME, ms + minutes * 60_000);
  }
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** `2026-11-24` → `Tue 24 Nov 2026`; anything else as it is. */
export function humanDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) return date;
  const p = parts(DATE, ms);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** `2026-11` → `November 2026` (`Nov 2026` short); anything else as it is. */
export function humanMonth(month: string, style: "long" | "short" = "long"): string {
  if (!/^\d{4}-\d{2}$/.test(month)) return month;
  const ms = Date.parse(`${month}-01T00:00:00Z`);
  return Number.isNaN(ms) ? month : MONTH[style].format(ms);
}

const ENGLISH = new Intl.PluralRules("en");

/** `1 shift`, `2 shifts`, `0 people`: the count and the noun that agrees with it. */
export function counted(count: number, one: string, other = `${one}s`): string {
  return `${count} ${ENGLISH.select(count) === "one" ? one : other}`;
}

/** A period as said after "every": `1 month` → `month`, `2 weeks` as it is. */
export function everyPeriod(period: string): string {
  return period.replace(/^1 (?=[a-z])/, "");
}
