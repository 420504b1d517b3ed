import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fromDay, toDay } from "../../src/core/dates.ts";
import { resolveTeam } from "../../src/core/plan/people.ts";
import { type PlanResult, planRota } from "../../src/core/plan/planner.ts";
import { quotaDeadline } from "../../src/core/plan/quotas.ts";
import { renderMovesText } from "../../src/core/render/rota.ts";
import type { Person, Roster } from "../../src/core/roster/model.ts";
import { parseRoster } from "../../src/core/roster/parse.ts";
import { renderSchedule, type Schedule } from "../../src/core/schedule/schedule.ts";
import { violations } from "../helpers/invariants.ts";
import { at, dayShift, loadRosterFile, roster } from "../helpers/roster.ts";

const NOW = at("2026-11-23T06:00:00Z"); // a Monday morning in Berlin
const DAY = 86_400_000;

function plan(r: Roster, now = NOW, previous: Schedule = { entries: [] }) {
  const result = planRota({ roster: r, previous, now });
  expect(violations(r, result, now)).toEqual([]);
  return result;
}

const withPerson = (r: Roster, person: Person): Roster => ({ ...r, people: [...r.people, person] });

/**
 * One person after a replan (`second`) that reaches past the last plan
 * (`first`): their seats, those on the days the last plan did not plan, how
 * far those stand above their share of those days, and how far their count
 * stands from their share over the whole plan.
 */
function onNewDays(first: PlanResult, second: PlanResult, id: string) {
  const plannedUntil = first.schedule.plannedUntil as string;
  const theirs = second.schedule.entries.filter((e) => e.people.includes(id));
  const late = theirs.filter((e) => e.date >= plannedUntil);
  const owed = second.fairnessFor(toDay(plannedUntil), second.until).find((row) => row.id === id);
  const row = second.fairness.find((each) => each.id === id);
  return {
    plannedUntil,
    theirs,
    late,
    aboveLate: late.length - (owed?.expected ?? 0),
    fromShare: Math.abs((row?.shifts ?? 0) - (row?.expected ?? 0)),
  };
}

/** Who serves which day in place of a seat traded past the freeze window, as its reason says. */
function tradedDay(reasons: readonly string[]): { holder?: string; day?: string } {
  const [, holder, day] = /; ([\w-]+) serves (\S+) instead$/.exec(reasons.join()) ?? [];
  return { holder, day };
}

/** Whose kept seats a newcomer took for their first shift, as the changes say. */
const takenFrom = (changes: { reasons: string[] }[], newcomer: string) =>
  changes
    .flatMap((c) => c.reasons)
    .map(
      (r) =>
        new RegExp(`^newcomer ${newcomer} takes (\\w+)'s seat for their first shift$`).exec(r)?.[1],
    )
    .filter((id) => id !== undefined);

