import { describe, expect, test } from "vitest";
import {
  type CommitInfo,
  noteEvent,
  readScheduleDiff,
  rosterEvents,
  scheduleEvent,
} from "../../src/core/log/history.ts";
import { UnreadableRoster } from "../../src/core/log/roster-versions.ts";

const COMMIT: CommitInfo = {
  commit: "a".repeat(40),
  date: "2026-11-23T10:00:00+01:00",
  author: "Grace Hopper",
  email: "grace@example.com",
  occurrences: [],
  persons: [],
};

const summaries = (before: unknown, after: unknown) =>
  rosterEvents(COMMIT, before, after, "roster.yaml").map((e) => e.summary);

const roster = (extra: Record<string, unknown> = {}) => ({
  version: 1,
  team: "Acme",
  people: [
    { id: "ada", name: "Ada", team: "support" },
    { id: "grace", name: "Grace" },
  ],
  swaps: [],
  ...extra,
});

describe("roster changes, compared as data", () => {
  test("people added, removed and changed; swaps added and removed; other keys", () => {
    const before = roster({
      swaps: [{ date: "2026-12-01", shift: "emea", out: "ada", in: "grace" }],
    });
    const after = roster({
      team: "Acme Inc",
      people: [
        { id: "ada", name: "Ada", team: "engineering", away: [{ from: "2026-12-20" }] },
        { id: "alan", name: "Alan Turing" },
      ],
      swaps: [{ date: "2026-12-03", shift: "emea", out: "grace", in: "ada", reason: "dentist" }],
    });
    expect(summaries(before, after)).toEqual([
      "roster.yaml: ada changed (away, team)",
      "roster.yaml: added alan (Alan Turing)",
      "roster.yaml: removed grace",
      "swap 2026-12-03/emea: grace → ada (dentist)",
      "swap removed 2026-12-01/emea: ada → grace",
      "roster.yaml: changed team",
    ]);
  });

  test("the same swap again, after a swap back, is a swap of its own", () => {
    const there = { date: "2026-12-01", shift: "emea", out: "ada", in: "grace" };
    const back = { date: "2026-12-01", shift: "emea", out: "grace", in: "ada" };
    expect(
      summaries(roster({ swaps: [there, back] }), roster({ swaps: [there, back, there] })),
    ).toEqual(["swap 2026-12-01/emea: ada → grace"]);
  });

  test("a swap whose reason alone changed is that swap changed, not a second swap", () => {
    const swap = { date: "2026-12-03", shift: "emea", out: "grace", in: "ada" };
    const dentist = roster({ swaps: [{ ...swap, reason: "dentist" }] });
    const doctor = roster({ swaps: [{ ...swap, reason: "doctor" }] });
    const events = rosterEvents(COMMIT, dentist, doctor, "roster.yaml");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: "swap-changed",
      summary: "swap changed 2026-12-03/emea: grace → ada: reason dentist → doctor",
      occurrence: "2026-12-03/emea",
      swap: { ...swap, reason: "doctor" },
      before: { ...swap, reason: "dentist" },
    });
    expect(summaries(roster({ swaps: [swap] }), dentist)).toEqual([
      "swap changed 2026-12-03/emea: grace → ada: reason (none) → dentist",
    ]);
  });

  test("created, deleted, unreadable, and edits that change no data", () => {
    expect(summaries(undefined, roster())).toEqual(["roster.yaml created with 2 people"]);
    expect(summaries(roster(), undefined)).toEqual(["roster.yaml deleted"]);
    const broken = new UnreadableRoster("it does not parse as YAML (line 2:1: …)");
    expect(summaries(roster(), broken)).toEqual([
      "roster.yaml no longer reads as a roster at this commit: it does not parse as YAML (line 2:1: …)",
    ]);
    expect(summaries(roster(), null)).toEqual([
      "roster.yaml no longer reads as a roster at this commit: it is empty",
    ]);
    expect(summaries(roster(), ["a"])).toEqual([
      "roster.yaml no longer reads as a roster at this commit: it holds a list, not the keys of a roster (version, team, people, …)",
    ]);
    expect(summaries(undefined, "oops")).toEqual([
      'roster.yaml created, but it does not read as a roster: it holds the text "oops", not the keys of a roster (version, team, people, …)',
    ]);
    expect(summaries("oops", broken)).toEqual([
      "roster.yaml changed, and still does not read as a roster: it does not parse as YAML (line 2:1: …)",
    ]);
    expect(summaries(broken, undefined)).toEqual(["roster.yaml deleted"]);
    expect(summaries(roster(), roster())).toEqual(["roster.yaml edited (comments or layout only)"]);
    const reordered = roster();
    reordered.people.reverse();
    expect(summaries(roster(), reordered)).toEqual(["roster.yaml: people or swaps reordered"]);
  });
});

