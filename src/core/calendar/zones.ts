import { DateTime } from "luxon";
import { tzlib_get_ical_block, tzlib_get_offset } from "timezones-ical-library";

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
    const local = DateTime.fromMillis(ms, { zone: tzid });
    if (!local.isValid) return false;
    if (local.getPossibleOffsets().length > 1) return false;
    const date = local.toFormat("yyyy-MM-dd");
    const time = local.toFormat("HH:mm");
    const key = `${tzid} ${date} ${time}`;
    let offset = this.#offsets.get(key);
    if (offset === undefined) {
      offset = String(tzlib_get_offset(tzid, date, time));
      this.#offsets.set(key, offset);
    }
    return offset === local.toFormat("ZZZ");
  }
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
