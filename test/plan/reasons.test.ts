import { describe, expect, test } from "vitest";
import { planRota } from "../../src/core/plan/planner.ts";
import { RECORDED_HOWS } from "../../src/core/plan/types.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import {
  checkEntry,
  readCanonicalSchedule,
  renderSchedule,
  type Schedule,
} from "../../src/core/schedule/schedule.ts";
import { parseSchedule } from "../../src/core/schedule/schedule-yaml.ts";
import { at, loadRosterFile, roster } from "../helpers/roster.ts";

const NOW = at("2026-11-23T06:00:00Z");
const DAY = 86_400_000;

const plan = (r: Roster, now = NOW, previous: Schedule = { entries: [] }, explain?: string) =>
  planRota({ roster: r, previous, now, ...(explain ? { explain } : {}) });

describe("every seat explains itself, for as long as it stands", () => {
  const example = loadRosterFile("roster.example.yaml");

  test("a fresh plan records how each seat was filled, beside each person", () => {
    const { schedule } = plan(example);
    for (const entry of schedule.entries) {
      expect(entry.how, entry.id).toHaveLength(entry.people.length);
      for (const how of entry.how ?? []) {
        expect(["swap", "newcomer", "pair", "quota", "share"], entry.id).toContain(how);
      }
    }
    const dennis = schedule.entries.find((e) => e.people.includes("dennis"));
    expect(dennis?.how?.[dennis.people.indexOf("dennis")]).toBe("newcomer");
    expect(schedule.entries.find((e) => e.id === "2026-12-03/emea")?.how).toContain("swap");
  });

  test("a later plan keeps the recorded reasons, and `explain` answers with them", () => {
    const first = plan(example);
    const later = plan(example, NOW + 3 * DAY, first.schedule, "2026-12-16/emea");
    const recorded = first.schedule.entries.find((e) => e.id === "2026-12-16/emea");
    expect(later.explanation?.seats.map((s) => s.how)).toEqual(recorded?.how);
    for (const seat of later.explanation?.seats ?? []) {
      expect(seat.how).not.toBe("kept");
      expect(seat.reason).not.toMatch(/kept|recorded reasons/);
    }
  });

  test("a relaxed min_gap_days is recorded with the occurrence, and warned about on every plan", () => {
    // Two people for a daily shift with min_gap_days 3: it cannot hold.
    const tight = roster({
      horizon_weeks: 1,
      rules: { min_gap_days: 3 },
      people: [
        { id: "ada", name: "Ada" },
        { id: "bob", name: "Bob" },
      ],
    });
    const first = plan(tight);
    const relaxed = first.schedule.entries.filter((e) => e.relaxed);
    expect(relaxed.length).toBeGreaterThan(0);
    for (const entry of relaxed) {
      for (const [person, near] of Object.entries(entry.relaxed ?? {})) {
        expect(entry.people).toContain(person);
        expect(first.schedule.entries.find((e) => e.id === near)?.people).toContain(person);
      }
    }
    const warned = (p: ReturnType<typeof plan>) =>
      p.warnings.filter((w) => w.message.startsWith("min_gap_days relaxed")).map((w) => w.id);
    expect(warned(first).length).toBeGreaterThan(0);
    // The next plan keeps every seat, and still says so for those ahead.
    const later = plan(tight, NOW + DAY, first.schedule);
    expect(later.changes.filter((c) => c.before !== null)).toEqual([]);
    const ahead = relaxed.filter((e) => Date.parse(e.start) >= NOW + DAY).map((e) => e.id);
    expect(warned(later)).toEqual(expect.arrayContaining(ahead));
    expect(ahead.length).toBeGreaterThan(0);
  });

  test("a seat within the gap that keeps people alike within a shift says so, not that nobody was free", () => {
    // Four people alike and one away for the first days, for a daily desk and
    // a Monday and Tuesday one under a five-day gap: a seat within the gap that
    // only another of the four is free for, while its holder has one shift
    // fewer than a third of them.
    const alike = ["clone-0", "clone-1", "clone-2", "clone-3"].map((id) => ({ id, name: id }));
    const tight = roster({
      horizon_weeks: 3,
      shifts: [
        {
          id: "s0",
          days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
          start: "08:00",
          end: "15:00",
          timezone: "Australia/Sydney",
          seats: [{ role: "any" }],
        },
        {
          id: "s1",
          days: ["mon", "tue"],
          all_day: true,
          timezone: "America/New_York",
          seats: [{ role: "any" }],
        },
      ],
      rules: { min_gap_days: 5 },
      people: [
        {
          id: "p2",
          name: "P2",
          shifts: ["s0", "s1"],
          away: [{ from: "2027-11-14", to: "2027-11-25" }],
        },
        ...alike,
      ],
    });
    const now = at("2027-11-19T00:00:00Z");
    const first = plan(tight, now);
    const held = [...first.choices].flatMap(([id, seats]) =>
      seats.filter((seat) => seat.relaxedBy === "alike").map((seat) => ({ id, seat })),
    );
    expect(held.length).toBeGreaterThan(0);
    const count = (id: string) => first.fairness.find((row) => row.id === id)?.shifts ?? 0;
    for (const { id, seat } of held) {
      const holder = seat.person as string;
      // Giving it up would leave them two behind someone alike...
      expect(Math.max(...alike.map((p) => count(p.id))) - (count(holder) - 1), id).toBe(2);
      // ...while someone else was free for it.
      const explained = plan(tight, now, { entries: [] }, id).explanation;
      const free = (explained?.people ?? []).filter((p) => p.status === "candidate");
      expect(free.length, id).toBeGreaterThan(0);
      for (const person of free)
        expect(
          alike.map((p) => p.id),
          id,
        ).toContain(person.id);
      const warning = first.warnings.find((w) => w.id === id && w.person === holder);
      expect(warning?.message, id).toMatch(/more than a shift behind someone alike to them/);
      expect(warning?.message, id).not.toMatch(/nobody else/);
    }
  });

  test("a schedule written before reasons were recorded still loads, and says so", () => {
    const first = plan(example);
    const old: Schedule = {
      ...first.schedule,
      entries: first.schedule.entries.map(({ how: _how, relaxed: _relaxed, ...entry }) => entry),
    };
    const text = renderSchedule(old);
    expect(text).not.toContain('"how"');
    const read = readCanonicalSchedule(text);
    expect(read?.entries).toHaveLength(first.schedule.entries.length);
    const later = plan(example, NOW, read as Schedule, "2026-12-16/emea");
    expect(later.changes).toEqual([]);
    expect(later.explanation?.seats.map((s) => s.how)).toEqual(["kept", "kept"]);
    expect(later.explanation?.seats[0]?.reason).toMatch(/before schedule\.yaml recorded reasons/);
    // Lines without reasons are written back without them: no churn in a
    // diff, but for the swap's, which the swap in the roster records again.
    const lines = (t: string) => t.split("\n").filter((l) => !l.includes('"2026-12-03/emea"'));
    expect(lines(renderSchedule(later.schedule))).toEqual(lines(text));
  });
});

