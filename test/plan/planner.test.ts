import { describe, expect, test } from "vitest";
import { toDay } from "../../src/core/dates.ts";
import { planRota } from "../../src/core/plan/planner.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import { renderSchedule } from "../../src/core/schedule/schedule.ts";
import { counts, violations } from "../helpers/invariants.ts";
import { at, dayShift, loadRosterFile, roster } from "../helpers/roster.ts";

const NOW = at("2026-11-23T06:00:00Z"); // a Monday morning in Berlin

function plan(r: Roster, now = NOW, previous = { entries: [] as never[] }) {
  const result = planRota({ roster: r, previous, now });
  expect(violations(r, result, now)).toEqual([]);
  return result;
}

const on = (result: ReturnType<typeof plan>, id: string) =>
  result.schedule.entries.find((e) => e.id === id)?.people;

describe("occurrences and closed days", () => {
  test("every listed day in the horizon, in the shift's zone", () => {
    const result = plan(roster({ horizon_weeks: 2 }));
    expect(result.schedule.entries.map((e) => e.id)).toEqual([
      "2026-11-23/day",
      "2026-11-24/day",
      "2026-11-25/day",
      "2026-11-26/day",
      "2026-11-27/day",
      "2026-11-30/day",
      "2026-12-01/day",
      "2026-12-02/day",
      "2026-12-03/day",
      "2026-12-04/day",
    ]);
    expect(result.schedule.entries[0]).toMatchObject({
      start: "2026-11-23T09:00:00+01:00",
      end: "2026-11-23T17:00:00+01:00",
      rev: 0,
      changed: "2026-11-23T06:00:00Z",
    });
    expect(result.schedule.plannedUntil).toBe("2026-12-07");
  });

  test("German public holidays (with the region's) and extra dates are closed", () => {
    const r = roster({
      horizon_weeks: 16,
      holidays: { country: "DE", region: "BE", dates: ["2026-12-24"] },
    });
    const ids = new Set(plan(r).schedule.entries.map((e) => e.id));
    expect(ids.has("2026-12-23/day")).toBe(true);
    expect(ids.has("2026-12-24/day")).toBe(false); // holidays.dates
    expect(ids.has("2026-12-25/day")).toBe(false); // Christmas Day
    expect(ids.has("2027-01-01/day")).toBe(false); // New Year's Day
    expect(ids.has("2027-03-08/day")).toBe(false); // International Women's Day: Berlin only
    expect(ids.has("2027-03-09/day")).toBe(true);
  });

  test("US public holidays are closed, in the shift's own zone", () => {
    const r = roster({
      timezone: "America/New_York",
      holidays: { country: "US" },
    });
    const ids = new Set(plan(r).schedule.entries.map((e) => e.id));
    expect(ids.has("2026-11-25/day")).toBe(true);
    expect(ids.has("2026-11-26/day")).toBe(false); // Thanksgiving
  });

  test("a shift ending at or before its start ends the next day", () => {
    const r = roster({
      shifts: [
        { id: "night", days: ["fri"], start: "22:00", end: "06:00", seats: [{ role: "any" }] },
      ],
    });
    const first = plan(r).schedule.entries[0];
    expect(first).toMatchObject({
      id: "2026-11-27/night",
      start: "2026-11-27T22:00:00+01:00",
      end: "2026-11-28T06:00:00+01:00",
    });
  });
});

