import { DateTime } from "luxon";
import { tzlib_get_ical_block, tzlib_get_offset } from "timezones-ical-library";
import { describe, expect, test } from "vitest";
import { parseRules, rulesOffset, ZoneBook } from "../../src/core/calendar/zones.ts";
import { ZONE_NAMES } from "../../src/core/zones.generated.ts";

// The library reads dates in the process time zone; make that UTC.
process.env.TZ = "UTC";
const DAY = 86_400_000;
const block = (zone: string) => (tzlib_get_ical_block(zone) as string[])[0] as string;

/** Minutes of `+0130` / `-0400`. */
const minutesOf = (offset: string) =>
  (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3)));

describe("reading VTIMEZONE rules instead of asking the library each time", () => {
  test("every zone's block is read, and agrees with the library around each change and through the year", () => {
    // One zone for each distinct set of rules (many zones share them).
    const blocks = new Map<string, { tzid: string; text: string }>();
    for (const zone of ZONE_NAMES) {
      const text = block(zone);
      const tzid = /^TZID:(.+)$/m.exec(text)?.[1]?.trim() as string;
      const rulesText = text.replace(/^(TZID|X-LIC-LOCATION|LAST-MODIFIED):.*$/gm, "");
      if (!blocks.has(rulesText)) blocks.set(rulesText, { tzid, text });
    }
    let compared = 0;
    for (const { tzid, text } of blocks.values()) {
      const rules = parseRules(text.replace(/\r?\n/g, "\r\n"));
      expect(rules, tzid).toBeDefined();
      if (!rules) continue;
      for (const year of [2026, 2031]) {
        // Noon on the first of each month, and every hour of each day the
        // offset changes (by the rules' own reckoning).
        const times: [number, number][] = [];
        for (let month = 0; month < 12; month++) times.push([Date.UTC(year, month, 1) / DAY, 12]);
        const first = Date.UTC(year, 0, 1) / DAY;
        const last = Date.UTC(year + 1, 0, 1) / DAY;
        for (let day = first; day < last; day++) {
          if (rulesOffset(rules, day, 0) === rulesOffset(rules, day + 1, 0)) continue;
          for (let hour = 0; hour < 24; hour++) times.push([day, hour]);
        }
        for (const [day, hour] of times) {
          // The hour the clocks change in is skipped or repeated, and the
          // library compares whole hours only: nothing to compare there.
          if (rulesOffset(rules, day, hour * 60) !== rulesOffset(rules, day, hour * 60 + 59)) {
            continue;
          }
          const date = new Date(day * DAY).toISOString().slice(0, 10);
          const time = `${String(hour).padStart(2, "0")}:00`;
          const expected = minutesOf(String(tzlib_get_offset(tzid, date, time)));
          expect(rulesOffset(rules, day, hour * 60), `${tzid} ${date} ${time}`).toBe(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(2_000);
  });

  test("a block with more than yearly nth-weekday rules is left to the library", () => {
    const text = block("Europe/Berlin").replace(
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=25",
    );
    expect(parseRules(text)).toBeUndefined();
    expect(parseRules(text.replace("RRULE:", "RDATE:20260329T020000\r\nRRULE:"))).toBeUndefined();
  });

  test("local times are written only where the block and the zone data agree, and never in a repeated hour", () => {
    const zones = new ZoneBook();
    const berlin = zones.zone("Europe/Berlin").tzid as string;
    const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
    expect(zones.canWriteLocal(at("2026-11-23T09:00", berlin), berlin)).toBe(true);
    expect(zones.canWriteLocal(at("2026-03-29T03:30", berlin), berlin)).toBe(true);
    // 02:30 on the last Sunday of October happens twice in Berlin.
    expect(zones.canWriteLocal(Date.parse("2026-10-25T00:30:00Z"), berlin)).toBe(false);
    expect(zones.canWriteLocal(Date.parse("2026-10-25T01:30:00Z"), berlin)).toBe(false);
    // New York before 2007 changed clocks on other Sundays than today's rules say.
    const york = zones.zone("America/New_York").tzid as string;
    expect(zones.canWriteLocal(at("2006-03-20T09:00", york), york)).toBe(false);
    expect(zones.canWriteLocal(at("2006-06-20T09:00", york), york)).toBe(true);
    // Casablanca's block has one fixed offset; the zone data does not.
    const casablanca = zones.zone("Africa/Casablanca").tzid as string;
    expect(zones.canWriteLocal(at("2026-06-01T09:00", casablanca), casablanca)).toBe(false);
  });
});