/** A roster and "now" the planner's properties once found, with what was done to it. */
function fixture<T>(name: string): { roster: Roster; now: number } & T {
  const file = path.join(import.meta.dirname, "..", "fixtures", "plan-changes", name);
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The roster with one person's time away set to one range. */
function withAway(r: Roster, id: string, from: string, to: string): Roster {
  return {
    ...r,
    people: r.people.map((p) => (p.id === id ? { ...p, away: [{ from, to }] } : p)),
  };
}

describe("quota turns as time away is added", () => {
  test("the turn owed on coming back takes a seat beside one of theirs, which moves to someone else", () => {
    // Beth, away from mid-March to 24 April, is back for the last days of April.
    const management = loadRosterFile("examples/management.yaml");
    const january = plan(management, at("2026-01-05T08:00:00Z"));
    const changed = withAway(management, "beth", "2026-03-16", "2026-04-24");
    const march = plan(changed, at("2026-03-09T08:00:00Z"), january.schedule);
    const messages = march.warnings.map((w) => w.message);
    expect(messages.filter((m) => m.startsWith("beth has no turn"))).toEqual([]);
    const april = march.schedule.entries.filter(
      (e) => e.people.includes("beth") && e.date >= "2026-04-01" && e.date < "2026-05-01",
    );
    expect(april.map((e) => e.date)).toHaveLength(1);
    const taken = march.changes.find((c) => c.id === april[0]?.id);
    expect(taken?.reasons.join()).toMatch(
      /^moved from \w+ to beth: beth owed a turn in the period/,
    );
    // The seat of hers beside it (her seats while away left her anyway) went to someone else.
    const given = march.changes.filter(
      (c) => c.date > "2026-04-24" && c.before?.includes("beth") && !c.after?.includes("beth"),
    );
    expect(given).toHaveLength(1);
    expect(given[0]?.reasons.join()).toContain(
      `beth took ${april[0]?.id}, a turn they owed, beside it`,
    );
    expect(messages.filter((m) => m.includes("has no turn in 2026-04"))).toEqual([]);
    // Planned again, it stands.
    expect(plan(changed, at("2026-03-09T08:00:00Z"), march.schedule).changes).toEqual([]);
  });

  test("a turn served already in the month is owed no more, however long the time away after it", () => {
    // Ruth serves on 2 March, and is away from the 16th into May.
    const sitepoint = loadRosterFile("examples/sitepoint.yaml");
    const february = plan(sitepoint, at("2026-02-02T08:00:00Z"));
    const changed = withAway(sitepoint, "ruth", "2026-03-16", "2026-05-08");
    const early = plan(changed, at("2026-03-02T08:00:00Z"), february.schedule);
    const served = early.schedule.entries.filter(
      (e) => e.people.includes("ruth") && e.date.startsWith("2026-03"),
    );
    expect(served.map((e) => e.date)).toEqual(["2026-03-02"]);
    const later = plan(changed, at("2026-03-16T08:00:00Z"), early.schedule);
    const messages = later.warnings.map((w) => w.message);
    expect(messages.filter((m) => m.startsWith("ruth has no turn in 2026-03"))).toEqual([]);
    // April, away all of it, is still said.
    expect(messages).toContain(
      "ruth has no turn in 2026-04 (every 1 month): they are away for all of it",
    );
  });
});

/** Two support regulars and `guests` on a weekday desk in Los Angeles, a pro seat beside an `any` seat, 12 weeks. */
const twoProDesk = (guests: Person[], rules: Pick<Roster, "rules" | "teams">): Roster =>
  roster({
    timezone: "America/Los_Angeles",
    horizon_weeks: 12,
    ...rules,
    shifts: [dayShift("pro", "any")],
    people: [
      { id: "pro0", name: "Pro 0", team: "support" },
      { id: "pro1", name: "Pro 1", team: "support" },
      ...guests,
    ],
  });

describe("a newcomer's first shift in the only seat of a guest whose twins serve twice", () => {
  test("gives that guest a seat of one who serves twice, so nobody alike is left with none", () => {
    // Two regulars beside forty alike guests on a weekday desk: the first
    // guests of the horizon serve again at its end, those of the weeks
    // between once. A newcomer joining in those weeks takes the seat of
    // someone who serves once.
    const guests = Array.from({ length: 40 }, (_, i) => ({
      id: `g${String(i).padStart(2, "0")}`,
      name: `G ${i}`,
    }));
    const desk = twoProDesk(guests, {
      rules: { newcomers: { first_shift_within_days: 14, pair_with: "pro" } },
      teams: { support: { roles: ["pro"] } },
    });
    const first = plan(desk);
    const joined = "2026-12-28";
    const second = plan(withPerson(desk, { id: "n1", name: "N 1", joined }), NOW, first.schedule);
    const [giver] = takenFrom(second.changes, "n1");
    expect(giver).toBeDefined();
    const counts = new Map<string, number>();
    for (const e of second.schedule.entries) {
      for (const id of e.people) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const shifts = guests.map((g) => counts.get(g.id) ?? 0);
    expect(Math.min(...shifts)).toBeGreaterThan(0);
    expect(Math.max(...shifts) - Math.min(...shifts)).toBeLessThanOrEqual(1);
    // The guest's seat back is one more change, from a twin who served twice, said as such.
    const back = second.changes.filter((c) => c.after?.includes(giver as string));
    expect(back).toHaveLength(1);
    expect(back[0]?.reasons.join()).toMatch(new RegExp(`^moved from g\\d+ to ${giver}: `));
    expect(second.changes).toHaveLength(2);
    expect(
      plan(withPerson(desk, { id: "n1", name: "N 1", joined }), NOW, second.schedule).changes,
    ).toEqual([]);
  });
});

describe("roster changes absorbed in a few moves", () => {
  const example = loadRosterFile("roster.example.yaml");
  const zed: Person = { id: "zed", name: "Zed", team: "design", joined: "2025-01-01" };

  test("someone added takes seats past the freeze window, one change per seat, each said", () => {
    const first = plan(example);
    const second = plan(withPerson(example, zed), NOW, first.schedule);
    const freezeEnds = fromDay(toDay("2026-11-23") + 14);
    const theirs = second.schedule.entries.filter((e) => e.people.includes("zed"));
    expect(theirs.length).toBeGreaterThanOrEqual(3);
    expect(second.changes).toHaveLength(theirs.length);
    for (const change of second.changes) {
      expect(change.date >= freezeEnds, change.id).toBe(true);
      expect(change.after, change.id).toContain("zed");
      const dropped = (change.before ?? []).filter((p) => !change.after?.includes(p));
      expect(dropped, change.id).toHaveLength(1);
      expect(change.reasons.join(), change.id).toMatch(/^moved from \w+ to zed: /);
    }
    expect(second.moves.map((m) => m.id).sort()).toEqual(second.changes.map((c) => c.id));
    // Their share of the days past the freeze window, within a shift and a half.
    const row = second.fairnessFor(toDay(freezeEnds), second.until)[17];
    expect(row?.id).toBe("zed");
    expect(Math.abs((row?.shifts ?? 0) - (row?.expected ?? 0))).toBeLessThanOrEqual(1.5);
    // And it is the plan's fixed point: planning again moves nothing.
    const third = plan(withPerson(example, zed), NOW, second.schedule);
    expect(third.changes).toEqual([]);
  });

  test("a regular added as the plan reaches further serves in the weeks ahead, not day after day at its end", () => {
    // Eight regulars fill the pro seats of a weekday queue, with no gap
    // between their turns; a ninth, joining in February, is added a week
    // later, when the plan also reaches a week further.
    const r = loadRosterFile("examples/pros-and-guests.yaml");
    const added = withPerson(r, {
      id: "nell",
      name: "Nell",
      team: "support",
      joined: "2027-02-01",
    });
    const first = plan(r);
    const weekLater = NOW + 7 * DAY;
    const second = plan(added, weekLater, first.schedule);
    const { plannedUntil, theirs, late, aboveLate, fromShare } = onNewDays(first, second, "nell");
    // The new week's five pro seats were all theirs: one or two of them now.
    expect(aboveLate).toBeLessThanOrEqual(1);
    // Their share, one change per seat of theirs on the days planned before, each said.
    expect(fromShare).toBeLessThanOrEqual(1);
    const moved = second.changes.filter((c) => c.before !== null);
    expect(moved).toHaveLength(theirs.length - late.length);
    for (const change of moved) {
      expect(change.after, change.id).toContain("nell");
      expect(change.reasons.join(), change.id).toMatch(/^moved from [\w-]+ to nell: /);
    }
    const traded = moved.filter((c) => c.reasons.join().includes("serves in the weeks ahead"));
    expect(traded.length).toBeGreaterThan(0);
    for (const change of traded) {
      const { holder, day } = tradedDay(change.reasons);
      const entry = second.schedule.entries.find((e) => e.id === day);
      expect(entry?.people, change.id).toContain(holder);
      expect(day && day >= plannedUntil, change.id).toBe(true);
    }
    // The summary says what the trades were for, not that they evened out shares.
    const tradedIds = new Set(traded.map((change) => change.id));
    for (const move of second.moves.filter((m) => tradedIds.has(m.id))) {
      expect(move.kind, move.id).toBe("trade");
    }
    const names = new Map(added.people.map((person) => [person.id, person.name]));
    const summary = renderMovesText(second.moves, names);
    const trades = second.moves.filter((move) => move.kind === "trade").length;
    expect(summary).toContainEqual(
      `${trades} kept seat${trades === 1 ? "" : "s"} traded past the freeze window so people added since the last plan or catching up to their share serve in the weeks ahead, not day after day at the plan's end, to Nell: each seat's holder serves their new day instead`,
    );
    // Every moved seat counted once, under what it moved for.
    const counted = summary.map((line) => Number(/^\d+/.exec(line)?.[0]));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(second.moves.length);
    // Everyone else serves as often as without the trades: planned again, nothing moves.
    expect(plan(added, weekLater, second.schedule).changes).toEqual([]);
  });

  test("a regular whose weight is raised as the plan reaches further serves in the weeks ahead, not day after day at its end", () => {
    // Three weeks on, the plan reaches three weeks further, and Pat's weight
    // is now 2: the new weeks' pro seats were nearly all Pat's.
    const r = loadRosterFile("examples/pros-and-guests.yaml");
    const raised: Roster = {
      ...r,
      people: r.people.map((p) => (p.id === "pat-lopez" ? { ...p, weight: 2 } : p)),
    };
    const first = plan(r);
    const later = NOW + 21 * DAY;
    const second = plan(raised, later, first.schedule);
    const { aboveLate, fromShare } = onNewDays(first, second, "pat-lopez");
    expect(aboveLate).toBeLessThanOrEqual(1);
    expect(fromShare).toBeLessThanOrEqual(1);
    const traded = second.changes.filter((c) =>
      c.reasons.join().includes("pat-lopez, catching up to their share, serves in the weeks ahead"),
    );
    expect(traded.length).toBeGreaterThan(0);
    for (const change of traded) {
      const { holder, day } = tradedDay(change.reasons);
      expect(second.schedule.entries.find((e) => e.id === day)?.people, change.id).toContain(
        holder,
      );
    }
    // Planned again, nothing moves; a week on with nothing changed, nothing is traded.
    expect(plan(raised, later, second.schedule).changes).toEqual([]);
    const week = plan(raised, later + 7 * DAY, second.schedule);
    expect(week.moves.filter((move) => move.kind === "trade")).toEqual([]);
  });

  test("weeks after a change, someone lighter only on the weeks ahead, having served more before them, is traded nothing", () => {
    // Matt's time away is added three weeks on; in the weeks after, with the
    // roster as it is, Ana holds fewer of the kept days past the freeze
    // window than her share of them, having served more before them: she is
    // not behind, and nobody's kept seat is traded to her.
    const automattic = loadRosterFile("examples/automattic.yaml");
    const away = withAway(automattic, "matt", "2026-12-23", "2027-01-12");
    let result = plan(automattic);
    let now = NOW + 21 * DAY;
    result = plan(away, now, result.schedule);
    for (let week = 1; week <= 5; week++) {
      now += 7 * DAY;
      result = plan(away, now, result.schedule);
      expect(result.moves.filter((move) => move.kind === "trade")).toEqual([]);
    }
  });

  test("someone back from time away taken off the roster catches up by a seat handed on, even while someone added takes theirs, so the plan made is the plan kept", () => {
    const r = loadRosterFile("examples/management.yaml");
    const away = withAway(r, "dora", "2026-12-09", "2027-02-01");
    const first = plan(away, at("2026-11-23T15:00:00Z"));
    // The time away taken back off the roster, and someone added, in one change.
    const back = withPerson(r, { id: "zed-new", name: "Zed", joined: "2026-11-13" });
    const now = at("2026-11-24T15:00:00Z");
    const second = plan(back, now, first.schedule);
    const dora = second.fairness.find((row) => row.id === "dora");
    expect((dora?.shifts ?? 0) - (dora?.expected ?? 0)).toBeGreaterThan(-1.5);
    // `rota plan --check` right after: nothing to change.
    expect(plan(back, now, second.schedule).changes).toEqual([]);
  });

  test("a pro who joins and is away for their whole first-shift window gets a first shift beside a pair after it, and their share", () => {
    // The pro seat is filled before anyone sits beside it, so a first shift
    // waiting for a pair there never came: they served nothing all plan.
    const r = roster({
      horizon_weeks: 10,
      shifts: [{ ...dayShift("pro", "any", "any"), id: "desk" }],
      rules: { min_gap_days: 14, newcomers: { first_shift_within_days: 28, pair_with: "pro" } },
      teams: { support: { roles: ["pro"], min_gap_days: 2 } },
      people: [
        ...["p1", "p2", "p3", "p4"].map((id) => ({ id, name: id.toUpperCase(), team: "support" })),
        ...Array.from({ length: 30 }, (_, i) => ({ id: `g${i}`, name: `G${i}` })),
        {
          id: "nova",
          name: "Nova",
          team: "support",
          joined: "2026-11-02",
          away: [{ from: "2026-11-20", to: "2026-12-04" }],
        },
      ],
    });
    const result = plan(r);
    const row = result.fairness.find((each) => each.id === "nova");
    expect(Math.abs((row?.shifts ?? 0) - (row?.expected ?? 0))).toBeLessThanOrEqual(1);
    // Their first shift: the first desk after the window, beside a pro.
    const first = result.schedule.entries.find((e) => e.people.includes("nova"));
    expect(first?.date).toBe("2026-12-07");
    expect(first?.people.some((id) => /^p\d$/.test(id))).toBe(true);
    expect(result.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^newcomer nova has no shift within 28 days of joining/),
    );
    expect(plan(r, NOW, result.schedule).changes).toEqual([]);
  });

  // Two regulars fill the pro seats, ten guests the others; nobody twice in a week.
  const guest = (id: string): Person => ({ id, name: id.toUpperCase() });
  const desk = roster({
    horizon_weeks: 12,
    shifts: [{ ...dayShift("pro", "any"), id: "desk" }],
    rules: { min_gap_days: 7 },
    people: [
      { id: "p1", name: "P1", roles: ["pro"] },
      { id: "p2", name: "P2", roles: ["pro"] },
      ...Array.from({ length: 10 }, (_, i) => guest(`g${i}`)),
    ],
  });
  const weekLater = NOW + 7 * DAY;
  const pastFreeze = toDay("2026-11-30") + 14;

  test("people added together under min_gap_days each take their share, not one seat each", () => {
    // Five guests join a week later: alike, each may take a seat only while
    // holding no more than the others, so they take them in turns.
    const first = plan(desk);
    const joiners = ["n0", "n1", "n2", "n3", "n4"];
    const added = { ...desk, people: [...desk.people, ...joiners.map(guest)] };
    const second = plan(added, weekLater, first.schedule);
    const rows = second.fairnessFor(pastFreeze, second.until).filter((r) => joiners.includes(r.id));
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row.shifts - row.expected, row.id).toBeGreaterThanOrEqual(-1);
    }
    const taken = rows.reduce((sum, row) => sum + row.shifts, 0);
    expect(second.changes).toHaveLength(taken);
  });

  test("a weight raised under min_gap_days reaches its share, a seat handed on where none can go directly", () => {
    // g6 serves every other week; at weight 2, only the weeks between are
    // free for them, and those seats are held by guests with fewer than others.
    const first = plan(desk);
    const raised = {
      ...desk,
      people: desk.people.map((p) => (p.id === "g6" ? { ...p, weight: 2 } : p)),
    };
    const second = plan(raised, weekLater, first.schedule);
    const row = second.fairnessFor(pastFreeze, second.until).find((r) => r.id === "g6");
    expect((row?.shifts ?? 0) - (row?.expected ?? 0)).toBeGreaterThanOrEqual(-1);
    const toG6 = second.moves.filter((m) => m.to === "g6");
    const handedOn = second.moves.filter((m) => m.to !== "g6");
    expect(handedOn.length).toBeGreaterThan(0);
    expect(handedOn.length).toBeLessThanOrEqual(toG6.length);
    for (const move of handedOn) {
      expect(move.why, move.id).toMatch(/g6 [\d.]+ below, for a seat \w+ handed on to g6$/);
      expect(
        toG6.some((m) => m.from === move.to && m.why.includes(`; ${move.to} `)),
        move.id,
      ).toBe(true);
    }
    for (const move of second.moves) expect(move.id >= fromDay(pastFreeze), move.id).toBe(true);
  });

  test("a guest added where guests serve once or twice a year gets a shift, not none", () => {
    // Their share of the year planned is under one and a half shifts: never
    // "far enough" behind, they would hold no seat in it at all.
    const shoretel = loadRosterFile("examples/shoretel.yaml");
    const first = plan(shoretel);
    const added = withPerson(shoretel, {
      id: "x3",
      name: "X3",
      team: "operations",
      joined: "2027-01-20",
    });
    const second = plan(added, NOW, first.schedule);
    const row = second.fairness.find((r) => r.id === "x3");
    expect(row?.expected).toBeGreaterThan(1);
    expect(row?.shifts).toBeGreaterThanOrEqual(1);
    expect(second.changes).toHaveLength(row?.shifts ?? 0);
    for (const change of second.changes) expect(change.after, change.id).toContain("x3");
  });

  test("a guest added where guests serve about once in the horizon gets their one shift the same day", () => {
    // 121 guests and about 124 guest seats in half a year: the few who serve
    // twice have their first turn in the freeze window, their second past it.
    const guests = loadRosterFile("examples/pros-and-guests.yaml");
    const first = plan(guests);
    const added = withPerson(guests, { id: "x4", name: "X4", team: "sales", joined: "2024-02-02" });
    const second = plan(added, NOW, first.schedule);
    const row = second.fairness.find((r) => r.id === "x4");
    expect(row?.expected).toBeGreaterThan(1);
    expect(row?.shifts).toBe(1);
    expect(second.changes).toHaveLength(1);
    const [change] = second.changes;
    expect(change?.after).toContain("x4");
    // From someone who served twice: they serve once, as everyone else.
    const from = change?.before?.find((id) => !change.after?.includes(id)) as string;
    const served = (entries: Schedule["entries"], id: string) =>
      entries.filter((e) => e.people.includes(id)).length;
    expect(served(first.schedule.entries, from)).toBe(2);
    expect(served(second.schedule.entries, from)).toBe(1);
    expect(plan(added, NOW, second.schedule).changes).toEqual([]);
  });

  test("seats move from whoever is furthest above their share, not from someone who ends below it", () => {
    const mixed = loadRosterFile("test/fixtures/plan-changes/mixed-desks.yaml");
    const now = at("2026-11-23T12:00:00Z");
    const first = plan(mixed, now);
    const added = withPerson(mixed, { id: "g13", name: "G13" });
    const second = plan(added, now, first.schedule);
    expect(second.moves.length).toBeGreaterThan(0);
    const standing = new Map(second.fairness.map((row) => [row.id, row.shifts - row.expected]));
    // g9, away for two months, holds seats only past the freeze window: above
    // their share there, below it over the plan; none of theirs is taken.
    for (const move of second.moves) {
      expect(standing.get(move.from), `${move.id}: ${move.from}`).toBeGreaterThan(-0.5);
    }
  });

  test("rules.freeze_days widens the window in which kept seats never move", () => {
    const first = plan(example);
    const frozen = { ...example, rules: { ...example.rules, freeze_days: 42 } };
    const second = plan(withPerson(frozen, zed), NOW, first.schedule);
    const freezeEnds = fromDay(toDay("2026-11-23") + 42);
    expect(second.moves.length).toBeGreaterThan(0);
    for (const move of second.moves) expect(move.id >= freezeEnds, move.id).toBe(true);
  });

  test("someone added after the schedule began owes nothing for the time before", () => {
    let schedule = plan(example).schedule;
    let now = NOW;
    for (let week = 0; week < 6; week++) {
      now += 7 * DAY;
      schedule = plan(example, now, schedule).schedule;
    }
    const added = withPerson(example, zed);
    const withZed = plan(added, now, schedule);
    const today = fromDay(toDay(new Date(now).toISOString().slice(0, 10)));
    expect(withZed.schedule.countedFrom).toEqual({ zed: today });
    // Counted from today, zed's share is that of the plan's window, not six weeks more.
    const row = withZed.fairness.find((r) => r.id === "zed");
    const peer = withZed.fairness.find((r) => r.id === "jony");
    expect(row?.expected).toBeCloseTo(peer?.expected ?? 0, 1);
    // The day is kept: later plans count zed the same way. As the window
    // moves on, a later plan may still move a kept seat — to zed, to someone
    // else the moving window leaves behind, or for a quota turn in a month
    // that has come inside the horizon — each one said, and only a few.
    let later = withZed.schedule;
    let moved = 0;
    for (let day = 1; day <= 14; day++) {
      const next = plan(added, now + day * DAY, later);
      expect(next.schedule.countedFrom).toEqual({ zed: today });
      const kept = next.changes.filter((c) => c.before !== null);
      for (const change of kept) {
        expect(
          next.moves.map((m) => m.id),
          change.id,
        ).toContain(change.id);
        expect(change.reasons.join(), change.id).toMatch(/^moved from /);
      }
      moved += kept.length;
      later = next.schedule;
    }
    expect(moved).toBeLessThanOrEqual(4);
  });
});

