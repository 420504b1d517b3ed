import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Holidays from "date-holidays";
import { describe, expect, test } from "vitest";
import { fromDay, toDay, weekday } from "../../src/core/dates.ts";
import { ClosedDays, closedDay } from "../../src/core/plan/holidays.ts";
import { listOccurrences } from "../../src/core/plan/occurrences.ts";
import { resolveShift } from "../../src/core/plan/shifts.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import { parseRoster } from "../../src/core/roster/parse.ts";
import { ROOT, rota } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

// One company, four desks: Berlin and Chicago close on their own public
// holidays, "always" never closes, and "emea" has no holidays of its own, so
// it follows the roster's (Germany's national holidays, no region).
const ROSTER = `version: 1
team: Acme
timezone: Europe/Berlin
holidays:
  country: DE
shifts:
  - id: berlin
    days: [mon, tue, wed, thu, fri]
    start: "09:00"
    end: "17:00"
    holidays: { country: DE, region: BE }
    seats:
      - role: any
  - id: chicago
    days: [mon, tue, wed, thu, fri]
    start: "09:00"
    end: "17:00"
    timezone: America/Chicago
    holidays: { country: US, region: IL }
    seats:
      - role: any
  - id: always
    days: [mon, tue, wed, thu, fri]
    all_day: true
    holidays: {}
    seats:
      - role: any
  - id: emea
    days: [mon, tue, wed, thu, fri]
    start: "08:00"
    end: "16:00"
    seats:
      - role: any
people:
  - id: ada
    name: Ada Lovelace
`;

function read(text: string): Roster {
  const { roster, problems } = parseRoster(text, "roster.yaml");
  if (!roster) throw new Error(JSON.stringify(problems));
  return roster;
}

/** The shifts that run on each date, per `listOccurrences` over [from, until). */
function runs(roster: Roster, from: string, until: string): Map<string, string[]> {
  const shifts = roster.shifts.map((shift) => resolveShift(shift, roster.timezone));
  const byDate = new Map<string, string[]>();
  for (const o of listOccurrences(shifts, new ClosedDays(roster), toDay(from), toDay(until))) {
    byDate.set(o.date, [...(byDate.get(o.date) ?? []), o.shift.id].sort());
  }
  return byDate;
}

const roster = read(ROSTER);
const twoYears = runs(roster, "2026-01-01", "2028-01-01");
const on = (date: string) => twoYears.get(date) ?? [];

describe("holidays per shift: a shift's own holidays replace the roster's", () => {
  test("an ordinary weekday: every desk runs", () => {
    expect(on("2027-03-25")).toEqual(["always", "berlin", "chicago", "emea"]);
  });

  test("Good Friday and Easter Monday 2027 close Berlin (and the roster's desks), not Chicago", () => {
    expect(on("2027-03-26")).toEqual(["always", "chicago"]);
    expect(on("2027-03-29")).toEqual(["always", "chicago"]);
  });

  test("Thanksgiving and Juneteenth close Chicago only", () => {
    expect(on("2026-11-26")).toEqual(["always", "berlin", "emea"]);
    expect(on("2026-06-19")).toEqual(["always", "berlin", "emea"]);
    // 2027-06-19 is a Saturday: Illinois closes on the Friday before.
    expect(on("2027-06-18")).toEqual(["always", "berlin", "emea"]);
  });

  test("a region's holiday closes only the desk in that region", () => {
    // International Women's Day is a public holiday in Berlin, not in all of Germany.
    expect(on("2027-03-08")).toEqual(["always", "chicago", "emea"]);
  });

  test("a day both countries close: only the desk without holidays runs", () => {
    expect(on("2026-12-25")).toEqual(["always"]);
    expect(on("2027-01-01")).toEqual(["always"]);
  });

  test("holidays: {} runs on every listed weekday, public holidays included", () => {
    const weekdays: string[] = [];
    for (let day = toDay("2026-01-01"); day < toDay("2028-01-01"); day++) {
      if (!["sat", "sun"].includes(weekday(day))) weekdays.push(fromDay(day));
    }
    const always = [...twoYears].filter(([, ids]) => ids.includes("always")).map(([d]) => d);
    expect(always).toEqual(weekdays);
  });

  test("a shift without holidays follows the roster's, and so does the roster-wide answer", () => {
    const closed = new ClosedDays(roster);
    for (let day = toDay("2026-01-01"); day < toDay("2028-01-01"); day++) {
      expect(closed.reason(day, "emea")).toBe(closed.reason(day));
    }
    // With no holidays at the top, such a shift never closes.
    const { holidays: _, ...withoutHolidays } = roster;
    expect(runs(withoutHolidays, "2026-12-21", "2026-12-28").get("2026-12-25")).toEqual([
      "always",
      "emea",
    ]);
  });

  test("ClosedDays says why a day is closed for each shift", () => {
    const closed = new ClosedDays(roster);
    const goodFriday = toDay("2027-03-26");
    expect(closed.reason(goodFriday, "berlin")).toBe("public holiday: Good Friday");
    expect(closed.reason(goodFriday)).toBe("public holiday: Good Friday");
    expect(closed.reason(goodFriday, "chicago")).toBeUndefined();
    expect(closed.reason(goodFriday, "always")).toBeUndefined();
    const thanksgiving = toDay("2026-11-26");
    expect(closed.reason(thanksgiving, "chicago")).toBe("public holiday: Thanksgiving Day");
    expect(closed.reason(thanksgiving, "berlin")).toBeUndefined();
    expect(closed.reason(thanksgiving)).toBeUndefined();
    // A shift the roster does not have gets the roster's holidays.
    expect(closed.reason(goodFriday, "apac")).toBe("public holiday: Good Friday");
  });
});