describe("availability", () => {
  test("away only on the day an overnight shift ends: still free for the day shift before it", () => {
    const r = roster({
      horizon_weeks: 1,
      shifts: [
        { id: "day", days: ["mon"], start: "09:00", end: "17:00", seats: [{ role: "any" }] },
        // Shorter, so decided first that day; it ends on Tuesday.
        { id: "night", days: ["mon"], start: "23:00", end: "05:00", seats: [{ role: "any" }] },
      ],
      people: [
        { id: "ada", name: "Ada", away: [{ from: "2026-11-24", to: "2026-11-24" }] },
        { id: "bob", name: "Bob", away: [{ from: "2026-11-23", to: "2026-11-23" }] },
      ],
    });
    const result = plan(r);
    expect(on(result, "2026-11-23/day")).toEqual(["ada"]);
    expect(on(result, "2026-11-23/night")).toEqual([]);
  });

  test("away is inclusive at both ends; joined and left are respected", () => {
    const r = roster({
      shifts: [dayShift("any", "any")],
      people: [
        { id: "ada", name: "Ada", away: [{ from: "2026-11-24", to: "2026-11-26" }] },
        { id: "bob", name: "Bob", joined: "2026-11-25" },
        { id: "cy", name: "Cy", left: "2026-11-24" },
        { id: "di", name: "Di" },
      ],
    });
    const result = plan(r);
    for (const date of ["2026-11-24", "2026-11-25", "2026-11-26"]) {
      expect(on(result, `${date}/day`)).not.toContain("ada");
    }
    expect(on(result, "2026-11-24/day")).not.toContain("bob");
    expect(on(result, "2026-11-25/day")).not.toContain("cy");
    expect(on(result, "2026-11-24/day")?.length).toBe(2);
  });

  test("nobody is on two overlapping shifts, across time zones", () => {
    const r = loadRosterFile("roster.example.yaml");
    const result = plan(r);
    for (const entry of result.schedule.entries.filter((e) => e.shift === "emea")) {
      const americas = on(result, `${entry.date}/americas`) ?? [];
      expect(entry.people.filter((p) => americas.includes(p))).toEqual([]);
    }
  });

  test("seat roles: pro seats only for pros, any seats for anyone", () => {
    const r = roster({
      shifts: [dayShift("pro", "any")],
      teams: { support: { roles: ["pro"] } },
      people: [
        { id: "ada", name: "Ada", team: "support" },
        { id: "bob", name: "Bob", roles: ["pro"] },
        { id: "cy", name: "Cy" },
        { id: "di", name: "Di" },
      ],
    });
    const result = plan(r);
    for (const [id, seats] of result.choices) {
      expect(["ada", "bob"], id).toContain(seats[0]?.person);
    }
  });

  test("a person's shifts list limits them to those shifts", () => {
    const r = loadRosterFile("roster.example.yaml");
    const result = plan(r);
    expect(
      result.schedule.entries
        .filter((e) => e.people.includes("guido"))
        .every((e) => e.shift === "emea"),
    ).toBe(true);
  });

  test("min_gap_days holds where coverage allows", () => {
    const r = roster({ rules: { min_gap_days: 3 } });
    const result = plan(r);
    expect(result.warnings).toEqual([]);
    const days = (id: string) =>
      result.schedule.entries.filter((e) => e.people.includes(id)).map((e) => toDay(e.date));
    for (const id of ["ada", "bob", "cy"]) {
      const list = days(id);
      for (let i = 1; i < list.length; i++)
        expect((list[i] as number) - (list[i - 1] as number)).toBeGreaterThanOrEqual(3);
    }
  });

  test("min_gap_days is relaxed, with a warning, when it cannot hold", () => {
    const r = roster({ rules: { min_gap_days: 5 } });
    const result = plan(r);
    expect(result.gaps).toEqual([]);
    expect(result.warnings.some((w) => w.message.startsWith("min_gap_days relaxed"))).toBe(true);
  });

  test("a seat nobody can fill is a gap, with the reason", () => {
    const r = roster({
      shifts: [
        {
          id: "day",
          days: ["mon"],
          start: "09:00",
          end: "17:00",
          seats: [{ role: "any" }, { role: "pro" }],
        },
      ],
    });
    const result = plan(r);
    expect(result.gaps[0]).toEqual({
      id: "2026-11-23/day",
      date: "2026-11-23",
      shift: "day",
      seat: 1,
      role: "pro",
      reason: "nobody holds role pro",
    });
    expect(result.schedule.entries[0]?.open).toBe(1);
  });
});

