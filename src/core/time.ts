import { DateTime, IANAZone } from "luxon";
import { type Day, fromDay, toDay } from "./dates.ts";
import { MAX_OFFSET_HOURS, NOT_ISO, readInstant, splitAnnotations } from "./instant.ts";
import { checkTimeZone } from "./roster/formats.ts";

export { isoUtc, parseIsoInstant } from "./instant.ts";

/**
 * Time-zone arithmetic, through luxon: local wall times to instants and back.
 * Instants are epoch milliseconds everywhere in the core.
 */

export type WallTimeStatus = "ok" | "skipped" | "repeated";

export interface ZonedInstant {
  /** Epoch milliseconds (for a repeated wall time, the first of the two). */
  ms: number;
  status: WallTimeStatus;
}

/** The instant a local wall time (minutes after midnight) happens on a day in a zone. */
export function wallTimeToInstant(day: Day, minutes: number, zone: string): ZonedInstant {
  const date = fromDay(day);
  const local = DateTime.fromObject(
    {
      year: Number(date.slice(0, 4)),
      month: Number(date.slice(5, 7)),
      day: Number(date.slice(8, 10)),
      hour: Math.floor(minutes / 60),
      minute: minutes % 60,
    },
    { zone },
  );
  if (local.hour * 60 + local.minute !== minutes || local.toISODate() !== date) {
    return { ms: local.toMillis(), status: "skipped" };
  }
  const possible = local.getPossibleOffsets();
  if (possible.length > 1) {
    return { ms: Math.min(...possible.map((dt) => dt.toMillis())), status: "repeated" };
  }
  return { ms: local.toMillis(), status: "ok" };
}

/** Local midnight at the start of a day in a zone (or the first instant of the day). */
export function startOfDay(day: Day, zone: string): number {
  return DateTime.fromISO(fromDay(day), { zone }).startOf("day").toMillis();
}

/** The local day an instant falls on in a zone. */
export function dayOf(ms: number, zone: string): Day {
  return toDay(DateTime.fromMillis(ms, { zone }).toISODate() as string);
}

