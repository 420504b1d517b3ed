import { describe, expect, test } from "vitest";
import { parseNote } from "../../src/core/notes/note.ts";
import { buildReport, type PersonFigures } from "../../src/core/report/figures.ts";
import { checkNotes, type NoteRecord, noteRecord } from "../../src/core/report/notes.ts";
import { quoteText, recurringThemes } from "../../src/core/report/themes.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import type { ScheduleEntry } from "../../src/core/schedule/schedule.ts";
import { ENTRIES, NOTES, NOW, PLANNED_UNTIL, ROSTER } from "../helpers/report-fixture.ts";

/**
 * Every figure of the report of test/helpers/report-fixture.ts, worked out
 * by hand (the comments show the arithmetic).
 */

const report = buildReport({
  roster: ROSTER,
  entries: ENTRIES,
  plannedUntil: PLANNED_UNTIL,
  notes: NOTES,
  now: NOW,
});

function person(id: string, r = report): PersonFigures {
  const found = r.people.find((p) => p.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
}

describe("the report's figures, against a hand-computed company", () => {
  test("the window defaults to the schedule's first day until today", () => {
    expect(report.window).toEqual({ since: "2026-01-05", until: "2026-03-04" });
    expect(report.now).toBe("2026-03-04T12:00:00Z");
    expect(report.team).toBe("Tiny & Co");
  });

  test("participation: shifts served, last served, next shift", () => {
    const rows = report.people.map((p) => [
      p.id,
      p.active,
      p.served,
      p.lastServed?.id ?? null,
      p.nextShift?.id ?? null,
    ]);
    expect(rows).toEqual([
      ["ann", true, 4, "2026-03-02/day", "2026-03-23/day"],
      ["bob", true, 3, "2026-02-23/day", "2026-03-09/day"],
      ["cat", true, 1, "2026-01-19/day", null],
      ["dan", true, 1, "2026-02-16/day", "2026-03-16/day"],
      ["eve", true, 0, null, null],
      ["gus", false, 0, null, null],
    ]);
    expect(person("ann").lastServed).toEqual({
      id: "2026-03-02/day",
      date: "2026-03-02",
      shift: "day",
      start: "2026-03-02T09:00:00Z",
    });
  });

  test("quotas: where each person stands this period and last, and who is overdue", () => {
    const status = (id: string) => {
      const quota = person(id).quota;
      return quota && [quota.every, quota.current.status, quota.previous.status];
    };
    expect(status("ann")).toEqual(["1 month", "served", "served"]); // Mar 2; Feb 9
    expect(status("bob")).toEqual(["1 month", "planned", "served"]); // Mar 9 ahead; Feb 2, 23
    // The schedule starts on Jan 5: 2025-Q4 is before its record.
    expect(status("cat")).toEqual(["1 quarter", "served", "unknown"]);
    expect(status("dan")).toEqual(["1 month", "planned", "served"]); // joined Feb 10, served Feb 16
    // Nothing served or planned in March although planned to April 1; nothing in February.
    expect(status("eve")).toEqual(["1 month", "unplanned", "missed"]);
    // Left on Jan 31: not available in February or March.
    expect(status("gus")).toEqual(["1 month", "exempt", "exempt"]);
    expect(person("cat").quota?.current).toEqual({
      period: "2026-Q1",
      from: "2026-01-01",
      until: "2026-03-31",
      status: "served",
    });
    expect(report.people.filter((p) => p.overdue).map((p) => p.id)).toEqual(["eve"]);
    expect(report.totals.overdue).toBe(1);
  });

  test("a period the schedule does not reach the end of yet is due, not overdue", () => {
    const early = buildReport({
      roster: ROSTER,
      entries: ENTRIES,
      plannedUntil: "2026-03-20",
      notes: [],
      now: NOW,
    });
    expect(person("eve", early).quota?.current.status).toBe("due");
    // Still overdue: February was missed.
    expect(person("eve", early).overdue).toBe(true);
  });

  test("fairness: served against each person's share of the served seats, and the spread", () => {
    // Seats on Jan 5, 12, 19, 26 shared by ann, bob, cat, eve, gus (1/5 each);
    // Feb 2 and 9 by ann, bob, cat, eve (1/4: gus left, dan not yet joined);
    // Feb 16, 23 and Mar 2 by ann, bob, cat, dan, eve (1/5).
    // ann, bob, cat, eve: 4/5 + 2/4 + 3/5 = 1.9; gus: 4/5 = 0.8; dan: 3/5 = 0.6.
    const shares = report.people.map((p) => [p.id, p.expected, p.deviation]);
    expect(shares).toEqual([
      ["ann", 1.9, 2.1],
      ["bob", 1.9, 1.1],
      ["cat", 1.9, -0.9],
      ["dan", 0.6, 0.4],
      ["eve", 1.9, -1.9],
      ["gus", 0.8, -0.8],
    ]);
    // Spread: 2.1 − (−1.9) = 4; standard deviation: √((4.41 + 1.21 + 0.81 + 0.16 + 3.61 + 0.64) / 6) = 1.34.
    expect(report.fairness).toEqual({
      spread: 4,
      stdDev: 1.34,
      mostAbove: "ann",
      mostBelow: "eve",
    });
  });

  test("notes: served shifts without notes, per person, and the share with notes", () => {
    expect(report.people.map((p) => [p.id, p.notes.written, p.notes.missing])).toEqual([
      ["ann", 2, ["2026-02-09/day", "2026-03-02/day"]],
      ["bob", 2, ["2026-02-02/day"]],
      ["cat", 0, ["2026-01-19/day"]],
      ["dan", 1, []],
      ["eve", 0, []],
      ["gus", 0, []],
    ]);
    expect(report.totals).toEqual({
      people: 6,
      active: 5,
      occurrences: 9,
      shifts: 9,
      withNotes: 5,
      notesShare: 0.56, // 5 / 9
      notes: 5, // the note of 2025-12-29 is before the window
      overdue: 1,
    });
  });

  test("a shift still going on is served but not yet missing its notes", () => {
    const at = (now: string) =>
      person(
        "ann",
        buildReport({
          roster: ROSTER,
          entries: ENTRIES,
          plannedUntil: PLANNED_UNTIL,
          notes: NOTES,
          now: Date.parse(now),
        }),
      );
    // 2026-03-02/day runs 09:00–17:00 UTC.
    expect(at("2026-03-02T12:00:00Z").served).toBe(at("2026-03-02T17:00:00Z").served);
    expect(at("2026-03-02T12:00:00Z").notes.missing).toEqual(["2026-02-09/day"]);
    expect(at("2026-03-02T17:00:00Z").notes.missing).toEqual(["2026-02-09/day", "2026-03-02/day"]);
  });

  test("teams: leadership measured like everyone else", () => {
    expect(report.teams).toEqual([
      {
        id: "eng",
        people: 5,
        active: 4,
        served: 8,
        expected: 7.1,
        overdue: 1,
        notesWritten: 5,
        notesShare: 0.63, // 5 / 8
      },
      {
        id: "leadership",
        people: 1,
        active: 1,
        served: 1,
        expected: 1.9,
        overdue: 0,
        notesWritten: 0,
        notesShare: 0,
      },
    ]);
  });

  test("themes: tags by month, conversations handled, how shifts felt", () => {
    const { themes } = report;
    expect(themes.months).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(themes.tags).toEqual([
      { tag: "billing", count: 3, byMonth: [2, 1, 0] },
      { tag: "exports", count: 2, byMonth: [0, 2, 0] },
      { tag: "sso", count: 2, byMonth: [2, 0, 0] },
    ]);
    // 10 + 6 + 5 (the later entry of Jan 26 corrects 3) in January, 8 in February.
    expect(themes.handled).toEqual({ total: 29, shifts: 4, byMonth: [21, 8, 0] });
    expect(themes.mood).toEqual({
      count: 5,
      average: 3.6, // (4 + 2 + 5 + 4 + 3) / 5
      distribution: [0, 1, 1, 2, 1],
      byMonth: [3.67, 3.5, null], // (4 + 2 + 5) / 3, (4 + 3) / 2
    });
  });

  test("themes: recurring answers, quoted newest first with their note files", () => {
    expect(report.themes.struggles).toEqual([
      {
        term: "SSO",
        count: 2,
        quotes: [
          {
            text: "SSO login loops with Azure AD",
            person: "ann",
            occurrence: "2026-01-26/day",
            date: "2026-01-26",
            file: "notes/2026/01/2026-01-26-day-ann.md",
          },
          expect.objectContaining({ text: "Setting up SSO with Okta", person: "ann" }),
        ],
      },
    ]);
    // "Invoice currency" says more than "invoice" or "currency" alone, with the same count.
    expect(report.themes.fix.map((t) => [t.term, t.count, t.quotes.map((q) => q.person)])).toEqual([
      ["Invoice currency", 2, ["dan", "bob"]],
    ]);
  });

  test("newcomers and swaps", () => {
    expect(report.newcomers).toEqual([
      {
        id: "dan",
        name: "Dan",
        joined: "2026-02-10",
        firstShift: {
          id: "2026-02-16/day",
          date: "2026-02-16",
          shift: "day",
          start: "2026-02-16T09:00:00Z",
          served: true,
          with: [],
        },
        daysAfterJoining: 6,
        within: 14,
        onTime: true,
      },
    ]);
    expect(report.swaps).toEqual([
      {
        occurrence: "2026-02-02/day",
        date: "2026-02-02",
        shift: "day",
        out: "ann",
        in: "bob",
        reason: "dentist",
        status: "served",
      },
    ]);
    expect(person("ann").swaps).toEqual({ in: 0, out: 1 });
    expect(person("bob").swaps).toEqual({ in: 1, out: 0 });
  });

  test("a swap handed back or on later stands in whoever holds the seat at last", () => {
    const swap = ROSTER.swaps?.[0] as NonNullable<Roster["swaps"]>[number];
    const back = { ...swap, out: swap.in, in: swap.out, reason: "back" };
    const chained = buildReport({
      roster: { ...ROSTER, swaps: [swap, back] },
      entries: ENTRIES.map((e) =>
        e.id === swap.date + "/" + swap.shift
          ? { ...e, people: e.people.map((p) => (p === swap.in ? swap.out : p)) }
          : e,
      ),
      plannedUntil: PLANNED_UNTIL,
      notes: NOTES,
      now: NOW,
    });
    expect(chained.swaps.map((s) => [s.out, s.in, s.status])).toEqual([
      ["ann", "bob", "served"],
      ["bob", "ann", "served"],
    ]);
  });

  test("--since and --until choose the window", () => {
    const february = buildReport({
      roster: ROSTER,
      entries: ENTRIES,
      plannedUntil: PLANNED_UNTIL,
      notes: NOTES,
      now: NOW,
      since: "2026-02-01",
      until: "2026-02-28",
    });
    expect(february.window).toEqual({ since: "2026-02-01", until: "2026-02-28" });
    // Feb 2, 9: ann, bob, cat, eve (1/4); Feb 16, 23: and dan (1/5).
    expect(february.people.map((p) => [p.id, p.served, p.expected, p.lastServed?.date])).toEqual([
      ["ann", 1, 0.9, "2026-02-09"],
      ["bob", 2, 0.9, "2026-02-23"],
      ["cat", 0, 0.9, "2026-01-19"],
      ["dan", 1, 0.4, "2026-02-16"],
      ["eve", 0, 0.9, undefined],
      ["gus", 0, 0, undefined],
    ]);
    expect(february.themes.months).toEqual(["2026-02"]);
    expect(february.totals.notes).toBe(2);
    expect(february.newcomers.map((n) => n.id)).toEqual(["dan"]);
  });

  test("the report is plain data: JSON gives it back unchanged", () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe("recurring themes", () => {
  test("counts a term once per answer, keeps the form most answers wrote", () => {
    const themes = recurringThemes(
      [
        { text: "SSO SSO sso", item: 1 },
        { text: "the sso page", item: 2 },
        { text: "sso", item: 3 },
        { text: "billing", item: 4 },
      ],
      { limit: 5 },
    );
    expect(themes).toEqual([{ term: "sso", count: 3, items: [1, 2, 3] }]);
  });

  test("come from the words the quotes show, not from link or web addresses", () => {
    const themes = recurringThemes(
      [
        { text: "Exports failed, see [the guide](https://help.example.com/exports)", item: 1 },
        { text: "Invoices were late, per [this page](https://help.example.com/billing)", item: 2 },
        { text: "Read https://help.example.com/faq and <https://help.example.com/sso>", item: 3 },
        { text: "Mail mailto:help@example.com or www.example.com/help", item: 4 },
        { text: "The **invoice** page, `invoice` again", item: 5 },
      ],
      { limit: 5 },
    );
    // "page" is in a link's text, which the quote shows; no address is a theme.
    expect(themes).toEqual([{ term: "page", count: 2, items: [2, 5] }]);
  });

  test("quotes are one line, cut on a word", () => {
    expect(quoteText("one\n\n two  three")).toBe("one two three");
    expect(
      quoteText(
        "Customers could not find the **SAML metadata URL** in `Settings › SSO`; see [the guide](https://x.example/sso) \\*not* _yet_ snake_case_name",
      ),
    ).toBe(
      "Customers could not find the SAML metadata URL in Settings › SSO; see the guide *not* yet snake_case_name",
    );
    expect(quoteText("- first\n- second\n> quoted\n## heading")).toBe(
      "first second quoted heading",
    );
    expect(quoteText(`${"word ".repeat(60)}end`, 30)).toBe("word word word word word word…");
  });

  test("a link's destination goes whole: balanced parentheses, angle brackets and a title", () => {
    expect(
      quoteText(
        "login loops, see [the SSO guide](https://en.wikipedia.org/wiki/Single_sign-on_(SSO)) step 3",
      ),
    ).toBe("login loops, see the SSO guide step 3");
    expect(quoteText("SAML docs **bold** [x](javascript:alert(1)) end")).toBe(
      "SAML docs bold x end",
    );
    expect(quoteText('[a](<https://x.example/a b>) and ![img](/i.png "Title") (aside)')).toBe(
      "a and img (aside)",
    );
  });
});

describe("note records", () => {
  test("the shift and person come from the front matter, else from the file name", () => {
    const parsed = parseNote("---\ntags: [a]\n---\n", "x.md");
    if (!parsed.ok) throw new Error("unreadable");
    const record = noteRecord("notes/2026/11/2026-11-23-late-emea-ada.md", parsed.note, [
      "late",
      "late-emea",
    ]);
    expect(record.ok && record.record).toMatchObject({
      occurrence: "2026-11-23/late-emea",
      person: "ada",
      tags: ["a"],
    });
    expect(noteRecord("notes/x.md", parsed.note, ["emea"]).ok).toBe(false);
  });
});

/**
 * A company on a monthly quota with one all-day seat on weekdays, Europe/Berlin:
 * the schedule as given, "now" at noon on `now`.
 */
function standingReport(options: {
  people: Roster["people"];
  assigned: [string, string][];
  now: string;
  plannedUntil: string;
  countedFrom?: Record<string, string>;
  notes?: NoteRecord[];
}) {
  const roster: Roster = {
    version: 1,
    team: "Standing",
    timezone: "UTC",
    shifts: [
      {
        id: "day",
        name: "Day",
        days: ["mon", "tue", "wed", "thu", "fri"],
        start: "09:00",
        end: "17:00",
        seats: [{ role: "any" }],
      },
    ],
    rules: { every: "1 month" },
    people: options.people,
  };
  const entries: ScheduleEntry[] = options.assigned.map(([date, person]) => ({
    id: `${date}/day`,
    date,
    shift: "day",
    start: `${date}T09:00:00Z`,
    end: `${date}T17:00:00Z`,
    people: [person],
    rev: 0,
    changed: "2026-01-01T00:00:00Z",
  }));
  return buildReport({
    roster,
    entries,
    plannedUntil: options.plannedUntil,
    notes: options.notes ?? [],
    now: Date.parse(`${options.now}T12:00:00Z`),
    ...(options.countedFrom ? { countedFrom: options.countedFrom } : {}),
  });
}

const standingOf = (r: ReturnType<typeof standingReport>) =>
  Object.fromEntries(r.people.map((p) => [p.id, [p.standing.status, p.standing.summary]]));

describe("standing: overdue only where a turn was owed and could have been served", () => {
  test("on the day rota is adopted, a month that began before it is unknown, not overdue", () => {
    // rota starts on Monday 16 November; ann and bob are planned this month,
    // cat and dan (nothing left for them in November) from December.
    const r = standingReport({
      people: ["ann", "bob", "cat", "dan"].map((id) => ({ id, name: id.toUpperCase() })),
      assigned: [
        ["2026-11-16", "ann"],
        ["2026-11-17", "bob"],
        ["2026-12-01", "cat"],
        ["2026-12-02", "dan"],
      ],
      now: "2026-11-16",
      plannedUntil: "2027-01-04",
    });
    expect(r.people.map((p) => [p.id, p.quota?.current.status, p.quota?.previous.status])).toEqual([
      ["ann", "served", "unknown"],
      ["bob", "planned", "unknown"],
      ["cat", "unknown", "unknown"],
      ["dan", "unknown", "unknown"],
    ]);
    expect(standingOf(r)).toEqual({
      ann: ["ok", "ok"],
      bob: ["ok", "ok"],
      cat: ["unknown", "counts from 2026-12: rota began 2026-11-16"],
      dan: ["unknown", "counts from 2026-12: rota began 2026-11-16"],
    });
    expect(r.people.filter((p) => p.overdue)).toEqual([]);
    expect(r.totals.overdue).toBe(0);
  });

  test("someone added after rota began counts from the day schedule.yaml says", () => {
    // The schedule began on 1 October; zed was added on 20 November.
    const r = standingReport({
      people: [
        { id: "ann", name: "Ann" },
        { id: "zed", name: "Zed" },
      ],
      assigned: [
        ["2026-10-01", "ann"],
        ["2026-11-02", "ann"],
        ["2026-12-01", "zed"],
      ],
      now: "2026-11-25",
      plannedUntil: "2027-01-04",
      countedFrom: { zed: "2026-11-20" },
    });
    expect(r.people.find((p) => p.id === "zed")?.quota?.current.status).toBe("unknown");
    expect(standingOf(r).zed).toEqual(["unknown", "counts from 2026-12: added 2026-11-20"]);
  });

  test("people who have not joined yet show when they join; people who left, when they left", () => {
    const r = standingReport({
      people: [
        { id: "ann", name: "Ann" },
        { id: "new", name: "New", joined: "2027-01-11" },
        { id: "old", name: "Old", left: "2026-09-30" },
      ],
      assigned: [
        ["2026-10-01", "ann"],
        ["2026-11-02", "ann"],
      ],
      now: "2026-11-25",
      plannedUntil: "2026-12-01",
    });
    const newcomer = r.people.find((p) => p.id === "new");
    expect(newcomer).toMatchObject({ active: false, joined: "2027-01-11", left: null });
    expect(standingOf(r).new).toEqual(["joining", "joins 2027-01-11"]);
    expect(standingOf(r).old).toEqual(["left", "left 2026-09-30"]);
    expect(r.people.find((p) => p.id === "old")).toMatchObject({ left: "2026-09-30" });
  });

  test("someone away for the rest of the period, or all of it, is away, not overdue", () => {
    // All judged: the schedule began on 1 October. Now Wednesday 25 November.
    const r = standingReport({
      people: [
        { id: "ann", name: "Ann" },
        // Away from the 10th: November was missed on a schedule that could not place her.
        {
          id: "pat",
          name: "Pat",
          away: [{ from: "2026-11-10", to: "2027-03-01", reason: "parental leave" }],
        },
        // Away from the 20th to the end of the year: nothing in November.
        { id: "kim", name: "Kim", away: [{ from: "2026-11-20", to: "2026-12-31" }] },
      ],
      assigned: [
        ["2026-10-01", "ann"],
        ["2026-10-02", "pat"],
        ["2026-10-05", "kim"],
        ["2026-11-02", "ann"],
        ["2027-01-04", "kim"],
      ],
      now: "2026-11-25",
      plannedUntil: "2027-01-11",
    });
    expect(standingOf(r)).toEqual({
      ann: ["ok", "ok"],
      pat: ["away", "away (parental leave) until 2027-03-01"],
      kim: ["away", "away until 2026-12-31"],
    });
    expect(r.people.find((p) => p.id === "pat")?.away).toEqual({
      from: "2026-11-10",
      until: "2027-03-01",
      reason: "parental leave",
    });
    expect(r.totals.overdue).toBe(0);

    // A month later Pat missed November, and is still away: away, not overdue.
    const later = standingReport({
      people: [
        { id: "ann", name: "Ann" },
        {
          id: "pat",
          name: "Pat",
          away: [{ from: "2026-11-10", to: "2027-03-01", reason: "parental leave" }],
        },
      ],
      assigned: [
        ["2026-10-01", "ann"],
        ["2026-10-02", "pat"],
        ["2026-11-02", "ann"],
        ["2026-12-01", "ann"],
      ],
      now: "2026-12-10",
      plannedUntil: "2027-01-11",
    });
    expect(later.people.find((p) => p.id === "pat")?.quota?.previous.status).toBe("missed");
    expect(standingOf(later).pat).toEqual(["away", "away (parental leave) until 2027-03-01"]);
    expect(later.totals.overdue).toBe(0);
  });

  test("someone the planner could not place says so, and is not overdue for it", () => {
    const r = standingReport({
      people: [
        { id: "ann", name: "Ann" },
        { id: "bob", name: "Bob" },
        { id: "cat", name: "Cat" },
      ],
      assigned: [
        ["2026-10-01", "ann"],
        ["2026-10-02", "bob"],
        ["2026-10-05", "cat"],
        ["2026-11-02", "ann"],
        ["2026-11-03", "bob"],
      ],
      now: "2026-11-25",
      plannedUntil: "2026-12-07",
    });
    expect(r.people.find((p) => p.id === "cat")?.quota?.current.status).toBe("unplanned");
    expect(standingOf(r).cat).toEqual([
      "unplaced",
      "no seat could be found: see `rota plan` warnings",
    ]);
    expect(r.totals.overdue).toBe(0);
  });

  test("a judged period missed while available is overdue", () => {
    const r = standingReport({
      people: [
        { id: "ann", name: "Ann" },
        { id: "cat", name: "Cat" },
      ],
      assigned: [
        ["2026-10-01", "ann"],
        ["2026-10-05", "cat"],
        ["2026-11-02", "ann"],
        ["2026-12-01", "ann"],
      ],
      now: "2026-12-10",
      plannedUntil: "2027-01-11",
    });
    expect(standingOf(r).cat).toEqual([
      "overdue",
      "overdue: missed 2026-11; no seat could be found in 2026-12",
    ]);
    expect(r.people.find((p) => p.id === "cat")?.overdue).toBe(true);
    expect(r.totals.overdue).toBe(1);
  });
});

describe("themes recur across people or shifts", () => {
  const noteOf = (date: string, person: string, answers: string[]): NoteRecord => ({
    file: `notes/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-day-${person}.md`,
    occurrence: `${date}/day`,
    date,
    shift: "day",
    person,
    tags: [],
    entries: answers.map((struggles, i) => ({
      written: `${date}T17:0${i}:00Z`,
      answers: { struggles },
    })),
    numbers: {},
  });
  const themesOf = (notes: NoteRecord[]) =>
    standingReport({
      people: [
        { id: "ann", name: "Ann" },
        { id: "bob", name: "Bob" },
      ],
      assigned: [
        ["2026-11-02", "ann"],
        ["2026-11-03", "bob"],
      ],
      now: "2026-11-25",
      plannedUntil: "2026-12-07",
      notes,
    }).themes.struggles.map((t) => [t.term, t.count, t.quotes.map((q) => q.occurrence)]);

  test("one person saying it twice about one shift is not a theme", () => {
    expect(
      themesOf([noteOf("2026-11-02", "ann", ["Webhooks time out", "webhooks again"])]),
    ).toEqual([]);
  });

  test("two people, or one person on two shifts, make a theme, counted once per note", () => {
    expect(
      themesOf([
        noteOf("2026-11-02", "ann", ["Webhooks time out", "webhooks again", "more webhooks"]),
        noteOf("2026-11-02", "bob", ["Webhooks!"]),
      ]),
    ).toEqual([["Webhooks", 2, ["2026-11-02/day", "2026-11-02/day"]]]);
    expect(
      themesOf([
        noteOf("2026-11-02", "ann", ["Webhooks time out"]),
        noteOf("2026-11-09", "ann", ["Webhooks time out again"]),
      ]),
    ).toEqual([["Webhooks time", 2, ["2026-11-09/day", "2026-11-02/day"]]]);
  });
});

describe("people no longer in the roster who served in the window", () => {
  // zoe served the 19 January shift (cat's in the fixture), then was removed from the roster.
  const entries = ENTRIES.map((entry) =>
    entry.id === "2026-01-19/day" ? { ...entry, people: ["zoe"] } : entry,
  );
  const noted: NoteRecord = {
    file: "notes/2026/01/2026-01-19-day-zoe.md",
    occurrence: "2026-01-19/day",
    date: "2026-01-19",
    shift: "day",
    person: "zoe",
    tags: [],
    entries: [{ written: "2026-01-19T17:00:00Z", answers: { struggles: "x", fix: "y" } }],
    numbers: {},
  };
  const input = { roster: ROSTER, entries, plannedUntil: PLANNED_UNTIL, now: NOW };

  test("are a row after the roster's people, named by their id, owed their part of the days up to their last shift", () => {
    const r = buildReport({ ...input, notes: [...NOTES, noted] });
    const zoe = person("zoe", r);
    // Jan 5, 12 and 19, shared by ann, bob, cat, eve, gus and zoe: 3/6.
    expect(zoe).toMatchObject({
      name: "zoe",
      team: null,
      weight: 1,
      active: false,
      served: 1,
      expected: 0.5,
      deviation: 0.5,
      quota: null,
      overdue: false,
      notes: { written: 1, missing: [] },
      left: null,
      standing: { status: "left", summary: "no longer on the roster" },
      onRoster: false,
    });
    expect(r.people.at(-1)?.id).toBe("zoe");
    expect(r.people.filter((p) => !p.onRoster).map((p) => p.id)).toEqual(["zoe"]);
    // Everyone else is owed a sixth of those days, not a fifth.
    expect(person("ann", r).expected).toBe(1.8);
    const shares = r.people.reduce((sum, p) => sum + p.expected, 0);
    expect(Math.round(shares * 100) / 100).toBe(9);
    expect(r.totals).toMatchObject({ people: 7, active: 5, shifts: 9 });
    expect(r.totals.withNotes).toBe(report.totals.withNotes + 1);
  });

  test("are named, and shared, as the roster's history last recorded them", () => {
    const r = buildReport({
      ...input,
      notes: NOTES,
      departed: new Map([["zoe", { name: "Zoe Hart", team: "eng", weight: 0.5 }]]),
    });
    // Half a share of Jan 5, 12 and 19 beside five full ones: 3 × 0.5 / 5.5.
    expect(person("zoe", r)).toMatchObject({
      name: "Zoe Hart",
      team: "eng",
      weight: 0.5,
      expected: 0.27,
    });
    expect(r.teams.find((t) => t.id === "eng")).toMatchObject({ people: 6, active: 4 });
  });
});

describe("which notes the report counts", () => {
  const at = (base: NoteRecord, date: string, person = base.person): NoteRecord => ({
    ...base,
    file: `notes/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-day-${person}.md`,
    occurrence: `${date}/day`,
    date,
    person,
  });
  const base = NOTES[1] as NoteRecord;

  test("a note of a shift in the schedule that has started, by someone known, whoever served it", () => {
    const records = [
      at(base, "2025-12-29"), // before the schedule: not checked, counted
      at(base, "2026-01-12", "cat"), // bob served it; cat sat in (--force)
      at(base, "2026-01-13"), // a Tuesday: no such shift
      at(base, "2026-03-09"), // planned, not started
      at(base, "2026-01-19", "zed"), // no one knows zed
      at(base, "2026-01-26", "kim"), // no history to ask about kim
    ];
    const known = (id: string) =>
      ROSTER.people.some((p) => p.id === id) ? true : id === "kim" ? undefined : false;
    const checked = checkNotes(records, ENTRIES, NOW, known);
    expect(checked.kept.map((r) => `${r.occurrence} ${r.person}`)).toEqual([
      "2025-12-29/day ann",
      "2026-01-12/day cat",
      "2026-01-26/day kim",
    ]);
    expect(checked.early.map((r) => r.date)).toEqual(["2025-12-29"]);
    expect(checked.unchecked.map((r) => r.person)).toEqual(["kim"]);
    expect(checked.skipped.map((s) => [s.file, s.key])).toEqual([
      ["notes/2026/01/2026-01-13-day-ann.md", "occurrence"],
      ["notes/2026/03/2026-03-09-day-ann.md", "occurrence"],
      ["notes/2026/01/2026-01-19-day-zed.md", "person"],
    ]);
  });
});
