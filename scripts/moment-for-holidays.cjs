// What date-holidays-parser and caldate ask of moment-timezone, answered with
// the runtime's Intl, for rota's bundle (scripts/build.mjs). rota reads public
// holidays without a time zone (src/core/plan/holidays.ts), where the one use
// left is an equinox's or a solstice's instant (an ISO 8601 string in UTC)
// moved to a fixed offset or an IANA zone for its year, month and day. The
// whole library with every zone's data is about a megabyte, which each plan
// read from disk and its code cache for nothing else.
//
// Placing a holiday in a zone (`moment.tz`) is what rota does not ask: it
// fails loudly rather than answer differently from moment-timezone.
"use strict";

/** The fields date-holidays-parser reads of a moment: its local year, month (0-11) and day. */
function dayOf(year, month, day) {
  return { year: () => year, month: () => month, date: () => day };
}

const formats = new Map();

/** The local day of an instant in an IANA zone. */
function inZone(ms, zone) {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
    });
    formats.set(zone, format);
  }
  const parts = {};
  for (const { type, value } of format.formatToParts(ms)) parts[type] = value;
  return dayOf(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
}

/** The local day of an instant at a fixed offset from UTC ("+09:00"). */
function atOffset(ms, offset) {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (match === null)
    throw new Error(`rota: an offset date-holidays gave is not ±hh:mm: ${offset}`);
  const minutes = (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  const local = new Date(ms + minutes * 60_000);
  return dayOf(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
}

/** `moment(iso)`: an instant, to be moved to an offset or a zone. */
function moment(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new Error(`rota: an instant date-holidays gave is not ISO 8601: ${iso}`);
  return {
    utcOffset: (offset) => atOffset(ms, offset),
    tz: (zone) => inZone(ms, zone),
  };
}

moment.tz = () => {
  throw new Error("rota: public holidays are read without a time zone (src/core/plan/holidays.ts)");
};

module.exports = moment;