describe("fairness", () => {
  test("equal people differ by at most one shift; ties are not alphabetical", () => {
    const r = roster({ horizon_weeks: 3 });
    const c = counts(plan(r));
    const values = ["ada", "bob", "cy"].map((id) => c.get(id) ?? 0);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
    // 15 shifts, 3 people: exactly 5 each.
    expect(values).toEqual([5, 5, 5]);
    // The first pick is by a stable hash of the id, not the alphabet.
    const firsts = new Set(
      ["aa", "bb", "cc", "dd"].map((seed) =>
        plan(
          roster({ people: ["x", "y", "z"].map((id) => ({ id: `${seed}-${id}`, name: id })) }),
        ).schedule.entries[0]?.people[0]?.slice(3),
      ),
    );
    expect(firsts.size).toBeGreaterThan(1);
  });

  test("weights: half weight, half the shifts", () => {
    const r = roster({
      horizon_weeks: 12,
      people: [
        { id: "ada", name: "Ada" },
        { id: "bob", name: "Bob", weight: 0.5 },
      ],
    });
    const c = counts(plan(r));
    expect(c.get("ada")).toBe(40);
    expect(c.get("bob")).toBe(20);
  });

  test("history counts: whoever served less before is picked first now", () => {
    const r = roster();
    const history = {
      entries: [
        {
          id: "2026-11-19/day",
          date: "2026-11-19",
          shift: "day",
          start: "2026-11-19T09:00:00+01:00",
          end: "2026-11-19T17:00:00+01:00",
          people: ["ada"],
          rev: 0,
          changed: "2026-11-01T00:00:00Z",
        },
        {
          id: "2026-11-20/day",
          date: "2026-11-20",
          shift: "day",
          start: "2026-11-20T09:00:00+01:00",
          end: "2026-11-20T17:00:00+01:00",
          people: ["bob"],
          rev: 0,
          changed: "2026-11-01T00:00:00Z",
        },
      ],
    };
    const result = plan(r, NOW, history as never);
    expect(on(result, "2026-11-23/day")).toEqual(["cy"]);
    // The past stays as recorded.
    expect(result.schedule.entries.slice(0, 2)).toEqual(history.entries);
  });

  test("time away creates no debt: back from leave, no run of catch-up shifts", () => {
    const r = roster({
      horizon_weeks: 8,
      people: [
        { id: "ada", name: "Ada", away: [{ from: "2026-11-23", to: "2026-12-20" }] },
        { id: "bob", name: "Bob" },
        { id: "cy", name: "Cy" },
      ],
    });
    const result = plan(r);
    const back = toDay("2026-12-21");
    const after = counts(result, back);
    // After the return, Ada takes a third of the shifts, not all of them.
    const values = ["ada", "bob", "cy"].map((id) => after.get(id) ?? 0);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  });

  test("a swapped-out person owes the turn and is picked sooner", () => {
    const base = roster({ horizon_weeks: 2 });
    const first = plan(base);
    const firstId = first.schedule.entries[0]?.id as string;
    const out = first.schedule.entries[0]?.people[0] as string;
    const incoming = ["ada", "bob", "cy"].find((p) => p !== out) as string;
    const swapped = plan(
      { ...base, swaps: [{ date: firstId.slice(0, 10), shift: "day", out, in: incoming }] },
      NOW,
      first.schedule as never,
    );
    expect(on(swapped, firstId)).toEqual([incoming]);
    // The swap counts for whoever served: out has one fewer, in one more.
    const before = counts(first);
    const c = counts(swapped);
    expect(c.get(incoming)).toBe((before.get(incoming) ?? 0) + 1);
    expect(c.get(out)).toBe((before.get(out) ?? 0) - 1);
    const rebalanced = planRota({
      roster: { ...base, swaps: [{ date: firstId.slice(0, 10), shift: "day", out, in: incoming }] },
      previous: first.schedule,
      now: NOW,
      rebalance: true,
    });
    const r = counts(rebalanced);
    expect(Math.abs((r.get(incoming) ?? 0) - (r.get(out) ?? 0))).toBeLessThanOrEqual(1);
  });
});