describe("someone taken off the roster where the seats cannot meet a monthly quota", () => {
  test("changes only their seats: the turn owed goes to someone else with their seat, no kept seat moves", () => {
    // Two regulars beside 25 guests, a quarter of them part-time, each owing
    // a turn a month: January has 21 guest seats for 25 turns.
    const guests = Array.from({ length: 25 }, (_, i) => ({
      id: `g${String(i).padStart(2, "0")}`,
      name: `G ${i}`,
      ...(i % 4 === 3 ? { weight: 0.5 } : {}),
    }));
    const desk = twoProDesk(guests, {
      rules: { every: "1 month" },
      teams: { support: { roles: ["pro"], min_gap_days: 0 } },
    });
    const first = plan(desk);
    for (const leaving of ["g03", "g04"]) {
      const without = { ...desk, people: desk.people.filter((p) => p.id !== leaving) };
      const second = plan(without, NOW, first.schedule);
      expect(second.changes.length, leaving).toBeGreaterThan(0);
      for (const change of second.changes) {
        expect(change.before, `${leaving}: ${change.id}`).toContain(leaving);
        expect(change.reasons, `${leaving}: ${change.id}`).toEqual([
          `${leaving} is no longer in the roster`,
        ]);
      }
      expect(plan(without, NOW, second.schedule).changes).toEqual([]);
    }
  });
});

