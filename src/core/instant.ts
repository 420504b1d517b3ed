/**
 * Instants written with an offset (`2026-11-23T09:00:00+01:00`, `…Z`), read
 * and written without time-zone data: what schedule.yaml holds and what
 * `--now` usually is, so reading them never loads luxon.
 */

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