describe("schedule.yaml's reasons and counted_from", () => {
  const text = [
    "version: 1",
    'planned_until: "2026-12-21"',
    "counted_from:",
    '  zed: "2026-12-01"',
    "# entries: 1",
    "shifts:",
    '  - {"id": "2026-12-01/day", "date": "2026-12-01", "shift": "day", "start": "2026-12-01T09:00:00+01:00", "end": "2026-12-01T17:00:00+01:00", "people": ["ada", "zed"], "how": ["share", "moved"], "relaxed": {"ada": "2026-11-30/day"}, "rev": 0, "changed": "2026-11-23T06:00:00Z"}',
    "",
  ].join("\n");

  test("round-trips byte for byte", () => {
    const schedule = readCanonicalSchedule(text);
    expect(schedule?.countedFrom).toEqual({ zed: "2026-12-01" });
    expect(schedule?.entries[0]?.relaxed).toEqual({ ada: "2026-11-30/day" });
    expect(
      renderSchedule(schedule as Schedule)
        .split("\n")
        .slice(4)
        .join("\n"),
    ).toBe(text);
  });

  test("a hand edit is read with its positions, and bad values are reported", () => {
    const edited = text.replace('"moved"]', '"because"]').replace("  zed:", "  Zed:");
    const parsed = parseSchedule(edited, "schedule.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const messages = parsed.problems.map((p) => `${p.line}: ${p.message.split(";")[0]}`);
    expect(messages).toContain("4: not a person id");
    expect(messages.some((m) => m.startsWith("7: how must list, for each person, one of"))).toBe(
      true,
    );
  });
});

describe("schedule.yaml's off_roster", () => {
  const text = [
    "version: 1",
    'planned_until: "2027-02-01"',
    "counted_from:",
    '  zed: "2026-11-16"',
    "off_roster:",
    '  cy: [{"from": "2026-11-02", "to": "2026-11-13"}, {"from": "2026-12-07", "to": "2027-01-03"}]',
    '  zed: [{"from": "2026-12-28"}]',
    "# entries: 1",
    "shifts:",
    '  - {"id": "2027-01-04/day", "date": "2027-01-04", "shift": "day", "start": "2027-01-04T09:00:00+01:00", "end": "2027-01-04T17:00:00+01:00", "people": ["cy"], "how": ["share"], "rev": 0, "changed": "2027-01-04T06:00:00Z"}',
    "",
  ].join("\n");

  test("round-trips byte for byte, and a file without it reads as nobody off the roster", () => {
    const schedule = readCanonicalSchedule(text);
    expect(schedule?.offRoster).toEqual({
      cy: [
        { from: "2026-11-02", to: "2026-11-13" },
        { from: "2026-12-07", to: "2027-01-03" },
      ],
      zed: [{ from: "2026-12-28" }],
    });
    expect(
      renderSchedule(schedule as Schedule)
        .split("\n")
        .slice(4)
        .join("\n"),
    ).toBe(text);
    const without = text.replace(/off_roster:\n( {2}.*\n){2}/, "");
    expect(readCanonicalSchedule(without)?.offRoster).toBeUndefined();
  });

  test("a hand edit is read with its positions, and bad ranges are reported", () => {
    const edited = text
      .replace('"to": "2026-11-13"}, ', '"to": "2026-10-13"}, ')
      .replace('[{"from": "2026-12-28"}]', '[{"from": "2026-12-28"}, {"from": "2027-01-11"}]');
    const parsed = parseSchedule(edited, "schedule.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const messages = parsed.problems.map((p) => `${p.line}: ${p.message.split(";")[0]}`);
    expect(messages).toEqual([
      "6: 2026-10-13 is before 2026-11-02",
      "7: only its last range may be open",
    ]);
  });
});

describe("checkEntry names the first thing wrong with an entry", () => {
  const good = {
    id: "2026-12-01/day",
    date: "2026-12-01",
    shift: "day",
    start: "2026-12-01T09:00:00+01:00",
    end: "2026-12-01T17:00:00+01:00",
    people: ["ada", "zed"],
    how: ["share", "moved"],
    relaxed: { ada: "2026-11-30/day" },
    served: ["ada", "bob"],
    open: 1,
    rev: 0,
    changed: "2026-11-23T06:00:00Z",
  };
  const cases: [string, Record<string, unknown>, [string | undefined, string]][] = [
    ["an unknown key", { ...good, colour: "red" }, ["colour", 'unknown key "colour" in an entry']],
    ["a missing key", { ...good, rev: undefined }, [undefined, 'entry is missing "rev"']],
    ["a bad start", { ...good, start: 9 }, ["start", "start must be an ISO time with an offset"]],
    [
      "an end that does not exist",
      { ...good, end: "2026-12-01T25:00:00+01:00" },
      ["end", "end 2026-12-01T25:00:00+01:00 is not a real time: there is no hour 25"],
    ],
    [
      "a changed that is no time",
      { ...good, changed: "yesterday" },
      ["changed", "changed must be an ISO time with an offset"],
    ],
    [
      "an end before the start",
      { ...good, end: "2026-12-01T08:00:00+01:00" },
      ["end", "end 2026-12-01T08:00:00+01:00 is not after start 2026-12-01T09:00:00+01:00"],
    ],
    [
      "a person who is no id",
      { ...good, people: ["ada", "Zed"] },
      ["people", "people must be a list of person ids"],
    ],
    [
      "people not a list",
      { ...good, people: "ada" },
      ["people", "people must be a list of person ids"],
    ],
    [
      "a how too short",
      { ...good, how: ["share"] },
      ["how", `how must list, for each person, one of ${RECORDED_HOWS.join(", ")}`],
    ],
    [
      "a how unknown",
      { ...good, how: ["share", "because"] },
      ["how", `how must list, for each person, one of ${RECORDED_HOWS.join(", ")}`],
    ],
    [
      "a served who is no id",
      { ...good, served: ["ada", 7] },
      ["served", "served must be a list of person ids"],
    ],
    ["an open of 0", { ...good, open: 0 }, ["open", "open must be a whole number above 0"]],
    ["a rev below 0", { ...good, rev: -1 }, ["rev", "rev must be a whole number"]],
  ];

  test("a well-formed entry passes", () => {
    expect(checkEntry(good)).toBeUndefined();
    const { how: _how, relaxed: _relaxed, served: _served, open: _open, ...bare } = good;
    expect(checkEntry(bare)).toBeUndefined();
    expect(checkEntry({ ...good, people: [], how: [], relaxed: undefined })).toBeUndefined();
  });

  test.each(cases)("%s", (_name, entry, expected) => {
    const value = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
    expect(checkEntry(value)).toEqual(expected);
  });
});
