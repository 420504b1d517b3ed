import { describe, expect, test } from "vitest";
import { toDay } from "../../src/core/dates.ts";
import { planRota } from "../../src/core/plan/planner.ts";
import { counts, violations } from "../helpers/invariants.ts";
import { at, loadRosterFile } from "../helpers/roster.ts";

const NOW = at("2026-11-23T06:00:00Z");

function planExample(file: string) {
  const roster = loadRosterFile(file);
  const plan = planRota({ roster, previous: { entries: [] }, now: NOW });
  expect(violations(roster, plan, NOW)).toEqual([]);
  return { roster, plan };
}

describe("each practice runs as it is", () => {
  test("roster.example.yaml plans with no gaps and no warnings", () => {
    const { plan } = planExample("roster.example.yaml");
    expect(plan.gaps).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  test("Olark: one pool, equal weights: everyone within one shift of everyone", () => {
    const { roster, plan } = planExample("examples/olark.yaml");
    expect(plan.gaps).toEqual([]);
    const c = counts(plan);
    const values = roster.people.map((p) => c.get(p.id) ?? 0);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  });

  test("SitePoint: founders included, a support day in every whole month", () => {
    const { roster, plan } = planExample("examples/sitepoint.yaml");
    expect(plan.gaps).toEqual([]);
    for (const month of ["2026-12", "2027-01"]) {
      const served = new Set(
        plan.schedule.entries.filter((e) => e.date.startsWith(month)).flatMap((e) => e.people),
      );
      for (const person of roster.people) {
        if (person.id === "gia" && month === "2026-12") continue; // away 21 Dec – 8 Jan
        expect(served, `${person.id} in ${month}`).toContain(person.id);
      }
      expect(served).toContain("mark");
      expect(served).toContain("matt");
    }
  });

  test("ShoreTel: each shift pairs a support regular with a guest; guests serve once or twice a year", () => {
    const { roster, plan } = planExample("examples/shoretel.yaml");
    expect(plan.gaps).toEqual([]);
    const support = new Set(roster.people.filter((p) => p.team === "support").map((p) => p.id));
    for (const entry of plan.schedule.entries) {
      expect(support.has(entry.people[0] as string), entry.id).toBe(true);
      expect(support.has(entry.people[1] as string), entry.id).toBe(false);
    }
    const c = counts(plan);
    for (const person of roster.people.filter((p) => p.team !== "support")) {
      const n = c.get(person.id) ?? 0;
      expect(n, person.id).toBeGreaterThanOrEqual(1);
      expect(n, person.id).toBeLessThanOrEqual(2);
    }
  });

  test("Automattic: new hires serve within 14 days of joining, beside a pro", () => {
    const { roster, plan } = planExample("examples/automattic.yaml");
    const pros = new Set(roster.people.filter((p) => p.team === "happiness").map((p) => p.id));
    for (const hire of roster.people.filter((p) => p.id.startsWith("new-"))) {
      const first = plan.schedule.entries.find((e) => e.people.includes(hire.id));
      expect(
        toDay(first?.date ?? "9999-01-01") - toDay(hire.joined as string),
        hire.id,
      ).toBeLessThan(14);
      expect(
        first?.people.some((p) => pros.has(p)),
        hire.id,
      ).toBe(true);
    }
  });

  test("Management on the front line: leaders serve every quarter, everyone else every month", () => {
    const { roster, plan } = planExample("examples/management.yaml");
    expect(plan.gaps).toEqual([]);
    expect(plan.warnings.filter((w) => w.message.startsWith("quota"))).toEqual([]);
    const leaders = roster.people.filter((p) => p.team === "leadership");
    const quarter = plan.schedule.entries.filter(
      (e) => e.date >= "2027-01-01" && e.date < "2027-04-01",
    );
    for (const leader of leaders) {
      expect(
        quarter.some((e) => e.people.includes(leader.id)),
        leader.id,
      ).toBe(true);
    }
    for (const month of ["2026-12", "2027-01", "2027-02", "2027-03", "2027-04"]) {
      const served = new Set(
        plan.schedule.entries.filter((e) => e.date.startsWith(month)).flatMap((e) => e.people),
      );
      for (const person of roster.people.filter((p) => p.team !== "leadership")) {
        expect(served, `${person.id} in ${month}`).toContain(person.id);
      }
    }
    // Measured like everyone else, at a quarter of the weight.
    const fairness = plan.fairness.find((row) => row.id === "craig");
    expect(fairness?.weight).toBe(0.25);
  });
});

describe("fair for the shapes teams have", () => {
  test.each([
    "roster.example.yaml",
    "examples/olark.yaml",
    "examples/shoretel.yaml",
    "examples/automattic.yaml",
    "examples/pros-and-guests.yaml",
  ])("%s: nobody with a share of a shift at 0, everyone within one shift of it", (file) => {
    const { plan } = planExample(file);
    expect(plan.gaps).toEqual([]);
    for (const row of plan.fairness) {
      if (row.expected >= 1) expect(row.shifts, row.id).toBeGreaterThan(0);
      expect(Math.abs(row.shifts - row.expected), row.id).toBeLessThanOrEqual(1);
    }
  });

  test("pros and guests: the pros fill the pro seats, the guests the rest", () => {
    const { roster, plan } = planExample("examples/pros-and-guests.yaml");
    const pros = new Set(roster.people.filter((p) => p.team === "support").map((p) => p.id));
    for (const entry of plan.schedule.entries) {
      expect(
        entry.people.filter((p) => pros.has(p)),
        entry.id,
      ).toHaveLength(1);
    }
    // 121 guests, about one turn each in the half year.
    const guests = plan.fairness.filter((row) => !pros.has(row.id));
    expect(guests).toHaveLength(121);
    for (const row of guests) expect(row.shifts, row.id).toBeGreaterThanOrEqual(1);
  });
});