describe("a newcomer's first shift and the quota of whoever gives it up", () => {
  // Two pros beside three guests, each serving at least once a week; the
  // newcomer joins on a Wednesday, past the freeze window.
  const desk = roster({
    horizon_weeks: 8,
    rules: {
      min_gap_days: 0,
      every: "1 week",
      newcomers: { first_shift_within_days: 14, pair_with: "pro" },
    },
    teams: { support: { roles: ["pro"] } },
    shifts: [dayShift("pro", "any")],
    people: [
      { id: "pia", name: "Pia", team: "support" },
      { id: "pat", name: "Pat", team: "support" },
      { id: "ada", name: "Ada" },
      { id: "bob", name: "Bob" },
      { id: "cy", name: "Cy" },
    ],
  });

  test("is not someone's only turn of their period where another seat is in time", () => {
    const first = plan(desk);
    const week = first.schedule.entries.filter(
      (e) => e.date >= "2026-12-07" && e.date < "2026-12-14",
    );
    // Wednesday's guest serves only then that week; Thursday's also on Monday.
    expect(week.map((e) => `${e.date} ${e.people.join(",")}`)).toEqual([
      "2026-12-07 pia,cy",
      "2026-12-08 pat,bob",
      "2026-12-09 pia,ada",
      "2026-12-10 pat,cy",
      "2026-12-11 pia,bob",
    ]);
    const second = plan(
      withPerson(desk, { id: "new", name: "New", joined: "2026-12-09" }),
      NOW,
      first.schedule,
    );
    // Taking Ada's Wednesday would leave her owing that week's turn, and a
    // seat of someone else's would move to her for it: the seat taken is
    // one whose holder serves again that week.
    const taken = second.changes.filter((c) => c.reasons.some((r) => r.startsWith("newcomer ")));
    expect(taken).toHaveLength(1);
    const [giver] = takenFrom(taken, "new");
    const monday = toDay(taken[0]?.date ?? "") - ((toDay(taken[0]?.date ?? "") + 3) % 7);
    const thatWeek = second.schedule.entries.filter(
      (e) => toDay(e.date) >= monday && toDay(e.date) < monday + 7,
    );
    expect(thatWeek.some((e) => e.people.includes(giver ?? ""))).toBe(true);
    expect(taken[0]?.id).not.toBe("2026-12-09/day");
    for (const change of second.changes) expect(change.after, change.id).toContain("new");
    // No warning: every quota turn is kept, the newcomer's own included.
    expect(second.warnings).toEqual([]);
  });
});

