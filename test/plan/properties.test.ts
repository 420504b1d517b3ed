import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fromDay, toDay } from "../../src/core/dates.ts";
import { planRota } from "../../src/core/plan/planner.ts";
import type { Person } from "../../src/core/roster/model.ts";
import { renderSchedule } from "../../src/core/schedule/schedule.ts";
import { personArb, RUNS, SEED, scenarioArb } from "../helpers/arbitraries.ts";
import { counts, violations } from "../helpers/invariants.ts";

const DAY = 86_400_000;
const options = { numRuns: RUNS, seed: SEED, endOnFailure: true };

/**
 * Why `giver` lost a seat in a change, as its reasons say: a move of theirs for a
 * quota turn, for min_gap_days, for a turn beside a swap, or for fairness to
 * someone more than a shift further below their share (shown to a tenth: 1.0
 * apart may be more than one); undefined where none says so.
 */
function whyMoved(reasons: readonly string[], giver: string): string | undefined {
  for (const r of reasons) {
    if (!r.startsWith(`moved from ${giver} to `)) continue;
    if (/owed a turn in the period|a turn they owed, beside it|min_gap_days held for/.test(r)) {
      return "rule";
    }
    const apart = /: \S+ is ([0-9.]+) (above|below) their share, \S+ ([0-9.]+) (above|below)/.exec(
      r,
    );
    if (!apart) continue;
    const from = Number(apart[1]) * (apart[2] === "above" ? 1 : -1);
    const to = Number(apart[3]) * (apart[4] === "above" ? 1 : -1);
    if (from - to >= 0.95) return "fair";
  }
  return undefined;
}

