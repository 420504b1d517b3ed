import { IANAZone } from "luxon";
import { describe, expect, test } from "vitest";
import { CLOCK_CHECK_YEARS } from "../../src/core/roster/clock-check.ts";
import { mayFallInTransition } from "../../src/core/roster/formats.ts";
import { ZoneClock } from "../../src/core/time.ts";
import { ZONE_NAMES } from "../../src/core/zones.generated.ts";

const DAY = 86_400_000;
const MINUTE = 60_000;

describe("clock changes happen only in the window validation checks", () => {
  test("every zone, 2026 and 2027: skipped and repeated local times are inside it, and found", () => {
    const outside: string[] = [];
    for (const name of ZONE_NAMES) {
      const zone = IANAZone.create(name);
      if (!zone.isValid) continue;
      let previous = zone.offset(Date.UTC(2026, 0, 1, 12));
      const changeDays: number[] = [];
      for (let noon = Date.UTC(2026, 0, 2, 12); noon < Date.UTC(2028, 0, 1); noon += DAY) {
        const offset = zone.offset(noon);
        if (offset === previous) continue;
        changeDays.push(Math.floor(noon / DAY));
        // Find the minute of the change, then the local times on both sides.
        let lo = noon - DAY;
        let hi = noon;
        while (hi - lo > MINUTE) {
          const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
          if (zone.offset(mid) === previous) lo = mid;
          else hi = mid;
        }
        const local = (offsetMinutes: number) =>
          (((hi / MINUTE + offsetMinutes) % 1440) + 1440) % 1440;
        // Forward: the local times from the old clock to the new one are skipped;
        // back: those from the new clock to the old one happen twice.
        const first = offset > previous ? local(previous) : local(offset);
        for (let i = 0; i < Math.abs(offset - previous); i++) {
          const minute = (first + i) % 1440;
          if (!mayFallInTransition(minute)) outside.push(`${name} ${minute}`);
        }
        previous = offset;
      }
      // The days validation finds them on, sampling a week apart.
      const found = new ZoneClock(name).changeDays(
        Date.UTC(2026, 0, 2) / DAY,
        Date.UTC(2028, 0, 1) / DAY,
      );
      if (found.join() !== changeDays.join())
        outside.push(`${name}: found ${found}, not ${changeDays}`);
    }
    expect(outside).toEqual([]);
  }, 60_000);

  test("the clock changes of the years validation checks are all found, in zones with every kind of rule", () => {
    const from = Date.UTC(2026, 0, 1) / DAY;
    const until = from + Math.ceil(CLOCK_CHECK_YEARS * 365.25);
    const zones = [
      ["Europe/Berlin", "last Sundays"],
      ["America/New_York", "second and first Sundays"],
      ["Australia/Lord_Howe", "half an hour"],
      ["Pacific/Chatham", "at 02:45"],
      ["America/Santiago", "at midnight"],
      ["Africa/Casablanca", "around Ramadan"],
      ["Asia/Gaza", "around Ramadan, on Saturdays"],
      ["Asia/Jerusalem", "the Friday before the last Sunday"],
      ["Africa/Cairo", "last Friday, last Thursday"],
      ["Antarctica/Troll", "two hours"],
      ["Europe/Dublin", "winter time is the change"],
      ["America/Scoresbysund", "rules changed in 2024"],
      ["Asia/Tokyo", "no changes"],
    ];
    for (const [name, why] of zones) {
      const zone = IANAZone.create(name as string);
      // Day by day: each day whose noon (UTC) has another offset than the day before.
      const expected: number[] = [];
      let previous = zone.offset((from - 1) * DAY + DAY / 2);
      for (let day = from; day < until; day++) {
        const offset = zone.offset(day * DAY + DAY / 2);
        if (offset !== previous) expected.push(day);
        previous = offset;
      }
      expect(new ZoneClock(name as string).changeDays(from, until), `${name}: ${why}`).toEqual(
        expected,
      );
    }
  });
});