describe("two newcomers and one mentor", () => {
  test("the mentor brought beside one stays beside the other, the gap relaxed for them", () => {
    const guests = Array.from({ length: 14 }, (_, i) => ({ id: `g${i}`, name: `G ${i}` }));
    const desk = roster({
      horizon_weeks: 12,
      rules: {
        min_gap_days: 7,
        newcomers: { first_shift_within_days: 7, pair_with: "mentor" },
      },
      teams: { support: { roles: ["pro"], min_gap_days: 0 } },
      shifts: [dayShift("pro", "any", "any")],
      people: [
        { id: "p1", name: "P 1", team: "support" },
        { id: "p2", name: "P 2", team: "support" },
        { id: "m0", name: "M 0", roles: ["mentor"] },
        ...guests,
      ],
    });
    const first = plan(desk);
    const week = (e: { date: string }) => e.date >= "2026-12-14" && e.date < "2026-12-21";
    // The mentor serves once in the newcomers' first week, beside two others.
    expect(first.schedule.entries.filter((e) => week(e) && e.people.includes("m0"))).toHaveLength(
      1,
    );
    const joined = { ...desk, people: [...desk.people] };
    for (const id of ["n0", "n1"]) joined.people.push({ id, name: id, joined: "2026-12-14" });
    const second = plan(joined, NOW + 7 * DAY, first.schedule);
    for (const id of ["n0", "n1"]) {
      const firstShift = second.schedule.entries.find((e) => e.people.includes(id));
      expect(firstShift?.people, id).toContain("m0");
      expect(week(firstShift as { date: string }), id).toBe(true);
    }
    expect(second.warnings.map((w) => w.message).filter((m) => m.includes("newcomer n"))).toEqual(
      [],
    );
    const third = plan(joined, NOW + 7 * DAY, second.schedule);
    expect(third.changes).toEqual([]);
  });
});

describe("a guest added where regulars held every seat", () => {
  test("gets their seats in one plan, one change each, and planning again changes nothing", () => {
    // Two regulars fill the pro seat and the seat anyone can fill, always
    // the same way round: only one of them holds seats the guest can take.
    const desk = roster({
      horizon_weeks: 12,
      rules: { min_gap_days: 7 },
      teams: { support: { roles: ["pro"], min_gap_days: 0 } },
      shifts: [dayShift("pro", "any")],
      people: [
        { id: "pa1", name: "Pa 1", team: "support" },
        { id: "pa2", name: "Pa 2", team: "support" },
      ],
    });
    const first = plan(desk);
    const added = withPerson(desk, { id: "na", name: "Na" });
    const second = plan(added, NOW, first.schedule);
    const count = (id: string) => second.schedule.entries.filter((e) => e.people.includes(id));
    // A share of 12, one seat a week past the freeze window (min_gap_days 7).
    expect(count("na")).toHaveLength(10);
    expect(Math.abs(count("pa1").length - count("pa2").length)).toBeLessThanOrEqual(1);
    for (const change of second.changes) {
      const gone = (change.before ?? []).filter((id) => !change.after?.includes(id));
      expect(gone, change.id).toHaveLength(1);
      expect(change.after, change.id).toContain("na");
    }
    const third = plan(added, NOW, second.schedule);
    expect(third.changes).toEqual([]);
    expect(renderSchedule(third.schedule)).toBe(renderSchedule(second.schedule));
  });
});

describe("a newcomer's first shift in someone's kept seat", () => {
  const counts = (entries: Schedule["entries"]) => {
    const n = new Map<string, number>();
    for (const e of entries) for (const id of e.people) n.set(id, (n.get(id) ?? 0) + 1);
    return n;
  };

  test("is the one whose holder stands highest above their share, so alike guests stay within one", () => {
    // One pro beside twenty alike guests, a month's turn each and three
    // weeks apart: some serve twice in the horizon, some three times.
    const guests = Array.from({ length: 20 }, (_, i) => ({ id: `g${i + 1}`, name: `G ${i + 1}` }));
    const desk = roster({
      horizon_weeks: 10,
      rules: {
        min_gap_days: 21,
        every: "1 month",
        newcomers: { first_shift_within_days: 14, pair_with: "pro" },
      },
      teams: { happiness: { roles: ["pro"], min_gap_days: 0 } },
      shifts: [dayShift("pro", "any")],
      people: [{ id: "ana", name: "Ana", team: "happiness" }, ...guests],
    });
    const first = plan(desk);
    const before = counts(first.schedule.entries);
    const window = first.schedule.entries.filter(
      (e) => e.date >= "2026-12-14" && e.date < "2026-12-28",
    );
    const holders = window.flatMap((e) => e.people).filter((id) => id !== "ana");
    const most = Math.max(...holders.map((id) => before.get(id) ?? 0));
    expect(Math.min(...holders.map((id) => before.get(id) ?? 0))).toBeLessThan(most);

    const second = plan(
      withPerson(desk, { id: "n1", name: "N 1", joined: "2026-12-14" }),
      NOW,
      first.schedule,
    );
    const [giver] = takenFrom(second.changes, "n1");
    expect(giver).toBeDefined();
    expect(before.get(giver as string)).toBe(most);
    const after = counts(second.schedule.entries);
    const shifts = guests.map((g) => after.get(g.id) ?? 0);
    expect(Math.max(...shifts) - Math.min(...shifts)).toBeLessThanOrEqual(1);
  });

  test("leaves nobody with no shift where someone with more can give it", () => {
    // A Tuesday desk for a year: twenty sales guests serve twice, twelve
    // finance guests (weight 0.5) once.
    const team = (prefix: string, n: number, name: string) =>
      Array.from({ length: n }, (_, i) => ({
        id: `${prefix}${String(i).padStart(2, "0")}`,
        name: `${name} ${i}`,
        team: name.toLowerCase(),
      }));
    const desk = roster({
      horizon_weeks: 52,
      rules: { newcomers: { first_shift_within_days: 28, pair_with: "pro" } },
      teams: {
        support: { roles: ["pro"], min_gap_days: 0 },
        sales: { roles: ["guest"] },
        finance: { roles: ["guest"], weight: 0.5 },
      },
      shifts: [{ ...dayShift("pro", "guest"), id: "desk", days: ["tue"] }],
      people: [
        { id: "pro", name: "Pro", team: "support" },
        ...team("s", 20, "Sales"),
        ...team("f", 12, "Finance"),
      ],
    });
    const first = plan(desk);
    const before = counts(first.schedule.entries);
    // The newcomer joins on the first Tuesday past the freeze window that is
    // a finance guest's only seat, with a sales guest's in the four weeks on.
    const tuesdays = first.schedule.entries.filter((e) => e.date >= "2026-12-08");
    const start = tuesdays.findIndex((e, i) => {
      const guest = e.people[1] ?? "";
      const later = tuesdays.slice(i + 1, i + 4).map((t) => t.people[1] ?? "");
      return guest.startsWith("f") && before.get(guest) === 1 && later.some((id) => id[0] === "s");
    });
    expect(start).toBeGreaterThanOrEqual(0);
    const joined = tuesdays[start]?.date as string;

    const second = plan(
      withPerson(desk, { id: "newbie", name: "New Bie", team: "sales", joined }),
      NOW,
      first.schedule,
    );
    const [giver] = takenFrom(second.changes, "newbie");
    expect(giver).toMatch(/^s\d+$/);
    const after = counts(second.schedule.entries);
    for (const f of team("f", 12, "Finance")) expect(after.get(f.id), f.id).toBeGreaterThan(0);
  });
});

