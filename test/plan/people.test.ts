import { describe, expect, test } from "vitest";
import { toDay } from "../../src/core/dates.ts";
import { resolveTeam } from "../../src/core/plan/people.ts";
import { roster } from "../helpers/roster.ts";

describe("a person's time away, as the planner sees it", () => {
  const team = resolveTeam(
    roster({
      people: [
        { id: "none", name: "None" },
        {
          id: "one",
          name: "One",
          away: [{ from: "2026-12-01", to: "2026-12-05", reason: "holiday" }],
        },
        { id: "day", name: "Day", away: [{ from: "2026-12-24" }] },
        {
          id: "many",
          name: "Many",
          away: [
            { from: "2027-01-10", to: "2027-01-12" },
            { from: "2026-12-01", to: "2026-12-03", reason: "holiday" },
            { from: "2026-12-04", to: "2026-12-06" },
          ],
        },
      ],
    }),
  );
  const away = (id: string) => team.byId.get(id)?.away;

  test("one range: its days, with its reason when it has one; a single day without `to`", () => {
    expect(away("none")).toEqual([]);
    expect(away("one")).toStrictEqual([
      { from: toDay("2026-12-01"), to: toDay("2026-12-05"), reason: "holiday" },
    ]);
    expect(away("day")).toStrictEqual([{ from: toDay("2026-12-24"), to: toDay("2026-12-24") }]);
    expect(Object.keys(away("day")?.[0] ?? {})).toEqual(["from", "to"]);
  });

  test("several ranges: sorted, and those that touch merged", () => {
    expect(away("many")).toStrictEqual([
      { from: toDay("2026-12-01"), to: toDay("2026-12-06"), reason: "holiday" },
      { from: toDay("2027-01-10"), to: toDay("2027-01-12") },
    ]);
  });

  test("everyone found by id, in roster order", () => {
    expect([...team.byId.keys()]).toEqual(["none", "one", "day", "many"]);
  });
});