describe("a shift's own dates", () => {
  const withDates = read(
    ROSTER.replace(
      "holidays: { country: US, region: IL }",
      "holidays: { country: US, region: IL, dates: [2026-11-27, 2026-11-26] }",
    ).replace("holidays: {}", "holidays: { dates: [2026-12-24] }"),
  );
  const closed = new ClosedDays(withDates);

  test("close that shift only", () => {
    const byDate = runs(withDates, "2026-11-23", "2027-01-01");
    expect(byDate.get("2026-11-27")).toEqual(["always", "berlin", "emea"]);
    expect(byDate.get("2026-12-24")).toEqual(["berlin", "chicago", "emea"]);
    expect(closed.reason(toDay("2026-12-24"), "always")).toBe("closed (holidays.dates)");
    expect(closed.reason(toDay("2026-12-24"))).toBeUndefined();
  });

  test("replace the country too: dates alone close no public holiday", () => {
    expect(closed.reason(toDay("2026-12-25"), "always")).toBeUndefined();
  });

  test("name the dates as the reason when a public holiday falls on one", () => {
    expect(closed.reason(toDay("2026-11-26"), "chicago")).toBe("closed (holidays.dates)");
    expect(closed.reason(toDay("2026-11-27"), "chicago")).toBe("closed (holidays.dates)");
  });
});

/**
 * Each public holiday's day and name as date-holidays gives them with its
 * defaults (each dated in the country's own time zone), the first of a day's
 * winning, as ClosedDays reads them.
 */
function publicHolidays(country: string, region: string | undefined, years: number[]) {
  const options = { languages: ["en"], types: ["public" as const] };
  const holidays = region ? new Holidays(country, region, options) : new Holidays(country, options);
  const byDay = new Map<string, string>();
  for (const year of years) {
    for (const holiday of holidays.getHolidays(year, "en") ?? []) {
      const day = holiday.date.slice(0, 10);
      if (holiday.type === "public" && !byDay.has(day)) byDay.set(day, holiday.name);
    }
  }
  return byDay;
}

describe("every country's and region's public holidays", () => {
  // ClosedDays reads them without a time zone (loading no zone data): the
  // same days and names as date-holidays gives placing them in the country's.
  const listing = new Holidays();
  const places: [string, string | undefined][] = [];
  for (const country of Object.keys(listing.getCountries("en"))) {
    places.push([country, undefined]);
    for (const region of Object.keys(listing.getStates(country, "en") ?? {})) {
      places.push([country, region]);
    }
  }

  test("close the days date-holidays gives, for the reasons it gives", () => {
    expect(places.length).toBeGreaterThan(500);
    const base = read(ROSTER);
    for (const [country, region] of places) {
      const closed = new ClosedDays({
        ...base,
        holidays: { country, ...(region ? { region } : {}) },
        shifts: base.shifts.filter((shift) => shift.id === "emea"),
      });
      const expected = publicHolidays(country, region, [2027, 2028]);
      const found = new Map<string, string>();
      for (let day = toDay("2027-01-01"); day < toDay("2029-01-01"); day++) {
        const reason = closed.reason(day);
        if (reason) found.set(fromDay(day), reason.replace(/^public holiday: /, ""));
      }
      expect(found, `${country} ${region ?? ""}`).toEqual(expected);
    }
  });

  test("whatever the machine's own time zone, clocks changing at midnight included", () => {
    // date-holidays without a zone works in local times: it must give the
    // same days and names where those times do not exist, or happen twice.
    const script = `
      const Holidays = require("date-holidays");
      const listing = new Holidays();
      const options = { languages: ["en"], types: ["public"] };
      const days = (holidays, year) => {
        const byDay = new Map();
        for (const h of holidays.getHolidays(year, "en") || []) {
          const day = h.date.slice(0, 10);
          if (h.type === "public" && !byDay.has(day)) byDay.set(day, h.name);
        }
        return JSON.stringify([...byDay]);
      };
      let differ = [];
      for (const country of Object.keys(listing.getCountries("en"))) {
        const zoned = new Holidays(country, options);
        const local = new Holidays(country, options);
        local.setTimezone(undefined);
        for (const year of [2026, 2027, 2028]) {
          if (days(zoned, year) !== days(local, year)) differ.push(country + " " + year);
        }
      }
      console.log(JSON.stringify(differ));
    `;
    for (const zone of ["America/Santiago", "America/Havana", "Australia/Lord_Howe"]) {
      const result = spawnSync(process.execPath, ["-e", script], {
        cwd: ROOT,
        env: { ...process.env, TZ: zone },
        encoding: "utf8",
      });
      expect(result.stderr, zone).toBe("");
      expect(JSON.parse(result.stdout), zone).toEqual([]);
    }
    // Every country's holidays, three years, twice, in three zones: half a
    // minute alone on a busy machine.
  }, 120_000);
});