/** ISO 8601 with the zone's offset, to the second: `2026-11-23T09:00:00+01:00`. */
export function isoInZone(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

/**
 * Reads `--now`/`ROTA_NOW`/`--at`: an ISO date-time with an offset or `Z`; a
 * date-time without an offset, or a bare date (its midnight), is read in
 * `zone`; RFC 9557's bracketed zone and annotations are read as
 * `readTimeArgument` reads them. Undefined when the text is not such a time.
 */
export function parseTimeArgument(text: string, zone: string): number | undefined {
  const read = readTimeArgument(text, zone);
  return typeof read === "number" ? read : undefined;
}

/**
 * Reads a time given to rota (`--now`, `--at`, `--since`…) into epoch
 * milliseconds. Besides ISO 8601 it reads RFC 9557's suffix, as Temporal
 * and Java's ZonedDateTime print it: with an offset or `Z`, the instant is
 * the offset's, and a bracketed zone must agree with that offset then
 * (`Z` agrees with any zone: it says only that the instant is UTC's);
 * without one, the time is local to the bracketed zone (else to `zone`).
 * A string says why a time that is written as one cannot be read (an
 * unknown zone, an offset the zone does not have, an unknown critical
 * annotation); undefined means the text is not a time at all.
 */
export function readTimeArgument(text: string, zone: string): number | string | undefined {
  const trimmed = text.trim();
  if (!trimmed.includes("[")) return readPlainTime(trimmed, zone);
  const annotated = splitAnnotations(trimmed);
  if (!annotated) {
    if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
    return "what follows it in brackets is not RFC 9557's: a time zone first ([Europe/Berlin]), then key=value annotations ([u-ca=iso8601])";
  }
  const [critical] = annotated.unknownCritical;
  if (critical !== undefined) {
    return `rota does not know the annotation ${critical}, and its "!" says a reader must not ignore it: remove it (or its "!")`;
  }
  const { time, zone: named } = annotated;
  const fixed = named === undefined ? undefined : offsetMinutes(named);
  // Any zone of the IANA database names an instant, its links without a
  // slash (GMT, Japan, EST5EDT) included: the roster refuses those for its own
  // zones, which calendars show, but a time written elsewhere may carry one.
  if (named !== undefined && fixed === undefined && !isZoneKnownToRuntime(named)) {
    if (/^[+-]\d/.test(named)) return `[${named}] is not an offset from UTC, such as [+01:00]`;
    return checkTimeZone(named) ?? `time zone "${named}" is not in this Node's time-zone data`;
  }
  const written = WRITTEN_OFFSET.exec(time);
  if (!written) {
    if (fixed === undefined) return readPlainTime(time, named ?? zone);
    const wall = readPlainTime(time, "UTC");
    return wall === undefined ? undefined : wall - fixed * MINUTE;
  }
  const ms = readPlainTime(time, "UTC");
  // `Z` (and `-00:00`, which RFC 9557 reads as Z) says only that the instant is UTC's.
  if (
    ms === undefined ||
    named === undefined ||
    /^(?:Z|-00:?(?:00)?)$/i.test(written[1] as string)
  ) {
    return ms;
  }
  const given = offsetMinutes(written[1] as string) as number;
  const actual = fixed ?? zoneClock(named as string).offsetAt(ms);
  if (given === actual) return ms;
  const zoneSays =
    fixed === undefined ? `, whose offset at that time is ${formatOffset(actual)}` : "";
  return `the offset ${written[1]} does not agree with [${named}]${zoneSays}: give the offset or the zone alone, or make them agree`;
}

/** The offset a time ends with: `Z`, `+01:00`, `+0100`, `+01` (after a `T` and the time). */
const WRITTEN_OFFSET = /T[\d:.,]+(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Minutes east of UTC of an offset written `+01:00`, `+0100` or `+01`; undefined for anything else. */
function offsetMinutes(text: string): number | undefined {
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  if (Number(match[3] ?? 0) > 59 || minutes > MAX_OFFSET_HOURS * 60) return undefined;
  return match[1] === "-" ? -minutes : minutes;
}

/** `+01:00`, `-05:00`, `+00:00`. */
function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An ISO 8601 time without RFC 9557's brackets, read as `parseTimeArgument` says. */
function readPlainTime(trimmed: string, zone: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  // With an offset, no zone is needed (and the zone database need not load).
  const exact = readInstant(trimmed);
  if (typeof exact === "number") return Number.isNaN(exact) ? undefined : exact;
  // Written with an offset, but no real instant: 25:00, 30 February, +25:00.
  if (exact !== NOT_ISO) return undefined;
  // Other ways of writing an offset (+0100, +01) go to luxon, which reads
  // any two digits as hours: held to the 18 hours ISO readers accept.
  const offset = /T[\d:.,]+([+-])(\d{2}):?(\d{2})?$/.exec(trimmed);
  if (offset) {
    const minutes = Number(offset[3] ?? 0);
    if (minutes > 59 || Number(offset[2]) * 60 + minutes > MAX_OFFSET_HOURS * 60) return undefined;
  }
  const parsed = DateTime.fromISO(trimmed, { zone, setZone: false });
  if (!parsed.isValid) return undefined;
  // A local time the clocks repeat is its first time, as a shift's is
  // (`wallTimeToInstant`): luxon picks one by the offset the zone has at the
  // moment rota runs, which would make the same text another instant in July.
  if (!offset && !/z$/i.test(trimmed)) {
    const possible = parsed.getPossibleOffsets();
    if (possible.length > 1) return Math.min(...possible.map((each) => each.toMillis()));
  }
  return parsed.toMillis();
}

/** Whether an IANA zone is known to the runtime's time-zone data. */
export function isZoneKnownToRuntime(zone: string): boolean {
  return DateTime.fromMillis(0, { zone }).isValid;
}

/** A short local time for display: `09:00`, or `Mon 23 Nov 09:00` with the date. */
export function formatLocal(ms: number, zone: string, format: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat(format, { locale: "en-GB" });
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** `GMT`, `GMT+05:30` or `GMT-03:00`, as Intl writes a `longOffset` zone name. */
const LONG_OFFSET = /GMT(?:([+-])(\d\d):(\d\d))?$/;

/**
 * A zone's offset from UTC at an instant, in minutes, as luxon's
 * `IANAZone.offset` gives it, read from one formatted zone name
 * (`GMT+05:30`) instead of from the parts of a formatted date: a plan asks
 * for the offsets of thousands of days, and formatting to parts costs
 * several times as much. Anything else Intl writes (an offset with seconds,
 * local mean time long ago) and any instant it cannot format is luxon's.
 */
class OffsetReader {
  private readonly format: Intl.DateTimeFormat | undefined;

  constructor(private readonly zone: IANAZone) {
    this.format = zone.isValid
      ? new Intl.DateTimeFormat("en-US", { timeZone: zone.name, timeZoneName: "longOffset" })
      : undefined;
  }

  offset(ms: number): number {
    if (this.format && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS) {
      const found = LONG_OFFSET.exec(this.format.format(ms));
      if (found) {
        if (found[1] === undefined) return 0;
        const minutes = Number(found[2]) * 60 + Number(found[3]);
        return found[1] === "-" && minutes !== 0 ? -minutes : minutes;
      }
    }
    return this.zone.offset(ms);
  }
}

/** The last instant a JavaScript Date holds (and Intl formats). */
const MAX_DATE_MS = 8.64e15;

/**
 * Local wall times of one zone to instants, quickly and deterministically.
 * The UTC offset at each local noon is looked up once; a day whose offset
 * equals its neighbours' has no clock change, so a wall time on it is a
 * subtraction. Days with a change use the exact rule: a time that happens
 * twice is its first instant, a skipped time moves forward by the gap.
 * (luxon's own conversion guesses from the current time's offset, which
 * would make a planned instant depend on the clock.)
 */
export class ZoneClock {
  private readonly zone: OffsetReader | undefined;
  private readonly noon = new Map<Day, number>();

  constructor(readonly name: string) {
    this.zone = name === "UTC" ? undefined : new OffsetReader(IANAZone.create(name));
  }

  /** Offset from UTC in minutes at an instant. */
  offsetAt(ms: number): number {
    if (!this.zone) return 0;
    // Offsets at noon (UTC) the day before, of and after: when they agree, no
    // clock change falls between, so that is the offset all that UTC day.
    const day = Math.floor(ms / DAY);
    const offset = this.noonOffset(day);
    if (this.noonOffset(day - 1) === offset && this.noonOffset(day + 1) === offset) return offset;
    return this.zone.offset(ms);
  }

  /**
   * The UTC days in [from, until) at whose noon the offset differs from the
   * noon before: a clock change lies between the two noons. Offsets are
   * sampled a week apart and the change day found between them, so two
   * changes less than a week apart could go unseen; no zone has them.
   */
  changeDays(from: Day, until: Day): Day[] {
    const days: Day[] = [];
    if (!this.zone) return days;
    const WEEK = 7;
    for (let day = from - 1; day < until; day += WEEK) {
      const before = this.noonOffset(day);
      if (this.noonOffset(day + WEEK) === before) continue;
      // The first day of the week whose noon has another offset.
      let low = day;
      let high = day + WEEK;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (this.noonOffset(middle) === before) low = middle;
        else high = middle;
      }
      if (high >= from && high < until) days.push(high);
    }
    return days;
  }

  private noonOffset(day: Day): number {
    let offset = this.noon.get(day);
    if (offset === undefined) {
      offset = this.zone ? this.zone.offset(day * DAY + 12 * 3_600_000) : 0;
      this.noon.set(day, offset);
    }
    return offset;
  }

  /** The instant of a wall time (minutes after midnight, may exceed a day) on a local day. */
  instant(day: Day, minutes: number): { ms: number; offset: number } {
    const whole = day + Math.floor(minutes / 1440);
    const within = minutes - (whole - day) * 1440;
    const local = whole * DAY + within * MINUTE;
    const neighbour = within < 720 ? whole - 1 : whole + 1;
    const offset = this.noonOffset(whole);
    if (this.noonOffset(neighbour) === offset) return { ms: local - offset * MINUTE, offset };
    // A clock change nearby: try both offsets.
    const before = this.offsetAt(local - DAY);
    const after = this.offsetAt(local + DAY);
    const first = local - before * MINUTE;
    const second = local - after * MINUTE;
    const firstValid = this.offsetAt(first) === before;
    const secondValid = this.offsetAt(second) === after;
    if (firstValid && secondValid) {
      return first <= second ? { ms: first, offset: before } : { ms: second, offset: after };
    }
    if (firstValid) return { ms: first, offset: before };
    if (secondValid) return { ms: second, offset: after };
    const ms = local - Math.min(before, after) * MINUTE;
    return { ms, offset: this.offsetAt(ms) };
  }

  /** ISO 8601 with this zone's offset at that instant: `2026-11-23T09:00:00+01:00`. */
  iso(ms: number, offset = this.offsetAt(ms)): string {
    const wall = wallTime(ms + offset * MINUTE);
    if (!this.zone) return `${wall}Z`;
    const sign = offset < 0 ? "-" : "+";
    const abs = Math.abs(offset);
    return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  }
}

/**
 * `new Date(ms).toISOString().slice(0, 19)`: worked out directly for whole
 * milliseconds in 1970 to 9999 (a plan writes two for each of thousands of
 * occurrences), through a Date otherwise.
 */
export function wallTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= WALL_LIMIT) {
    return new Date(ms).toISOString().slice(0, 19);
  }
  const day = Math.floor(ms / DAY);
  const seconds = Math.floor((ms - day * DAY) / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  return `${fromDay(day)}T${h < 10 ? "0" : ""}${h}:${m < 10 ? "0" : ""}${m}:${s < 10 ? "0" : ""}${s}`;
}

/** 10000-01-01T00:00:00Z. */
const WALL_LIMIT = Date.UTC(10_000, 0, 1);

const clocks = new Map<string, ZoneClock>();

/** The shared clock of a zone (offsets are cached per zone). */
export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new ZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}