describe("a seat nobody free can fill", () => {
  test("is filled by someone who makes way, their seat at the same time going to another", () => {
    // pa serves only the Tokyo desk; pb serves both, and each Tokyo day
    // overlaps two Berlin days. With pc and pd away, only pb can take the
    // Berlin pro seats: the Tokyo days of pb's that block them go to pa.
    const text = `version: 1
team: T
timezone: Europe/Berlin
horizon_weeks: 10
shifts:
  - { id: apac, days: [mon, tue, wed, thu, fri], all_day: true, timezone: Asia/Tokyo, seats: [{ role: pro }] }
  - { id: emea, days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00", seats: [{ role: pro }, { role: any }] }
teams:
  support: { roles: [pro], min_gap_days: 0 }
people:
  - { id: pa, name: Pro A, team: support, shifts: [apac] }
  - { id: pb, name: Pro B, team: support }
  - { id: pc, name: Pro C, team: support, shifts: [emea] }
  - { id: pd, name: Pro D, team: support, shifts: [emea] }
${[0, 1, 2, 3, 4, 5].map((i) => `  - { id: g0${i}, name: Guest ${i} }\n`).join("")}`;
    const parsed = parseRoster(text, "roster.yaml").roster as Roster;
    const first = plan(parsed, at("2026-11-16T06:00:00Z"));
    expect(first.gaps).toEqual([]);
    const away: Roster = {
      ...parsed,
      people: parsed.people.map((p) =>
        p.id === "pc" || p.id === "pd"
          ? { ...p, away: [{ from: "2026-12-07", to: "2026-12-20" }] }
          : p,
      ),
    };
    const now = at("2026-11-23T06:00:00Z");
    const second = plan(away, now, first.schedule);
    expect(second.gaps).toEqual([]);
    const madeWay = second.changes.filter((c) =>
      c.reasons.some((r) => r.includes("nobody free could")),
    );
    expect(madeWay.length).toBeGreaterThan(0);
    for (const change of madeWay) {
      const apac = change.shift === "apac";
      expect(change.after, change.id).toEqual([
        apac ? "pa" : "pb",
        ...(apac ? [] : [expect.any(String)]),
      ]);
    }
    // Planned again, it stands.
    expect(plan(away, now, second.schedule).changes).toEqual([]);
  });
});

describe("a swap added to the roster by hand", () => {
  test("is listed as the change it makes, with the swap and its reason", () => {
    const example = loadRosterFile("roster.example.yaml");
    const first = plan(example);
    const entry = first.schedule.entries.find((e) => e.date > "2026-12-07" && e.people.length > 1);
    if (!entry) throw new Error("no occurrence to swap");
    const out = entry.people[1] as string;
    const taker = example.people.find(
      (p) => !entry.people.includes(p.id) && !p.roles?.length && p.id !== out,
    );
    if (!taker) throw new Error("nobody to swap in");
    const swapped: Roster = {
      ...example,
      swaps: [
        ...(example.swaps ?? []),
        { date: entry.date, shift: entry.shift, out, in: taker.id, reason: "dentist" },
      ],
    };
    const second = plan(swapped, NOW, first.schedule);
    const change = second.changes.find((c) => c.id === entry.id);
    expect(change?.after).toContain(taker.id);
    expect(change?.reasons).toEqual([
      `${taker.id} serves instead of ${out}: a swap in the roster (dentist)`,
    ]);
  });
});

describe("a seat moved on through someone", () => {
  test("is one move, from whoever gave it to whoever has it, with both reasons", () => {
    // Found by the planner's properties: p3's seat went to p0 (fairness), then
    // p3 took clone-1's seat on the same occurrence (handing a seat on to p0,
    // still further below). The change must name one move from clone-1 to p0,
    // not one to p3, who was on it before.
    const {
      roster: r,
      now,
      removed,
    } = fixture<{ removed: string }>("a-seat-moved-on-through-someone.json");
    const first = plan(r, now);
    const without = { ...r, people: r.people.filter((p) => p.id !== removed) };
    const second = plan(without, now, first.schedule);
    for (const move of second.moves) {
      const change = second.changes.find((c) => c.id === move.id);
      expect(change?.before, move.id).toContain(move.from);
      expect(change?.before, move.id).not.toContain(move.to);
      expect(change?.after, move.id).toContain(move.to);
      expect(change?.after, move.id).not.toContain(move.from);
    }
    const through = second.changes.find((c) => c.id === "2027-02-25/s0");
    expect(through?.before).toEqual(["clone-2", "clone-1", "p3"]);
    expect(through?.after).toEqual(["clone-2", "p3", "p0"]);
    expect(through?.reasons).toEqual([
      "moved from clone-1 to p0: p3 is 0.6 above their share, p0 6.7 below; then clone-1 is 0.9 below their share, p0 3.7 below, for a seat p3 handed on to p0 (through p3)",
    ]);
  });
});

describe("someone swapped out of their only seat", () => {
  test("owes the turn, and a plan made again from the one after the swap changes nothing", () => {
    // Found by the planner's properties: the plan after the swap did not see
    // clone-2 as someone seated before (their only seat was swapped away), the
    // next one did, and moved a seat back and forth between the two.
    const {
      roster: r,
      now,
      swap,
    } = fixture<{ swap: NonNullable<Roster["swaps"]>[number] }>(
      "swapped-out-of-their-only-seat.json",
    );
    const first = plan(r, now);
    const swapped = { ...r, swaps: [swap] };
    const second = plan(swapped, now, first.schedule);
    const third = plan(swapped, now, second.schedule);
    expect(third.changes).toEqual([]);
    expect(renderSchedule(third.schedule)).toBe(renderSchedule(second.schedule));
  });
});

describe("someone taken off the roster and put back", () => {
  const example = loadRosterFile("roster.example.yaml");
  const zed: Person = { id: "zed", name: "Zed", team: "design", joined: "2025-01-01" };
  const weekly = (r: Roster, from: number, weeks: number, schedule: Schedule) => {
    let now = from;
    let next = schedule;
    for (let week = 0; week < weeks; week++) {
      next = plan(r, now, next).schedule;
      now += 7 * DAY;
    }
    return { now, schedule: next };
  };

  test("keeps the day they were added, and owes nothing for the weeks off the roster", () => {
    const first = plan(example).schedule;
    const added = weekly(withPerson(example, zed), NOW + 7 * DAY, 6, first);
    expect(added.schedule.countedFrom).toEqual({ zed: "2026-11-30" });
    expect(
      added.schedule.entries.some((e) => e.date < "2027-01-11" && e.people.includes("zed")),
    ).toBe(true);
    const off = weekly(example, added.now, 4, added.schedule);
    // Off the roster since the first plan without them; the day they were added stays.
    expect(off.schedule.offRoster).toEqual({ zed: [{ from: "2027-01-11" }] });
    expect(off.schedule.countedFrom).toEqual({ zed: "2026-11-30" });
    const back = plan(withPerson(example, zed), off.now, off.schedule);
    expect(back.schedule.offRoster).toEqual({ zed: [{ from: "2027-01-11", to: "2027-02-07" }] });
    expect(back.schedule.countedFrom).toEqual({ zed: "2026-11-30" });
    // Owed as someone away for those weeks would be: their share of the window, not the four weeks too.
    const away = withPerson(example, { ...zed, away: [{ from: "2027-01-11", to: "2027-02-07" }] });
    const asAway = plan(away, off.now, off.schedule);
    const share = (result: typeof back) =>
      result.fairness.find((row) => row.id === "zed")?.expected;
    expect(share(back)).toBeCloseTo(share(asAway) ?? Number.NaN, 6);
    expect(back.schedule.entries.map((e) => e.people)).toEqual(
      asAway.schedule.entries.map((e) => e.people),
    );
  });
});