describe("quotas", () => {
  test("SitePoint: everyone serves at least one day in every whole month", () => {
    const r = loadRosterFile("examples/sitepoint.yaml");
    const result = plan(r);
    expect(result.warnings.filter((w) => w.message.startsWith("quota"))).toEqual([]);
    // The whole months inside the planned window (to 2027-02-21).
    for (const month of ["2026-12", "2027-01"]) {
      const served = new Set(
        result.schedule.entries.filter((e) => e.date.startsWith(month)).flatMap((e) => e.people),
      );
      for (const person of r.people) {
        const away = (person.away ?? []).some(
          (a) => a.from <= `${month}-01` && `${month}-28` <= (a.to ?? a.from),
        );
        if (!away) expect(served, `${person.id} in ${month}`).toContain(person.id);
      }
    }
  });

  test("a quota the seats cannot meet is said up front, with the numbers", () => {
    const r = roster({
      horizon_weeks: 10,
      shifts: [
        { id: "day", days: ["mon"], start: "09:00", end: "17:00", seats: [{ role: "any" }] },
      ],
      rules: { every: "1 month" },
      people: Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, name: `P${i}` })),
    });
    const result = plan(r);
    expect(result.warnings).toContainEqual({
      message:
        'quota "every 1 month" cannot be met in 2026-12: 6 people owe a turn but there are only 4 seats they can fill',
    });
  });

  test("the nearest deadline goes first: a person leaving mid-month serves before it", () => {
    const r = roster({
      horizon_weeks: 6,
      shifts: [
        { id: "day", days: ["mon", "wed"], start: "09:00", end: "17:00", seats: [{ role: "any" }] },
      ],
      rules: { every: "1 month" },
      people: [
        { id: "ada", name: "Ada" },
        { id: "bob", name: "Bob" },
        { id: "cy", name: "Cy" },
        { id: "dee", name: "Dee", left: "2026-12-03" },
      ],
    });
    const result = plan(r);
    const december = result.schedule.entries.filter((e) => e.date.startsWith("2026-12"));
    expect(december[0]?.people).toEqual(["dee"]);
  });
});

describe("coverage before min_gap_days", () => {
  test("a regular in a seat anyone can fill hands it to a guest, relaxing the gap, to fill a pro seat", () => {
    // Two desks that overlap; the guests' weekly gap leaves nobody free on
    // Fridays but the two pros, one of whom the later desk needs.
    const r = roster({
      timezone: "Europe/Berlin",
      horizon_weeks: 4,
      shifts: [
        {
          id: "early",
          days: ["mon", "tue", "wed", "thu", "fri"],
          start: "08:00",
          end: "16:00",
          seats: [{ role: "pro" }, { role: "any" }],
        },
        {
          id: "late",
          days: ["mon", "tue", "wed", "thu", "fri"],
          start: "12:00",
          end: "20:00",
          seats: [{ role: "pro" }],
        },
      ],
      rules: { min_gap_days: 7 },
      teams: { support: { roles: ["pro"], min_gap_days: 0 } },
      people: [
        { id: "pat", name: "Pat", team: "support" },
        { id: "robin", name: "Robin", team: "support" },
        { id: "g1", name: "G1" },
        { id: "g2", name: "G2" },
        { id: "g3", name: "G3" },
        { id: "g4", name: "G4" },
      ],
    });
    const now = at("2026-11-23T07:00:00Z");
    const result = plan(r, now);
    expect(result.gaps).toEqual([]);
    expect(violations(r, result, now)).toEqual([]);
  });
});

