import { IANAZone } from "luxon";
import { describe, expect, test } from "vitest";
import { mayFallInTransition } from "../../src/core/roster/formats.ts";
import { ZONE_NAMES } from "../../src/core/zones.generated.ts";

const DAY = 86_400_000;
const MINUTE = 60_000;

describe("clock changes happen only in the window validation checks", () => {
  test("every zone, 2026 and 2027: skipped and repeated local times are inside it", () => {
    const outside: string[] = [];
    for (const name of ZONE_NAMES) {
      const zone = IANAZone.create(name);
      if (!zone.isValid) continue;
      let previous = zone.offset(Date.UTC(2026, 0, 1, 12));
      for (let noon = Date.UTC(2026, 0, 2, 12); noon < Date.UTC(2028, 0, 1); noon += DAY) {
        const offset = zone.offset(noon);
        if (offset === previous) continue;
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
    }
    expect(outside).toEqual([]);
  }, 60_000);
});