describe("quota deadlines", () => {
  const team = (people: Person[]): Roster =>
    roster({
      horizon_weeks: 8,
      rules: { every: "1 month" },
      people,
    });
  const many = (n: number): Person[] =>
    Array.from({ length: n }, (_, i) => ({ id: `p${i}`, name: `P${i}` }));

  test("a turn is due by the last day someone is available in the period, not its end", () => {
    // 20 people and 20 open weekdays in January: a turn each, none to spare.
    // Whoever is away from the 18th must have theirs before it.
    const away: Person = {
      id: "leaving",
      name: "Away from the 18th",
      away: [{ from: "2027-01-18", to: "2027-02-28", reason: "sabbatical" }],
    };
    const closed = { ...team([...many(19), away]), holidays: { dates: ["2027-01-01"] } };
    // December was served by the one who leaves alone, so by share alone
    // they would come last in January.
    const alone = { ...closed, horizon_weeks: 3, people: [away] };
    const december = plan(alone, at("2026-12-01T06:00:00Z")).schedule;
    const result = plan(closed, at("2026-12-28T06:00:00Z"), december);
    const january = result.schedule.entries.filter(
      (e) => e.date.startsWith("2027-01") && e.people.includes("leaving"),
    );
    expect(january.length).toBeGreaterThanOrEqual(1);
    expect(january.every((e) => e.date < "2027-01-18")).toBe(true);
  });

  test("the deadline itself: the day after the last available day in the period", () => {
    const [member] = resolveTeam(
      roster({
        rules: { every: "1 month" },
        people: [{ id: "x", name: "X", away: [{ from: "2027-01-18", to: "2027-02-03" }] }],
      }),
    ).members;
    expect(fromDay(quotaDeadline(member as never, toDay("2027-01-05")) as number)).toBe(
      "2027-01-18",
    );
    expect(fromDay(quotaDeadline(member as never, toDay("2027-02-10")) as number)).toBe(
      "2027-03-01",
    );
    const gone = resolveTeam(
      roster({
        rules: { every: "1 month" },
        people: [{ id: "y", name: "Y", away: [{ from: "2027-03-01", to: "2027-03-31" }] }],
      }),
    ).members[0];
    expect(quotaDeadline(gone as never, toDay("2027-03-10"))).toBeUndefined();
  });

  test("a turn someone cannot have is a warning naming them and the period", () => {
    const people: Person[] = [
      ...many(4),
      {
        id: "away",
        name: "Away all February",
        away: [{ from: "2027-02-01", to: "2027-02-28", reason: "parental leave" }],
      },
      { id: "late", name: "Joins on a Saturday", joined: "2027-02-27" },
    ];
    const result = plan(team(people), at("2027-01-04T06:00:00Z"));
    const messages = result.warnings.map((w) => w.message);
    expect(messages).toContain(
      "away has no turn in 2027-02 (every 1 month): they are away (parental leave) for all of it",
    );
    expect(messages).toContain(
      "late has no turn in 2027-02 (every 1 month): they join on 2027-02-27 and no seat they can fill was free after that",
    );
    expect(result.warnings.find((w) => w.message.startsWith("away has"))?.person).toBe("away");
  });

  test("the seats of a part of the team falling short is said up front, with its numbers", () => {
    // ShoreTel's shape: two pro seats and a guest seat on Tuesdays and
    // Thursdays; 4 regulars have seats to spare, 14 guests have 8 in January.
    const shore: Roster = roster({
      timezone: "America/Los_Angeles",
      horizon_weeks: 14,
      shifts: [
        {
          id: "queue",
          days: ["tue", "thu"],
          start: "09:00",
          end: "13:00",
          seats: [{ role: "pro" }, { role: "pro" }, { role: "guest" }],
        },
      ],
      rules: { every: "1 month" },
      teams: { support: { roles: ["pro"] }, sales: { roles: ["guest"] } },
      people: [
        ...Array.from({ length: 4 }, (_, i) => ({
          id: `pro${i}`,
          name: `Pro ${i}`,
          team: "support",
        })),
        ...Array.from({ length: 14 }, (_, i) => ({
          id: `guest${i}`,
          name: `Guest ${i}`,
          team: "sales",
        })),
      ],
    });
    const messages = plan(shore, at("2026-11-23T20:00:00Z")).warnings.map((w) => w.message);
    expect(messages).toContain(
      'quota "every 1 month" cannot be met in 2027-01: 14 people owe a turn but there are only 8 seats they can fill',
    );
    // Each guest without a turn is named under that, not told no seat was free.
    expect(messages.some((m) => m.includes("no seat they can fill was free"))).toBe(false);
    expect(messages.filter((m) => m.includes("as the seats cannot meet the quota"))).toHaveLength(
      3,
    );
  });

  test("alike people owing turns in months of too few seats end within one shift of each other", () => {
    // Six take either desk, eight only Fridays: about four Friday seats a month for eight turns owed.
    const fridays: Roster = roster({
      timezone: "UTC",
      horizon_weeks: 14,
      shifts: [
        {
          id: "a",
          days: ["mon", "tue", "wed", "thu"],
          start: "09:00",
          end: "17:00",
          seats: [{ role: "any" }],
        },
        { id: "b", days: ["fri"], start: "09:00", end: "17:00", seats: [{ role: "any" }] },
      ],
      rules: { every: "1 month" },
      people: [
        ...Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, name: `A${i}` })),
        ...Array.from({ length: 8 }, (_, i) => ({ id: `b${i}`, name: `B${i}`, shifts: ["b"] })),
      ],
    });
    const result = plan(fridays, at("2026-11-23T12:00:00Z"));
    const counts = result.fairness.filter((row) => row.id.startsWith("b")).map((row) => row.shifts);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    // As many turns are met as the seats allow: a turn changed hands, none was lost.
    const missed = result.warnings
      .filter((w) => w.message.includes("as the seats cannot meet the quota"))
      .map((w) => Number(w.message.split(" ")[0]));
    expect(missed.reduce((a, b) => a + b, 0)).toBe(11);
  });

  test("a period that began before the rota did is not owed", () => {
    // Planned on the 23rd, with nothing before: November is not judged.
    const result = plan(team(many(12)));
    expect(result.warnings.filter((w) => w.message.includes("2026-11"))).toEqual([]);
  });
});