describe("planner properties over generated rosters", () => {
  test("coverage or a reported gap; availability, roles, overlaps and gaps hold", () => {
    fc.assert(
      fc.property(scenarioArb, ({ roster, now }) => {
        const plan = planRota({ roster, previous: { entries: [] }, now });
        expect(violations(roster, plan, now)).toEqual([]);
      }),
      options,
    );
  });

  test("determinism: the same inputs give byte-identical schedules", () => {
    fc.assert(
      fc.property(scenarioArb, ({ roster, now }) => {
        const a = planRota({ roster, previous: { entries: [] }, now });
        const b = planRota({ roster, previous: { entries: [] }, now });
        expect(renderSchedule(b.schedule)).toBe(renderSchedule(a.schedule));
        const again = planRota({ roster, previous: a.schedule, now });
        expect(renderSchedule(again.schedule)).toBe(renderSchedule(a.schedule));
      }),
      options,
    );
  });

  test("fairness: each person's shifts are their seats on the window's days, in any window", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(20), fc.nat(20), ({ roster, now }, skip, length) => {
        const plan = planRota({ roster, previous: { entries: [] }, now });
        const windows: [number, number][] = [
          [plan.from, plan.until],
          [plan.from + skip, plan.from + skip + length],
        ];
        for (const [from, until] of windows) {
          const seats = new Map<string, number>();
          for (const entry of plan.schedule.entries) {
            const day = toDay(entry.date);
            if (day < from || day >= until) continue;
            for (const id of entry.people) seats.set(id, (seats.get(id) ?? 0) + 1);
          }
          const rows =
            from === plan.from && until === plan.until
              ? plan.fairness
              : plan.fairnessFor(from, until);
          expect(rows.map((row) => row.id)).toEqual(roster.people.map((person) => person.id));
          for (const row of rows) expect(row.shifts, row.id).toBe(seats.get(row.id) ?? 0);
        }
      }),
      options,
    );
  });

  test("fairness: the shares add up to the seats filled, wherever no seat was left open", () => {
    fc.assert(
      fc.property(scenarioArb, ({ roster, now }) => {
        const plan = planRota({ roster, previous: { entries: [] }, now });
        if (plan.gaps.length > 0) return;
        let shifts = 0;
        let owed = 0;
        for (const row of plan.fairness) {
          shifts += row.shifts;
          owed += row.expected;
        }
        // However min_gap_days binds, no seat filled is left out of everyone's share.
        expect(owed).toBeCloseTo(shifts, 3);
      }),
      options,
    );
  });

  test("fairness: identical people differ by at most one shift (two where shifts overlap)", () => {
    fc.assert(
      fc.property(scenarioArb, ({ roster, now, clones }) => {
        const plan = planRota({ roster, previous: { entries: [] }, now });
        const c = counts(plan);
        const values = clones.map((id) => c.get(id) ?? 0);
        // Where shifts overlap in time, one person can take two short shifts
        // while another takes the long one beside them; the planner evens it
        // out, but within one is not always reachable.
        const entries = plan.schedule.entries.map((e) => [Date.parse(e.start), Date.parse(e.end)]);
        const overlap = entries.some(([s1, e1], i) =>
          entries.some(
            ([s2, e2], j) =>
              i < j && (s1 as number) < (e2 as number) && (s2 as number) < (e1 as number),
          ),
        );
        // Where the team also cannot fill every seat and shifts overlap around
        // the clock, coverage comes first: whoever is free takes the seat, and
        // the evening out cannot always undo it (a known limit, in docs/plan.md).
        if (overlap && plan.gaps.length > 0) return;
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(overlap ? 2 : 1);
      }),
      options,
    );
  });

  test("the order of people in the roster changes no seat, fresh or replanned", () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) =>
          fc.record({
            s: fc.constant(s),
            people: fc.shuffledSubarray(s.roster.people, {
              minLength: s.roster.people.length,
              maxLength: s.roster.people.length,
            }),
            hours: fc.integer({ min: 0, max: 10 * 24 }),
          }),
        ),
        ({ s: { roster, now }, people, hours }) => {
          // A pull request that only re-sorts the roster: the same schedule.
          const sorted = { ...roster, people };
          const fresh = planRota({ roster, previous: { entries: [] }, now });
          const resorted = planRota({ roster: sorted, previous: { entries: [] }, now });
          expect(resorted.schedule.entries).toEqual(fresh.schedule.entries);
          // And a replan after someone was added (the first, so a newcomer
          // may be the one), later on.
          const before = planRota({
            roster: { ...roster, people: roster.people.slice(1) },
            previous: { entries: [] },
            now,
          });
          const later = now + hours * 3_600_000;
          const replanned = planRota({ roster, previous: before.schedule, now: later });
          const replannedSorted = planRota({
            roster: sorted,
            previous: before.schedule,
            now: later,
          });
          expect(replannedSorted.schedule).toEqual(replanned.schedule);
        },
      ),
      options,
    );
  });

  test("the past is never rewritten", () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 30 * 24 }), ({ roster, now }, hours) => {
        const first = planRota({ roster, previous: { entries: [] }, now });
        const later = now + hours * 3_600_000;
        const second = planRota({ roster, previous: first.schedule, now: later });
        const byId = new Map(second.schedule.entries.map((e) => [e.id, e]));
        for (const entry of first.schedule.entries) {
          if (Date.parse(entry.start) < later) expect(byId.get(entry.id)).toEqual(entry);
        }
        expect(violations(roster, second, later)).toEqual([]);
      }),
      options,
    );
  });

  test("adding a person changes the seats that person takes, and others only as said", () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) =>
          fc.record({
            s: fc.constant(s),
            person: personArb(
              "added",
              Math.floor(s.now / DAY),
              s.roster.shifts.map((x) => x.id),
            ),
          }),
        ),
        ({ s: { roster, now }, person }) => {
          const first = planRota({ roster, previous: { entries: [] }, now });
          const added = { ...roster, people: [...roster.people, person] };
          const second = planRota({ roster: added, previous: first.schedule, now });
          let others = 0;
          for (const change of second.changes) {
            const before = change.before ?? [];
            const after = change.after ?? [];
            const gained = after.filter((p) => !before.includes(p));
            const dropped = before.filter((p) => !after.includes(p));
            // Whoever a reason says serves instead of someone is the one on the seat.
            for (const reason of change.reasons) {
              const instead = /^(\S+) serves instead of (\S+),/.exec(reason);
              if (instead) expect(change.after, reason).toContain(instead[1]);
            }
            const newcomers =
              second.choices.get(change.id)?.filter((c) => c.how === "newcomer" || c.how === "pair")
                .length ?? 0;
            // Each seat lost is said: someone made way for a seat left open (coverage
            // first), gave it up as a newcomer's first shift or pair came within
            // min_gap_days of it, or a move of theirs for a rule (quota, gap) or for fairness.
            const unsaid = dropped.filter(
              (p) =>
                !change.reasons.some(
                  (r) =>
                    r.includes(`instead of ${p}, who fills a seat nobody free could`) ||
                    r.startsWith(`${p} serves beside a newcomer on `) ||
                    r.startsWith(`newcomer ${p}'s first shift is now `),
                ) && whyMoved(change.reasons, p) === undefined,
            );
            if (!gained.includes("added") && newcomers === 0 && dropped.length > 0) others++;
            // The one cascade: the new person can be the pair waiting newcomers
            // needed, so their first shifts (or seats left open) are filled; each
            // newcomer, and a pair brought beside one, takes at most one seat from someone;
            // the added person takes one seat of an occurrence.
            const takes = gained.includes("added") ? 1 : 0;
            expect(unsaid.length, change.id).toBeLessThanOrEqual(Math.max(takes, newcomers));
          }
          // The added person's share comes out of everyone else's, and a seat they take
          // can free someone to take another: as in any plan, a bounded number of seats
          // move for quota turns and fairness past the freeze window, each said: no more
          // than one for each seat they took (those who gave them taking one back, as
          // someone who may serve only where one other does takes many of theirs) and one per person.
          const took = second.changes.filter(
            (c) => c.after?.includes("added") && !c.before?.includes("added"),
          ).length;
          expect(others).toBeLessThanOrEqual(took + added.people.length);
          expect(violations(added, second, now)).toEqual([]);
        },
      ),
      options,
    );
  });

  test("a newcomer added after a plan gets a first shift wherever a pro is free beside them in their window", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 3, max: 10 }),
        fc.integer({ min: 2, max: 4 }),
        ({ roster: generated, now }, within, after) => {
          const today = Math.floor(now / DAY);
          // Nobody else awaits a first shift (no joining dates), so the added person's is the only one placed.
          const roster = {
            ...generated,
            rules: {
              ...generated.rules,
              newcomers: { first_shift_within_days: within, pair_with: "pro" },
            },
            people: generated.people.map(({ joined: _j, left: _l, ...person }) => person),
          };
          const first = planRota({ roster, previous: { entries: [] }, now });
          const joined = today + after;
          const added = {
            ...roster,
            people: [...roster.people, { id: "added", name: "Added", joined: fromDay(joined) }],
          };
          const second = planRota({ roster: added, previous: first.schedule, now });
          const isPro = (p: Person) => p.roles?.includes("pro") === true || p.team === "support";
          const free = (p: Person, day: number) =>
            [day - 1, day, day + 1].every(
              (d) =>
                (!p.joined || toDay(p.joined) <= d) &&
                (!p.left || toDay(p.left) >= d) &&
                !(p.away ?? []).some((a) => toDay(a.from) <= d && d <= toDay(a.to ?? a.from)),
            );
          // An occurrence of the window, all seats filled by nobody a newcomer must not move,
          // no pro on it, an `any` seat for the newcomer and another for a pro who is free then.
          const witness = first.schedule.entries.find((entry) => {
            const day = toDay(entry.date);
            if (day < joined || day >= joined + within || Date.parse(entry.start) <= now)
              return false;
            const shift = roster.shifts.find((x) => x.id === entry.shift);
            const roles = shift?.seats.map((seat) => seat.role) ?? [];
            if (entry.open || roles.length < 2 || !roles.includes("any")) return false;
            if (entry.how?.some((how) => how === "swap" || how === "newcomer" || how === "pair"))
              return false;
            if (entry.people.some((id) => isPro(roster.people.find((p) => p.id === id) as Person)))
              return false;
            const start = Date.parse(entry.start);
            const end = Date.parse(entry.end);
            return roster.people.some(
              (p) =>
                isPro(p) &&
                free(p, day) &&
                (!p.shifts || p.shifts.includes(entry.shift)) &&
                !first.schedule.entries.some(
                  (e) =>
                    e.people.includes(p.id) &&
                    Date.parse(e.start) < end &&
                    start < Date.parse(e.end),
                ),
            );
          });
          fc.pre(witness !== undefined);
          const firstShift = second.schedule.entries.find((entry) => {
            const day = toDay(entry.date);
            return day >= joined && day < joined + within && entry.people.includes("added");
          });
          expect(
            second.warnings.map((w) => w.message).filter((m) => m.includes("newcomer added")),
          ).toEqual([]);
          const beside = firstShift?.people.filter((id) => id !== "added") ?? [];
          expect(beside.some((id) => isPro(added.people.find((p) => p.id === id) as Person))).toBe(
            true,
          );
          expect(violations(added, second, now)).toEqual([]);
        },
      ),
      // Most generated rosters have no such occurrence: a quarter of the runs still checks 50.
      { ...options, numRuns: Math.ceil(RUNS / 4) },
    );
  });

  test("removing a person changes their seats, and moves only a few more, each said", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ roster, now }, pick) => {
        const first = planRota({ roster, previous: { entries: [] }, now });
        const removed = roster.people[pick % roster.people.length]?.id as string;
        const without = { ...roster, people: roster.people.filter((p) => p.id !== removed) };
        const second = planRota({ roster: without, previous: first.schedule, now });
        const theirs = first.schedule.entries.filter((e) => e.people.includes(removed)).length;
        const moved = new Map(second.moves.map((move) => [move.id, move]));
        for (const change of second.changes) {
          const added = (change.after ?? []).filter((p) => !change.before?.includes(p));
          // A newcomer whose pair was the person removed gets a first shift where
          // a pair can come: that moves them, and whoever's seat they (and the
          // pair) take, or their own seats near it, or the new pair's near it
          // (min_gap_days); each change says so.
          const forNewcomer = (p: string) =>
            change.reasons.some(
              (r) =>
                r.includes(`beside newcomer ${p} on it`) ||
                r.includes(`newcomer ${p}'s first shift is now`) ||
                r.includes(`takes ${p}'s seat for their first shift`) ||
                r.includes(`on their first shift (pair_with), taking ${p}'s seat`) ||
                r.startsWith(`${p} serves beside a newcomer on `) ||
                // Making way: p fills a seat the removal left open, and someone takes theirs.
                r.includes(`instead of ${p}, who fills a seat nobody free could`),
            );
          const dropped = (change.before ?? []).filter(
            (p) => !change.after?.includes(p) && !forNewcomer(p),
          );
          const move = moved.get(change.id);
          if (change.before?.includes(removed)) {
            expect(
              dropped.filter((p) => p !== move?.from),
              change.id,
            ).toEqual([removed]);
          } else if (move) {
            // In a small team one person's share can jump by more than a
            // shift when another leaves; a kept seat then moves to them, and
            // the change says so. (Where a newcomer took their seat there for
            // a first shift, the move gave them another: the newcomer is who came.)
            const tookTheirs = (p: string) =>
              change.reasons.includes(
                `newcomer ${p} takes ${move.to}'s seat for their first shift`,
              );
            // Whoever made way for someone filling an open seat came for that, not the move.
            const madeWay = (p: string) =>
              change.reasons.some((r) => r.startsWith(`${p} serves instead of `));
            const came = added.filter((p) => !madeWay(p));
            expect(dropped, change.id).toEqual([move.from]);
            if (change.before?.includes(move.to)) {
              expect(came.length, change.id).toBeGreaterThan(0);
              expect(came.every(tookTheirs), change.id).toBe(true);
            } else {
              expect(came, change.id).toEqual([move.to]);
            }
            expect(change.reasons.join(), change.id).toContain(`moved from ${move.from}`);
          } else {
            // Elsewhere a seat left open may be filled (the person's seat went
            // to someone who could then start), but nobody loses a seat.
            expect(dropped, change.id).toEqual([]);
          }
        }
        expect(second.moves.length).toBeLessThanOrEqual(theirs);
        expect(violations(without, second, now)).toEqual([]);
      }),
      options,
    );
  });

  test("a swap survives replanning", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.nat(), ({ roster, now }, pickEntry, pickPerson) => {
        const first = planRota({ roster, previous: { entries: [] }, now });
        const future = first.schedule.entries.filter((e) => e.people.length > 0);
        fc.pre(future.length > 0);
        const entry = future[pickEntry % future.length] as (typeof future)[number];
        const out = entry.people[0] as string;
        const candidates = roster.people
          .map((p) => p.id)
          .filter((id) => !entry.people.includes(id));
        fc.pre(candidates.length > 0);
        const incoming = candidates[pickPerson % candidates.length] as string;
        const swapped = {
          ...roster,
          swaps: [{ date: entry.date, shift: entry.shift, out, in: incoming }],
        };
        const second = planRota({ roster: swapped, previous: first.schedule, now });
        const refused = second.warnings.some(
          (w) => w.id === entry.id && w.message.includes("cannot apply"),
        );
        const after = second.schedule.entries.find((e) => e.id === entry.id);
        if (!refused) {
          expect(after?.people).toContain(incoming);
          expect(after?.people).not.toContain(out);
        }
        const third = planRota({ roster: swapped, previous: second.schedule, now });
        expect(renderSchedule(third.schedule)).toBe(renderSchedule(second.schedule));
        expect(violations(swapped, third, now)).toEqual([]);
      }),
      options,
    );
  });
});
