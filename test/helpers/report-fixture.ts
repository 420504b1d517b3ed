import type { NoteRecord } from "../../src/core/report/notes.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import type { ScheduleEntry } from "../../src/core/schedule/schedule.ts";

/**
 * A small company whose report is worked out by hand (test/core/report.test.ts):
 * one shift on Mondays with one seat, January to March 2026, "now" on
 * Wednesday 4 March at noon UTC.
 *
 *   Mondays served: Jan 5 ann, 12 bob, 19 cat, 26 ann; Feb 2 bob (a swap: ann
 *   out), 9 ann, 16 dan, 23 bob; Mar 2 ann. Planned: Mar 9 bob, 16 dan,
 *   23 ann, 30 bob (planned until 2026-04-01).
 *
 *   ann, bob, eve, gus (left 2026-01-31) and dan (joined 2026-02-10) are in
 *   eng with the monthly quota; cat is in leadership with a quarterly one.
 */
export const NOW = Date.parse("2026-03-04T12:00:00Z");

export const ROSTER: Roster = {
  version: 1,
  team: "Tiny & Co",
  timezone: "UTC",
  shifts: [
    {
      id: "day",
      name: "Day",
      days: ["mon"],
      start: "09:00",
      end: "17:00",
      seats: [{ role: "any" }],
    },
  ],
  rules: { every: "1 month", newcomers: { first_shift_within_days: 14 } },
  teams: { leadership: { every: "1 quarter" } },
  people: [
    { id: "ann", name: "Ann", team: "eng" },
    { id: "bob", name: "Bob", team: "eng" },
    { id: "cat", name: "Cat", team: "leadership" },
    { id: "dan", name: "Dan", team: "eng", joined: "2026-02-10" },
    { id: "eve", name: "Eve", team: "eng" },
    { id: "gus", name: "Gus", team: "eng", left: "2026-01-31" },
  ],
  swaps: [{ date: "2026-02-02", shift: "day", out: "ann", in: "bob", reason: "dentist" }],
};

const ASSIGNED: [string, string][] = [
  ["2026-01-05", "ann"],
  ["2026-01-12", "bob"],
  ["2026-01-19", "cat"],
  ["2026-01-26", "ann"],
  ["2026-02-02", "bob"],
  ["2026-02-09", "ann"],
  ["2026-02-16", "dan"],
  ["2026-02-23", "bob"],
  ["2026-03-02", "ann"],
  ["2026-03-09", "bob"],
  ["2026-03-16", "dan"],
  ["2026-03-23", "ann"],
  ["2026-03-30", "bob"],
];

export const ENTRIES: ScheduleEntry[] = ASSIGNED.map(([date, person]) => ({
  id: `${date}/day`,
  date,
  shift: "day",
  start: `${date}T09:00:00Z`,
  end: `${date}T17:00:00Z`,
  people: [person],
  rev: 0,
  changed: "2026-01-01T00:00:00Z",
}));

export const PLANNED_UNTIL = "2026-04-01";

function note(
  date: string,
  person: string,
  tags: string[],
  entries: Record<string, string | number | string[]>[],
): NoteRecord {
  const last = entries[entries.length - 1] ?? {};
  const numbers: Record<string, number> = {};
  for (const key of ["handled", "mood"]) {
    if (typeof last[key] === "number") numbers[key] = last[key] as number;
  }
  return {
    file: `notes/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-day-${person}.md`,
    occurrence: `${date}/day`,
    date,
    shift: "day",
    person,
    tags,
    entries: entries.map((answers, i) => ({
      written: `${date}T17:0${i}:00Z`,
      answers,
    })),
    numbers,
  };
}

export const NOTES: NoteRecord[] = [
  note("2025-12-29", "ann", ["old"], [{ struggles: "Before the window: SSO", handled: 99 }]),
  note(
    "2026-01-05",
    "ann",
    ["sso", "billing"],
    [
      {
        struggles: "Setting up SSO with Okta",
        fix: "Document the SAML metadata URL",
        handled: 10,
        mood: 4,
      },
    ],
  ),
  note(
    "2026-01-12",
    "bob",
    ["billing"],
    [
      {
        struggles: "Invoices in the wrong currency",
        fix: "Invoice currency settings",
        handled: 6,
        mood: 2,
      },
    ],
  ),
  note(
    "2026-01-26",
    "ann",
    ["sso"],
    [
      {
        struggles: "SSO login loops with Azure AD",
        fix: "SSO error messages",
        handled: 3,
        mood: 3,
      },
      { handled: 5, mood: 5 },
    ],
  ),
  note(
    "2026-02-16",
    "dan",
    ["billing", "exports"],
    [
      {
        struggles: "Exports time out for big accounts",
        fix: "Invoice currency on exports",
        handled: 8,
        mood: 4,
      },
    ],
  ),
  note("2026-02-23", "bob", ["exports"], [{ struggles: "CSV export encoding", mood: 3 }]),
];
