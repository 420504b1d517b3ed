import { DateTime } from "luxon";
import { type Day, fromDay, toDay } from "./dates.ts";

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

/** ISO 8601 in UTC, to the second: `2026-11-23T08:00:00Z`. */
export function isoUtc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads an ISO time with an offset (as schedule.yaml holds) into epoch milliseconds. */
export function parseIsoInstant(text: string): number | undefined {
  if (!ISO_WITH_OFFSET.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Reads `--now`/`ROTA_NOW`/`--at`: an ISO date-time with an offset or `Z`; a
 * date-time without an offset, or a bare date (its midnight), is read in
 * `zone`. Undefined when the text is not such a time.
 */
export function parseTimeArgument(text: string, zone: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const parsed = DateTime.fromISO(trimmed, { zone, setZone: false });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/** Whether an IANA zone is known to the runtime's time-zone data. */
export function isZoneKnownToRuntime(zone: string): boolean {
  return DateTime.fromMillis(0, { zone }).isValid;
}

/** A short local time for display: `09:00`, or `Mon 23 Nov 09:00` with the date. */
export function formatLocal(ms: number, zone: string, format: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat(format, { locale: "en-GB" });
}