describe("a roster that reads again", () => {
  const events = (before: unknown, after: unknown, earlier?: unknown) =>
    rosterEvents(COMMIT, before, after, "roster.yaml", earlier).map((e) => [e.kind, e.summary]);

  test("is compared with the last version that read, never called created", () => {
    const renamed = roster();
    renamed.people[1] = { id: "grace", name: "Grace Hopper" };
    expect(events("oops", renamed, roster())).toEqual([
      [
        "roster-readable",
        "roster.yaml reads as a roster again, with these changes from the last version that did",
      ],
      ["person-changed", "roster.yaml: grace changed (name)"],
    ]);
    expect(events(null, roster(), roster())).toEqual([
      [
        "roster-readable",
        "roster.yaml reads as a roster again, the same as the last version that did",
      ],
    ]);
    // With no earlier version that read (it never did, or it is before --since), its people are named.
    const first = rosterEvents(COMMIT, new UnreadableRoster("…"), roster(), "roster.yaml");
    expect(first).toMatchObject([
      { kind: "roster-readable", summary: "roster.yaml reads as a roster, with 2 people" },
    ]);
    expect(first[0]?.people).toEqual(["ada", "grace"]);
  });
});

describe("schedule changes", () => {
  const line = (sign: string, id: string, people: string[]) =>
    `${sign}  - ${JSON.stringify({ id, date: id.slice(0, 10), shift: id.slice(11), people })}`;
  const diff = readScheduleDiff([
    line("-", "2026-12-01/emea", ["ada", "grace"]),
    line("+", "2026-12-01/emea", ["ada", "linus"]),
    line("+", "2026-12-02/emea", ["grace"]),
    line("-", "2026-12-03/emea", ["ada"]),
    "+++ b/schedule.yaml",
    "+  - {not json",
  ]);

  test("are counted per occurrence", () => {
    expect(scheduleEvent(COMMIT, diff, "schedule.yaml")).toMatchObject({
      summary: "schedule.yaml: 1 occurrence changed, 1 added, 1 removed",
      changed: 1,
      added: 1,
      removed: 1,
      occurrences: ["2026-12-01/emea", "2026-12-02/emea", "2026-12-03/emea"],
    });
  });

  test("a line rewritten with the same people and times is no change", () => {
    const entry = { id: "2026-12-04/emea", start: "2026-12-04T09:00:00+01:00", people: ["ada"] };
    const rewritten = readScheduleDiff([
      `-  - ${JSON.stringify({ ...entry, how: ["share"] })}`,
      `+  - ${JSON.stringify({ ...entry, how: ["share"], relaxed: { ada: "2026-11-30/emea" } })}`,
      `-  - ${JSON.stringify({ ...entry, id: "2026-12-05/emea" })}`,
      `+  - ${JSON.stringify({ ...entry, id: "2026-12-05/emea", start: "2026-12-05T10:00:00+01:00" })}`,
    ]);
    expect(rewritten.map((change) => change.id)).toEqual(["2026-12-05/emea"]);
  });

  test("narrow to one person's turns", () => {
    expect(scheduleEvent(COMMIT, diff, "schedule.yaml", "grace")?.summary).toBe(
      "schedule.yaml: grace on 2026-12-02/emea; grace off 2026-12-01/emea",
    );
    expect(scheduleEvent(COMMIT, diff, "schedule.yaml", "steve")).toBeUndefined();
  });
});

describe("notes", () => {
  test("from rota's trailers, or from the file name and the known shifts", () => {
    const withTrailers = {
      ...COMMIT,
      occurrences: ["2026-11-23/late-shift"],
      persons: ["mary-ann"],
    };
    const file = "notes/2026/11/2026-11-23-late-shift-mary-ann.md";
    expect(noteEvent(withTrailers, file, file.slice(6), "A", true, [])).toMatchObject({
      summary: "notes 2026-11-23/late-shift by mary-ann",
      occurrence: "2026-11-23/late-shift",
      person: "mary-ann",
      action: "written",
    });
    expect(
      noteEvent(COMMIT, file, file.slice(6), "M", false, ["late", "late-shift"]),
    ).toMatchObject({
      summary: "notes added to 2026-11-23/late-shift by mary-ann",
      person: "mary-ann",
    });
    expect(noteEvent(COMMIT, file, file.slice(6), "D", false, [])).toMatchObject({
      summary: `notes deleted ${file}`,
      action: "removed",
    });
    expect(noteEvent(COMMIT, "notes/TEMPLATE.md", "TEMPLATE.md", "M", true, [])).toBeUndefined();
  });
});