describe("the fairness table", () => {
  test("counts a shift under way now once: in the window, not again among those served before", () => {
    const r = roster({
      people: [
        { id: "ann", name: "Ann" },
        { id: "ben", name: "Ben" },
      ],
    });
    const first = plan(r);
    // Wednesday 10:00 in Berlin: that day's shift (09:00 to 17:00) is under way.
    const second = plan(r, at("2026-11-25T09:00:00Z"), first.schedule as never);
    for (const row of second.fairness) {
      const held = second.schedule.entries.filter((e) => e.people.includes(row.id)).length;
      expect(row.shifts + row.served, row.id).toBe(held);
    }
    const wednesday = second.schedule.entries.find((e) => e.date === "2026-11-25");
    const serving = second.fairness.find((row) => row.id === wednesday?.people[0]);
    // Monday and Tuesday served before; Wednesday in the window.
    expect(serving?.served).toBeLessThan(2);
  });
});

describe("newcomers", () => {
  test("Automattic: each new hire serves within 14 days, beside a pro", () => {
    const r = loadRosterFile("examples/automattic.yaml");
    const result = plan(r);
    const pros = new Set(r.people.filter((p) => p.team === "happiness").map((p) => p.id));
    for (const hire of r.people.filter((p) => p.id.startsWith("new-"))) {
      const first = result.schedule.entries.find((e) => e.people.includes(hire.id));
      expect(first, hire.id).toBeDefined();
      expect(toDay(first?.date as string) - toDay(hire.joined as string), hire.id).toBeLessThan(14);
      expect(
        first?.people.some((p) => pros.has(p)),
        hire.id,
      ).toBe(true);
    }
  });

  test("a newcomer takes a kept seat when nothing else is free in time", () => {
    const r = roster({
      horizon_weeks: 3,
      shifts: [dayShift("pro", "any")],
      rules: { newcomers: { first_shift_within_days: 7, pair_with: "pro" } },
      people: [
        { id: "ada", name: "Ada", roles: ["pro"] },
        { id: "bob", name: "Bob" },
        { id: "cy", name: "Cy" },
      ],
    });
    const first = plan(r);
    const withNew = {
      ...r,
      people: [...r.people, { id: "new", name: "New", joined: "2026-11-25" }],
    };
    const second = plan(withNew, NOW, first.schedule as never);
    const entry = second.schedule.entries.find((e) => e.people.includes("new"));
    expect(entry?.date).toBe("2026-11-25");
    expect(entry?.people).toContain("ada");
    // Only the seats the newcomer takes changed.
    const changed = second.changes.filter((c) => c.before !== null);
    expect(changed.every((c) => c.after?.includes("new"))).toBe(true);
  });

  test("a kept seat a newcomer takes is past the freeze window where one is in time", () => {
    const r = roster({
      horizon_weeks: 5,
      shifts: [dayShift("pro", "any")],
      rules: { newcomers: { first_shift_within_days: 28, pair_with: "pro" } },
      people: [
        { id: "ada", name: "Ada", roles: ["pro"] },
        { id: "bob", name: "Bob" },
        { id: "cy", name: "Cy" },
      ],
    });
    const first = plan(r);
    const withNew = {
      ...r,
      people: [...r.people, { id: "new", name: "New", joined: "2026-11-23" }],
    };
    const second = plan(withNew, NOW, first.schedule as never);
    const entry = second.schedule.entries.find((e) => e.people.includes("new"));
    // Today is 2026-11-23; the freeze window (14 days) ends on 2026-12-07.
    expect(entry?.date).toBe("2026-12-07");
    expect(entry?.people).toContain("ada");
  });

  test("a newcomer swapped off their first shift gives up a later seat min_gap_days puts too near", () => {
    const r = loadRosterFile("roster.example.yaml");
    const now = at("2026-11-22T07:00:00Z");
    const first = plan(r, now);
    const dennis = first.schedule.entries.filter((e) => e.people.includes("dennis"));
    expect(dennis.map((e) => e.id).slice(0, 2)).toEqual(["2026-11-23/emea", "2026-12-14/emea"]);
    const swapped = {
      ...r,
      swaps: [
        ...(r.swaps ?? []),
        { date: "2026-11-23", shift: "emea", out: "dennis", in: "tim", reason: "sick" },
      ],
    };
    const second = plan(swapped, now, first.schedule as never);
    const after = second.schedule.entries.filter((e) => e.people.includes("dennis"));
    // A first shift past the freeze window (14 days) and within their 28 days (to 2026-12-14),
    // beside a pro, and nothing within 14 days of it.
    const firstShift = after[0]?.date as string;
    expect(firstShift >= "2026-12-07" && firstShift < "2026-12-14", firstShift).toBe(true);
    expect(after[0]?.how?.[after[0].people.indexOf("dennis")]).toBe("newcomer");
    expect(toDay(after[1]?.date as string) - toDay(firstShift)).toBeGreaterThanOrEqual(14);
    expect(second.warnings.filter((w) => w.person === "dennis")).toEqual([]);
  });

  test("a newcomer does not wait for a pair who has left", () => {
    // The only pro left in the summer and stays in the roster for the record.
    // The newcomer's window runs past the horizon: a later plan could bring a
    // pair only if someone with the role might still serve, and nobody can.
    const r = roster({
      horizon_weeks: 2,
      shifts: [dayShift("any", "any")],
      rules: { newcomers: { first_shift_within_days: 28, pair_with: "pro" } },
      people: [
        { id: "ada", name: "Ada", roles: ["pro"], left: "2026-07-31" },
        { id: "bob", name: "Bob" },
        { id: "cy", name: "Cy" },
        { id: "new", name: "New", joined: "2026-11-30" },
      ],
    });
    const result = plan(r);
    const seats = result.schedule.entries.filter((e) => e.people.includes("new"));
    expect(seats.length).toBeGreaterThan(0);
    const warning = result.warnings.find((w) => w.person === "new");
    expect(warning?.message).toContain("nobody with role pro may serve beside them");
  });

  test("a newcomer who holds the pair role still gets a pair, and newcomers do not pair each other", () => {
    const r = roster({
      horizon_weeks: 2,
      shifts: [dayShift("pro", "any")],
      rules: { newcomers: { first_shift_within_days: 7, pair_with: "pro" } },
      people: [
        { id: "ada", name: "Ada", roles: ["pro"] },
        { id: "bob", name: "Bob" },
        { id: "newpro", name: "New Pro", roles: ["pro"], joined: "2026-11-20" },
        { id: "newbie", name: "Newbie", joined: "2026-11-21" },
      ],
    });
    const result = plan(r);
    for (const id of ["newpro", "newbie"]) {
      const first = result.schedule.entries.find((e) => e.people.includes(id));
      expect(first?.people, id).toContain("ada");
    }
    expect(result.warnings.filter((w) => w.message.includes("newcomer"))).toEqual([]);
  });

  test("no warning while the newcomer's window reaches past the horizon and a pair may come in it", () => {
    const r = roster({
      horizon_weeks: 1,
      shifts: [dayShift("pro", "any")],
      rules: { newcomers: { first_shift_within_days: 14, pair_with: "pro" } },
      people: [
        {
          id: "ada",
          name: "Ada",
          roles: ["pro"],
          away: [{ from: "2026-11-23", to: "2026-11-30" }],
        },
        { id: "bob", name: "Bob" },
        { id: "late", name: "Late", joined: "2026-11-27" },
      ],
    });
    const result = plan(r);
    expect(result.warnings.filter((w) => w.person === "late")).toEqual([]);
    expect(result.schedule.entries.filter((e) => e.people.includes("late"))).toEqual([]);
  });

  test("a newcomer nobody with the pair role may ever serve beside has a first shift now, with the reason", () => {
    const r = roster({
      horizon_weeks: 1,
      rules: { newcomers: { first_shift_within_days: 14, pair_with: "pro" } },
      people: [
        { id: "ada", name: "Ada" },
        { id: "late", name: "Late", joined: "2026-11-27" },
      ],
    });
    const result = plan(r);
    expect(result.warnings.filter((w) => w.person === "late")).toEqual([
      {
        id: "2026-11-27/day",
        person: "late",
        message:
          "newcomer late's first shift 2026-11-27/day has nobody with role pro beside them: nobody with role pro may serve beside them on the 1 occurrence of day they could take before 2026-11-30",
      },
    ]);
    const first = result.schedule.entries.find((e) => e.people.includes("late"));
    expect(first).toMatchObject({ id: "2026-11-27/day", how: ["newcomer"] });
  });
});

