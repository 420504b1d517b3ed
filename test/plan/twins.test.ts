import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Board, PersonState } from "../../src/core/plan/board.ts";
import type { Member } from "../../src/core/plan/people.ts";
import { planRota } from "../../src/core/plan/planner.ts";
import { alike, twinGroups } from "../../src/core/plan/twins.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";
import { violations } from "../helpers/invariants.ts";

/** What the planner compares of a person, in words. */
function words(state: PersonState): string {
  const m = state.member;
  const away = m.away.map((a) => `${a.from}-${a.to}`).join(",");
  return `${m.pool}|${m.weight}|${m.joined}|${m.left}|${state.since}|${away}|${m.gapDays}|${m.quotaText}|${state.newcomer}`;
}

/** The groups as the planner defines them: people whose fields read the same in words. */
function byWords(people: readonly PersonState[]): PersonState[][] {
  const groups = new Map<string, PersonState[]>();
  for (const state of people) {
    const key = words(state);
    const group = groups.get(key);
    if (group) group.push(state);
    else groups.set(key, [state]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

// Few values for each field, so that most people have twins, some in several groups.
const FIELDS = {
  pool: fc.constantFrom(0, 1),
  weight: fc.constantFrom(1, 0.5, 0, -0, 0.1 + 0.2, 0.3),
  joined: fc.constantFrom(undefined, 20_000, 20_001),
  left: fc.constantFrom(undefined, 20_400),
  // The day someone added after the schedule began is counted from.
  since: fc.constantFrom(undefined, 20_010, 20_017),
  away: fc.constantFrom(
    [],
    [{ from: 20_100, to: 20_104 }],
    [{ from: 20_100, to: 20_105 }],
    [
      { from: 20_100, to: 20_104 },
      { from: 20_200, to: 20_201 },
    ],
  ),
  gapDays: fc.constantFrom(0, 2, 14),
  quotaText: fc.constantFrom(undefined, "1 year", "1 month"),
  newcomer: fc.boolean(),
};
const personArb = fc.record(FIELDS);

type Fields = typeof personArb extends fc.Arbitrary<infer T> ? T : never;

function states(list: readonly Fields[]): PersonState[] {
  return list.map(
    ({ newcomer, since, ...fields }, index): PersonState =>
      ({
        member: { ...fields, index, id: `p${index}` } as unknown as Member,
        newcomer,
        ...(since === undefined ? {} : { since }),
        history: 0,
        planned: 0,
      }) as unknown as PersonState,
  );
}

describe("twins: people alike in everything the planner sees", () => {
  it("two people are alike exactly when their fields read the same", () => {
    fc.assert(
      // The second person: the first with a few fields from someone else (often the same values).
      fc.property(
        personArb,
        personArb,
        fc.subarray(Object.keys(FIELDS) as (keyof Fields)[]),
        (a, c, taken) => {
          const b: Fields = { ...a };
          for (const field of taken) (b as Record<string, unknown>)[field] = c[field];
          const [x, y] = states([a, b]) as [PersonState, PersonState];
          expect(alike(x, y)).toBe(words(x) === words(y));
        },
      ),
      { numRuns: RUNS * 5, seed: SEED },
    );
    // Two NaNs read the same, though they are not equal.
    const one: Fields = {
      pool: 0,
      weight: Number.NaN,
      joined: undefined,
      left: undefined,
      since: undefined,
      away: [],
      gapDays: 0,
      quotaText: undefined,
      newcomer: false,
    };
    const [x, y] = states([one, { ...one }]) as [PersonState, PersonState];
    expect(alike(x, y)).toBe(true);
  });

  it("are the groups of people whose fields read the same, in the order of their first person", () => {
    fc.assert(
      fc.property(fc.array(personArb, { maxLength: 60 }), (list) => {
        const people = states(list);
        expect(twinGroups({ people } as unknown as Board)).toEqual(byWords(people));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe("twins evened out where one would always sit beside the others", () => {
  // Four alike pros, a desk of three seats twice a week and an all-day desk of
  // one that overlaps it the days around: whoever is not at the big desk
  // takes the small one on both sides of it, every time, unless the two
  // swap their seats for a stretch of days.
  const file = path.join(
    import.meta.dirname,
    "..",
    "fixtures",
    "plan-twins",
    "one-sits-out-the-big-desk-every-time.json",
  );
  const { roster, now, twins } = JSON.parse(readFileSync(file, "utf8")) as {
    roster: Roster;
    now: number;
    twins: string[];
  };

  it("ends them within one shift of each other, and planning again keeps it", () => {
    const first = planRota({ roster, previous: { entries: [] }, now });
    const count = (id: string) =>
      first.schedule.entries.filter((e) => e.people.includes(id)).length;
    const counts = twins.map(count);
    expect(Math.max(...counts) - Math.min(...counts), counts.join(" ")).toBeLessThanOrEqual(1);
    expect(violations(roster, first, now)).toEqual([]);
    const again = planRota({ roster, previous: first.schedule, now });
    expect(again.changes).toEqual([]);
  });
});