describe("the built rota reads each country's holidays as date-holidays gives them", () => {
  test("each country's data, and the rest, read back whole from JSON text, as the build keeps them", async () => {
    const { data } = (await import("date-holidays/data" as string)) as {
      data: Record<string, unknown> & { holidays: Record<string, unknown> };
    };
    expect(Object.keys(data.holidays).length).toBeGreaterThan(200);
    for (const [key, value] of [...Object.entries(data.holidays), ...Object.entries(data)]) {
      expect(JSON.parse(JSON.stringify(value)), key).toStrictEqual(value);
    }
    // One file for each country in dist/holidays/, as the build wrote it.
    const dir = path.join(ROOT, "dist", "holidays");
    expect(readdirSync(dir).sort()).toEqual(
      Object.keys(data.holidays)
        .map((code) => `${code}.json`)
        .sort(),
    );
    for (const [code, value] of Object.entries(data.holidays)) {
      expect(JSON.parse(readFileSync(path.join(dir, `${code}.json`), "utf8")), code).toStrictEqual(
        value,
      );
    }
  });

  // The bundle keeps each country's data in a file of its own, read when
  // first asked for, and places an equinox or a solstice with Intl in place of
  // moment-timezone (scripts/moment-for-holidays.cjs): Japan's at +09:00,
  // Chile's in America/Santiago, Taiwan's in GMT.
  test("Japan and Chile (equinoxes, solstices), Taiwan, Israel (the Hebrew calendar) and California", async () => {
    const dir = tempDir();
    const shift = (id: string, holidays: string) =>
      `  - id: ${id}\n    days: [mon, tue, wed, thu, fri, sat, sun]\n    all_day: true\n    holidays: ${holidays}\n    seats:\n      - role: any\n`;
    writeFileSync(
      path.join(dir, "roster.yaml"),
      [
        "version: 1",
        "team: Acme",
        "timezone: Asia/Tokyo",
        "horizon_weeks: 104",
        "holidays:",
        "  country: JP",
        "shifts:",
        shift("tokyo", "{ country: JP }").trimEnd(),
        shift("jerusalem", "{ country: IL }").trimEnd(),
        shift("sacramento", "{ country: US, region: CA }").trimEnd(),
        shift("santiago", "{ country: CL }").trimEnd(),
        shift("taipei", "{ country: TW }").trimEnd(),
        "people:",
        ...["ada", "grace", "hedy", "joan"].map((id) => `  - { id: ${id}, name: ${id} }`),
        "",
      ].join("\n"),
    );
    const result = await rota(["plan", "--json", "--dry-run"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-12-28T00:00:00Z" },
    });
    expect(result.stderr).not.toContain("rota:");
    const { shifts } = JSON.parse(result.stdout) as { shifts: { date: string; shift: string }[] };
    const from = "2027-01-01";
    const until = "2028-12-01";
    for (const [id, country, region] of [
      ["tokyo", "JP", undefined],
      ["jerusalem", "IL", undefined],
      ["sacramento", "US", "CA"],
      ["santiago", "CL", undefined],
      ["taipei", "TW", undefined],
    ] as const) {
      const open = new Set(shifts.filter((s) => s.shift === id).map((s) => s.date));
      const closed: string[] = [];
      for (let day = toDay(from); day < toDay(until); day++) {
        if (!open.has(fromDay(day))) closed.push(fromDay(day));
      }
      const expected = [...publicHolidays(country, region, [2027, 2028]).keys()].filter(
        (day) => day >= from && day < until,
      );
      expect(closed, id).toEqual(expected);
      expect(closed.length, id).toBeGreaterThan(8);
    }
  });
});

describe("a closed day, said in a sentence", () => {
  test("names the holiday, or the roster's list, once", () => {
    expect(closedDay("closed (holidays.dates)")).toBe("the day is closed (holidays.dates)");
    expect(closedDay("Christmas Day")).toBe("the day is closed (Christmas Day)");
  });
});