describe("stability", () => {
  test("the same inputs give byte-identical output", () => {
    const r = loadRosterFile("roster.example.yaml");
    const a = renderSchedule(plan(r).schedule);
    const b = renderSchedule(plan(r).schedule);
    expect(a).toBe(b);
    const again = planRota({ roster: r, previous: plan(r).schedule, now: NOW });
    expect(renderSchedule(again.schedule)).toBe(a);
    expect(again.changes).toEqual([]);
  });

  test("replanning later keeps the past and every still-valid assignment", () => {
    const r = loadRosterFile("roster.example.yaml");
    const first = plan(r);
    const later = at("2026-12-02T12:00:00Z");
    const second = plan(r, later, first.schedule as never);
    for (const entry of first.schedule.entries) {
      const now = second.schedule.entries.find((e) => e.id === entry.id);
      expect(now, entry.id).toEqual(entry);
    }
    expect(second.schedule.entries.length).toBeGreaterThan(first.schedule.entries.length);
  });

  test("removing a person changes only that person's seats", () => {
    const r = loadRosterFile("roster.example.yaml");
    const first = plan(r);
    const without = { ...r, people: r.people.filter((p) => p.id !== "linus"), swaps: [] };
    const second = plan(without, NOW, first.schedule as never);
    for (const change of second.changes) {
      expect(change.before, change.id).toContain("linus");
      expect(change.before?.filter((p) => !change.after?.includes(p))).toEqual(["linus"]);
    }
    expect(second.changes.length).toBe(counts(first).get("linus"));
  });

  test("adding a person changes only the seats that person takes", () => {
    const r = loadRosterFile("roster.example.yaml");
    const first = plan(r);
    const added = {
      ...r,
      people: [...r.people, { id: "zed", name: "Zed", team: "support", joined: "2025-01-01" }],
    };
    const second = plan(added, NOW, first.schedule as never);
    for (const change of second.changes) expect(change.after, change.id).toContain("zed");
  });

  test("--rebalance recomputes the future; without it, someone added takes a few seats", () => {
    const r = loadRosterFile("roster.example.yaml");
    const first = plan(r);
    const added = { ...r, people: [...r.people, { id: "zed", name: "Zed", joined: "2025-01-01" }] };
    const kept = plan(added, NOW, first.schedule as never);
    const rebalanced = planRota({
      roster: added,
      previous: first.schedule,
      now: NOW,
      rebalance: true,
    });
    expect(violations(added, rebalanced, NOW)).toEqual([]);
    const zed = (p: ReturnType<typeof plan>) => p.fairness.find((row) => row.id === "zed");
    // Both give zed their share within a shift and a half; keeping the plan
    // does it in one change per seat zed takes, recomputing changes far more.
    for (const p of [kept, rebalanced]) {
      const row = zed(p);
      expect(Math.abs((row?.shifts ?? 0) - (row?.expected ?? 0))).toBeLessThanOrEqual(1.5);
    }
    expect(kept.changes.length).toBe(counts(kept).get("zed"));
    expect(rebalanced.changes.length).toBeGreaterThan(2 * kept.changes.length);
  });

  test("a changed time keeps the people and raises rev", () => {
    const r = roster();
    const first = plan(r);
    const later = {
      ...r,
      shifts: [{ ...(r.shifts[0] as Roster["shifts"][number]), start: "10:00" }],
    };
    const second = plan(later, at("2026-11-23T07:00:00Z"), first.schedule as never);
    const a = first.schedule.entries[0];
    const b = second.schedule.entries[0];
    expect(b?.people).toEqual(a?.people);
    expect(b?.start).toBe("2026-11-23T10:00:00+01:00");
    expect(b?.rev).toBe(1);
    expect(b?.changed).toBe("2026-11-23T07:00:00Z");
  });
});
