import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { toDay } from "../../src/core/dates.ts";
import { stableHash } from "../../src/core/hash.ts";
import { inListedOrder, resolveTeam } from "../../src/core/plan/people.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";
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

describe("items in the roster's order of their people", () => {
  test("come as a stable sort by each person's place in the roster would put them", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,3}$/), { minLength: 1, maxLength: 30 }),
        fc.array(fc.record({ person: fc.nat(40), tag: fc.nat() }), { maxLength: 60 }),
        (ids, items) => {
          const team = resolveTeam(roster({ people: ids.map((id) => ({ id, name: id })) }));
          // Persons past the roster's end are someone not listed.
          const memberOf = (item: { person: number }) => team.byId.get(ids[item.person] ?? "");
          const at = new Map(team.listed.map((member, i) => [member, i]));
          const rank = (item: { person: number }) => {
            const member = memberOf(item);
            return member ? (at.get(member) ?? 0) : 0;
          };
          const expected = [...items].sort((a, b) => rank(a) - rank(b));
          expect(inListedOrder(items, team.listed, memberOf)).toEqual(expected);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe("the planner's canonical order of people", () => {
  test("is by the stable hash of the id, then by id, whatever the roster's order", () => {
    // p2039599 and p2222382 share a hash, as do p2039598 and p2222383.
    const shared = ["p2222382", "p2039599", "p2222383", "p2039598"];
    expect(stableHash("p2039599")).toBe(stableHash("p2222382"));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(fc.constantFrom(...shared), fc.stringMatching(/^[a-z0-9]{1,4}$/)), {
          maxLength: 40,
        }),
        (ids) => {
          const team = resolveTeam(roster({ people: ids.map((id) => ({ id, name: id })) }));
          const expected = [...ids].sort(
            (a, b) => stableHash(a) - stableHash(b) || (a < b ? -1 : 1),
          );
          expect(team.members.map((member) => member.id)).toEqual(expected);
          expect(team.members.map((member) => member.index)).toEqual(ids.map((_, i) => i));
          expect(team.listed.map((member) => member.id)).toEqual(ids);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