describe("covers: who actually served", () => {
  test("a swap recorded once the shift started credits whoever stood in, not the plan's person", () => {
    const r = roster({ horizon_weeks: 2 });
    const first = plan(r);
    const started = first.schedule.entries[0] as Schedule["entries"][number];
    const absent = started.people[0] as string;
    const cover = ["ada", "bob", "cy"].find((p) => p !== absent) as string;
    const later = Date.parse(started.start) + 2 * 3_600_000; // mid-shift
    const covered: Roster = {
      ...r,
      swaps: [{ date: started.date, shift: started.shift, out: absent, in: cover, reason: "ill" }],
    };
    const second = plan(covered, later, first.schedule);
    const entry = second.schedule.entries.find((e) => e.id === started.id);
    // The plan stays as it was; who served is said beside it, and calendars see a change.
    expect(entry?.people).toEqual(started.people);
    expect(entry?.served).toEqual([cover]);
    expect(entry?.rev).toBe(started.rev + 1);
    // Fairness counts the shift for whoever served it: under way, in this
    // window's shifts (not yet among those served before it).
    const row = (id: string) => second.fairness.find((each) => each.id === id);
    const held = (id: string) =>
      second.schedule.entries.filter((e) => (e.served ?? e.people).includes(id)).length;
    for (const id of [cover, absent]) {
      expect(row(id)?.served, id).toBe(0);
      expect(row(id)?.shifts, id).toBe(held(id));
    }
    expect(held(absent)).toBe(
      second.schedule.entries.filter((e) => e.people.includes(absent)).length - 1,
    );
    // And planning again changes nothing.
    const third = plan(covered, later, second.schedule);
    expect(third.schedule.entries.find((e) => e.id === started.id)).toEqual(entry);
  });
});

describe("a shift's hours change", () => {
  const example = loadRosterFile("roster.example.yaml");
  const emeaAt = (start: string): Roster => ({
    ...example,
    shifts: example.shifts.map((shift) => (shift.id === "emea" ? { ...shift, start } : shift)),
  });
  const ids = (schedule: Schedule) => schedule.entries.map((entry) => entry.id);
  const entry = (schedule: Schedule, id: string) => schedule.entries.find((e) => e.id === id);

  test("later while today's occurrence runs: it stays as served, the ones to come move, people kept", () => {
    const first = plan(example);
    const running = at("2026-11-24T08:30:00Z"); // 09:30 in Berlin, emea began at 09:00
    const second = plan(emeaAt("10:00"), running, first.schedule);
    expect(new Set(ids(second.schedule)).size).toBe(second.schedule.entries.length);
    expect(entry(second.schedule, "2026-11-24/emea")).toEqual(
      entry(first.schedule, "2026-11-24/emea"),
    );
    const next = entry(second.schedule, "2026-11-25/emea");
    expect(next?.start).toBe("2026-11-25T10:00:00+01:00");
    expect(next?.people).toEqual(entry(first.schedule, "2026-11-25/emea")?.people);
    expect(next?.rev).toBe(1);
    // Every emea occurrence planned before is a change, and says why; nothing else planned before is.
    const emea = second.schedule.entries.filter(
      (e) => e.shift === "emea" && e.date > "2026-11-24" && e.date < fromDay(first.until),
    );
    const changed = second.changes.filter((c) => c.before !== null);
    expect(changed.map((c) => c.id)).toEqual(emea.map((e) => e.id).sort());
    expect(changed[0]).toMatchObject({
      id: "2026-11-25/emea",
      before: next?.people,
      after: next?.people,
      reasons: ["now 10:00–17:00, was 09:00–17:00"],
    });
    expect(plan(emeaAt("10:00"), running, second.schedule).changes).toEqual([]);
  });

  test("earlier, to a time already past: today's occurrence is kept with its people at the new time", () => {
    const first = plan(example);
    const before = at("2026-11-24T07:30:00Z"); // 08:30 in Berlin: emea planned for 09:00
    const second = plan(emeaAt("08:00"), before, first.schedule);
    const today = entry(second.schedule, "2026-11-24/emea");
    expect(today?.start).toBe("2026-11-24T08:00:00+01:00");
    expect(today?.people).toEqual(entry(first.schedule, "2026-11-24/emea")?.people);
    expect(second.changes.find((c) => c.id === "2026-11-24/emea")?.reasons).toEqual([
      "now 08:00–17:00, was 09:00–17:00",
    ]);
    expect(second.gaps).toEqual([]);
  });
});

describe("one voice for why someone cannot take a seat", () => {
  test("a swap and explain say it the same way", () => {
    const example = loadRosterFile("roster.example.yaml");
    const first = plan(example);
    const americas = first.schedule.entries.find((e) => e.id === "2026-12-08/americas");
    const out = americas?.people[0] as string;
    const swapped: Roster = {
      ...example,
      swaps: [
        ...(example.swaps ?? []),
        { date: "2026-12-08", shift: "americas", out, in: "guido" },
      ],
    };
    const second = planRota({
      roster: swapped,
      previous: first.schedule,
      now: NOW,
      explain: "2026-12-08/americas",
    });
    const refusal = second.warnings.find((w) => w.id === "2026-12-08/americas");
    expect(refusal?.message).toBe(
      `swap ${out} → guido on 2026-12-08/americas cannot apply: guido takes only shift emea, not americas; ${out} stays on it`,
    );
    const guido = second.explanation?.people.find((p) => p.id === "guido");
    expect(guido?.reason).toBe("takes only shift emea, not americas");
    const linus = second.explanation?.people.find((p) => p.id === "linus");
    expect(linus?.reason).toBe("holds no role this shift needs (pro)");
  });
});

describe("a swap on an occurrence that is not in the plan", () => {
  const example = loadRosterFile("roster.example.yaml");
  const swapOn = (date: string, shift: string): Roster => ({
    ...example,
    swaps: [{ date, shift, out: "linus", in: "jony" }],
  });
  const unapplied = (r: Roster, now: number) =>
    plan(r, now).warnings.filter((w) => w.message.includes("does not apply"));

  test("is history once the occurrence has started, even with no schedule before the plan", () => {
    // The example's EMEA day shift of Thursday 3 December, 09:00–17:00 in Berlin.
    for (const now of [
      "2026-12-03T09:30:00+01:00",
      "2026-12-03T18:00:00+01:00",
      "2026-12-04T10:00:00+01:00",
    ]) {
      expect(unapplied(swapOn("2026-12-03", "emea"), at(now)), now).toEqual([]);
    }
  });

  test("is named when the shift does not run that day, today or ahead", () => {
    // No EMEA day shift on a Saturday.
    expect(unapplied(swapOn("2026-12-05", "emea"), at("2026-12-04T10:00:00+01:00"))).toEqual([
      {
        id: "2026-12-05/emea",
        message: "swap linus → jony on 2026-12-05/emea does not apply: there is no such occurrence",
      },
    ]);
  });
});

describe("a seat someone made way on, moved on again", () => {
  test("says who serves there now, not who took it first", () => {
    // Found by the planner's properties: p2 made way (filling an open seat
    // beside it) and p3 took their seat; a later move gave that seat to p4,
    // while the change still said p3 serves instead.
    const {
      roster: r,
      now,
      added,
    } = fixture<{ added: Roster["people"][number] }>("made-way-then-moved-on.json");
    const first = plan(r, now);
    const second = plan({ ...r, people: [...r.people, added] }, now, first.schedule);
    let said = 0;
    for (const change of second.changes) {
      for (const reason of change.reasons) {
        const instead =
          /^(\S+) serves instead of (\S+), who fills a seat nobody free could on (\S+)/.exec(
            reason,
          );
        if (!instead) continue;
        said++;
        const [, to, member, id] = instead as unknown as [string, string, string, string];
        expect(change.after, reason).toContain(to);
        expect(change.after, reason).not.toContain(member);
        expect(second.schedule.entries.find((e) => e.id === id)?.people, reason).toContain(member);
      }
    }
    expect(said).toBeGreaterThan(0);
  });
});
