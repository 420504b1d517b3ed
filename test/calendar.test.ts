import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { ROOT, rota } from "./helpers/cli.ts";
import { commitAll, git, initRepo } from "./helpers/git.ts";
import {
  checkBytes,
  type PythonFile,
  pythonAvailable,
  type ReadEvent,
  readWithIcalJs,
  readWithNodeIcal,
  readWithPython,
  unfold,
} from "./helpers/ical.ts";
import { type Entry, env, plannedRepo, readSchedule, swapSomeone } from "./helpers/repo.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

const rosters = [
  "roster.example.yaml",
  ...readdirSync(path.join(ROOT, "examples"))
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => `examples/${name}`),
];

/** The occurrence an event is for, from the last line of its description. */
function occurrenceOf(event: { description: string }): string {
  const match = /Occurrence (\S+) in /.exec(event.description);
  if (!match) throw new Error(`no occurrence in ${event.description}`);
  return match[1] as string;
}

function feedFiles(dir: string, out = "calendars"): string[] {
  const people = path.join(dir, out, "people");
  return [
    path.join(dir, out, "team.ics"),
    ...readdirSync(people)
      .sort()
      .map((name) => path.join(people, name)),
  ];
}

let python = { icalendar: false, libical: false };
beforeAll(async () => {
  python = await pythonAvailable();
  // CI installs both (see .ci/run); elsewhere these checks are skipped with a note.
  if (process.env.CI === "true") {
    expect(python, "python3-icalendar and libical (gir1.2-ical-3.0) are needed in CI").toEqual({
      icalendar: true,
      libical: true,
    });
  } else if (!python.icalendar || !python.libical) {
    console.warn(
      "python3-icalendar or libical missing: apt-get install python3-icalendar gir1.2-ical-3.0 python3-gi",
    );
  }
});

describe.each(rosters)("the feeds of %s", (roster) => {
  let dir: string;
  let entries: Entry[];
  let files: string[];

  beforeAll(async () => {
    dir = await plannedRepo(roster, { dir: suiteTempDir() });
    const result = await rota(["calendar"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    entries = readSchedule(dir);
    files = feedFiles(dir);
  });

  test("one personal feed per person in the roster", () => {
    const roster = parse(readFileSync(path.join(dir, "roster.yaml"), "utf8"));
    const ids = roster.people.map((person: { id: string }) => `${person.id}.ics`).sort();
    expect(files.slice(1).map((file) => path.basename(file))).toEqual(ids);
  });

  test("pass the byte-level checks: CRLF, 75 octets, UTC stamps, declared zones", () => {
    for (const file of files) expect(checkBytes(readFileSync(file)), file).toEqual([]);
  });

  test("ical.js and node-ical read every occurrence at its instants", () => {
    const team = readFileSync(files[0] as string, "utf8");
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    for (const events of [readWithIcalJs(team).events, readWithNodeIcal(team)]) {
      expect(events).toHaveLength(entries.length);
      for (const event of events) {
        const entry = byId.get(occurrenceOf(event)) as Entry;
        expect(event.sequence).toBe(entry.rev);
        if (event.startDate !== undefined) {
          expect([event.startDate, event.endDate]).toEqual([entry.date, entry.end.slice(0, 10)]);
        } else {
          expect([event.start, event.end]).toEqual([
            Date.parse(entry.start) / 1000,
            Date.parse(entry.end) / 1000,
          ]);
        }
      }
    }
  });

  test("python-icalendar reads the same instants; libical reports no error", async (context) => {
    if (!python.icalendar) context.skip();
    const read = await readWithPython(files);
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    for (const file of files) {
      const { python: parsed, libical } = read[file] as PythonFile;
      expect(parsed.errors, file).toEqual([]);
      for (const event of parsed.events) {
        const entry = byId.get(occurrenceOf(event)) as Entry;
        expect(event.dtstamp_utc).toBe(true);
        expect(event.start.floating).toBeUndefined();
        if (event.start.date) expect(event.start.date).toBe(entry.date);
        else expect(event.start.epoch).toBe(Date.parse(entry.start) / 1000);
        if (!event.end.date) expect(event.end.epoch).toBe(Date.parse(entry.end) / 1000);
      }
      if (libical) {
        expect(libical.errors, file).toEqual([]);
        expect(libical.restriction_ok, file).toBe(true);
      }
    }
  });

  test("each personal feed is the team feed filtered to that person", () => {
    const strip = ({ uid: _uid, ...rest }: ReadEvent) => rest;
    const team = readWithIcalJs(readFileSync(files[0] as string, "utf8")).events;
    const teamUids = new Set(team.map((event) => event.uid));
    const seen = new Set<string>();
    for (const file of files.slice(1)) {
      const person = path.basename(file, ".ics");
      const own = readWithIcalJs(readFileSync(file, "utf8")).events;
      const expected = team.filter((event) =>
        entries.find((entry) => entry.id === occurrenceOf(event))?.people.includes(person),
      );
      expect(own.map(strip), person).toEqual(expected.map(strip));
      for (const event of own) {
        expect(teamUids.has(event.uid)).toBe(false);
        expect(seen.has(event.uid)).toBe(false);
        seen.add(event.uid);
      }
    }
  });
});

describe("determinism", () => {
  test("byte-identical under any TZ of the machine, and on regeneration", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    const outputs: string[][] = [];
    for (const tz of ["UTC", "America/New_York", "Asia/Tokyo"]) {
      const out = `out-${tz.replace("/", "-")}`;
      const result = await rota(["calendar", "--out", out], { cwd: dir, env: { ...env, TZ: tz } });
      expect(result.code, result.stderr).toBe(0);
      outputs.push(feedFiles(dir, out).map((file) => readFileSync(file, "utf8")));
    }
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);

    const first = await rota(["calendar"], { cwd: dir, env });
    const again = await rota(["calendar"], {
      cwd: dir,
      env: { ...env, ROTA_NOW: "2027-01-05T12:00:00Z" },
    });
    expect(first.stderr).toBe(
      "calendars: team.ics with 111 shifts, 17 personal feeds (17 with shifts); wrote 18 files\n",
    );
    expect(again.stderr).toBe(
      "calendars: team.ics with 111 shifts, 17 personal feeds (17 with shifts); wrote 0 files, 18 unchanged\n",
    );
    expect(feedFiles(dir).map((file) => readFileSync(file, "utf8"))).toEqual(outputs[0]);
  });
});

const DST_ROSTER = `version: 1
team: Night Desk
timezone: Europe/Berlin
horizon_weeks: 40
shifts:
  - id: berlin-night
    name: Berlin night
    days: [sat]
    start: "22:00"
    end: "08:00"
    seats: [{ role: any }]
  - id: ny-night
    name: New York night
    days: [sat]
    start: "22:00"
    end: "06:00"
    timezone: America/New_York
    seats: [{ role: any }]
people:
  - { id: ada, name: Ada Lovelace, email: ada@example.com }
  - { id: grace, name: Grace Hopper, email: grace@example.com }
  - { id: linus, name: Linus Torvalds, email: linus@example.com }
  - { id: barbara, name: Barbara Liskov, email: barbara@example.com }
`;

describe("daylight-saving changes", () => {
  const fixtures = [
    ["2025-03-29/berlin-night", "2025-03-29T21:00:00Z", 9],
    ["2025-10-25/berlin-night", "2025-10-25T20:00:00Z", 11],
    ["2025-03-08/ny-night", "2025-03-09T03:00:00Z", 7],
    ["2025-11-01/ny-night", "2025-11-02T02:00:00Z", 9],
  ] as const;

  test("night shifts across the four changes last 9, 11, 7 and 9 hours in every parser", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), DST_ROSTER);
    const planned = await rota(["plan"], {
      cwd: dir,
      env: { ...env, ROTA_NOW: "2025-03-01T00:00:00Z" },
    });
    expect(planned.code, planned.stderr).toBe(0);
    const result = await rota(["calendar"], { cwd: dir, env: { ...env, TZ: "Asia/Tokyo" } });
    expect(result.code, result.stderr).toBe(0);
    const file = path.join(dir, "calendars", "team.ics");
    const text = readFileSync(file, "utf8");
    expect(checkBytes(readFileSync(file))).toEqual([]);

    const readers: [string, { description: string; start?: number; end?: number }[]][] = [
      ["ical.js", readWithIcalJs(text).events],
      ["node-ical", readWithNodeIcal(text)],
    ];
    if (python.icalendar) {
      const read = (await readWithPython([file]))[file] as PythonFile;
      readers.push([
        "python-icalendar",
        read.python.events.map((event) => ({
          description: event.description,
          start: event.start.epoch,
          end: event.end.epoch,
        })),
      ]);
    }
    for (const [reader, events] of readers) {
      for (const [occurrence, start, hours] of fixtures) {
        const event = events.find((e) => occurrenceOf(e) === occurrence);
        expect(event, `${reader}: ${occurrence}`).toBeDefined();
        expect(event?.start, `${reader}: ${occurrence} start`).toBe(Date.parse(start) / 1000);
        expect(((event?.end ?? 0) - (event?.start ?? 0)) / 3600, `${reader}: ${occurrence}`).toBe(
          hours,
        );
      }
    }
    // Written in the shifts' own zones, each declared once.
    expect(text).toContain("DTSTART;TZID=Europe/Berlin:20250329T220000\r\n");
    expect(text).toContain("DTEND;TZID=Europe/Berlin:20250330T080000\r\n");
    expect(text).toContain("DTSTART;TZID=America/New_York:20251101T220000\r\n");
    expect(text.match(/^BEGIN:VTIMEZONE\r$/gm)).toHaveLength(2);
  });
});

describe("a swap", () => {
  test("keeps each event's UID and raises its SEQUENCE; invites request and cancel", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    expect((await rota(["calendar"], { cwd: dir, env })).code).toBe(0);
    const before = readWithIcalJs(
      readFileSync(path.join(dir, "calendars/team.ics"), "utf8"),
    ).events;
    const swapped = await swapSomeone(dir);
    const { entry, out, incoming } = swapped;
    const stays = entry.people[0] as string;
    const outFeedBefore = readWithIcalJs(
      readFileSync(path.join(dir, `calendars/people/${out}.ics`), "utf8"),
    ).events.find((e) => occurrenceOf(e) === entry.id) as ReadEvent;
    commitAll(dir, `Swap ${entry.id}`);

    const result = await rota(["calendar", "--invites", "--json"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const after = readWithIcalJs(readFileSync(path.join(dir, "calendars/team.ics"), "utf8")).events;
    const old = before.find((e) => occurrenceOf(e) === entry.id) as ReadEvent;
    const now = after.find((e) => occurrenceOf(e) === entry.id) as ReadEvent;
    expect(now.uid).toBe(old.uid);
    expect(now.sequence).toBeGreaterThan(old.sequence);
    expect(after.map((e) => e.uid)).toEqual(before.map((e) => e.uid));

    const feedOf = (person: string) =>
      readWithIcalJs(readFileSync(path.join(dir, `calendars/people/${person}.ics`), "utf8")).events;
    expect(feedOf(out).some((e) => occurrenceOf(e) === entry.id)).toBe(false);
    const gained = feedOf(incoming).find((e) => occurrenceOf(e) === entry.id) as ReadEvent;
    expect(gained.sequence).toBe(now.sequence);

    // Invites: a request to the incoming person and to the one who stays (the people
    // changed), a cancellation to the one who left, nothing to anybody else.
    const report = JSON.parse(result.stdout);
    const invites = report.invites.files as {
      file: string;
      method: string;
      person: string;
      occurrence: string;
      sequence: number;
      email: string;
    }[];
    expect(invites.map((i) => [i.person, i.method, i.occurrence]).sort()).toEqual(
      [
        [incoming, "REQUEST", entry.id],
        [out, "CANCEL", entry.id],
        [stays, "REQUEST", entry.id],
      ].sort(),
    );
    expect(report.invites.since).toMatch(
      /^[0-9a-f]{7} \(before [0-9a-f]{7}, the last commit that changed schedule\.yaml\)$/,
    );

    const cancel = invites.find((i) => i.method === "CANCEL") as (typeof invites)[number];
    const cancelText = readFileSync(path.join(dir, cancel.file), "utf8");
    const cancelLines = unfold(cancelText);
    expect(cancelLines).toContain("METHOD:CANCEL");
    expect(cancelLines).toContain("STATUS:CANCELLED");
    expect(cancelLines).toContain(`UID:${outFeedBefore.uid}`);
    expect(cancelLines).toContain(`SEQUENCE:${outFeedBefore.sequence + 1}`);
    expect(cancelText).not.toContain("BEGIN:VALARM");

    const request = invites.find((i) => i.person === incoming) as (typeof invites)[number];
    const requestText = readFileSync(path.join(dir, request.file), "utf8");
    const requestLines = unfold(requestText);
    expect(requestLines).toContain("METHOD:REQUEST");
    expect(requestLines).toContain(`UID:${gained.uid}`);
    expect(requestLines).toContain(`SEQUENCE:${now.sequence}`);
    expect(requestLines.filter((l) => l.startsWith("ATTENDEE"))).toHaveLength(1);
    expect(requestLines.find((l) => l.startsWith("ATTENDEE"))).toMatch(
      new RegExp(`:MAILTO:${incoming}@example\\.com$`),
    );
    expect(requestLines).toContain('ORGANIZER;CN="Acme Support":mailto:support@example.com');
    expect(requestText).not.toMatch(/X-WR-CALNAME|^NAME:/m);
    expect(requestLines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);

    const index = JSON.parse(readFileSync(path.join(dir, "invites/index.json"), "utf8"));
    expect(index.invites.map((i: { path: string }) => i.path).sort()).toEqual(
      invites.map((i) => path.relative(path.join(dir, "invites"), path.join(dir, i.file))).sort(),
    );

    const files = invites.map((i) => path.join(dir, i.file));
    for (const file of files) expect(checkBytes(readFileSync(file)), file).toEqual([]);
    if (python.icalendar) {
      const read = await readWithPython(files);
      for (const file of files) {
        const { python: parsed, libical } = read[file] as PythonFile;
        expect(parsed.errors).toEqual([]);
        expect(parsed.events).toHaveLength(1);
        expect(parsed.events[0]?.organizer).toBe("mailto:support@example.com");
        if (libical) {
          expect(libical.errors, file).toEqual([]);
          expect(libical.restriction_ok, file).toBe(true);
        }
      }
    }

    // Running again gives the same invites; after a commit that changes nothing
    // in schedule.yaml they stay the same (the last change is still that swap).
    const rerun = await rota(["calendar", "--invites"], { cwd: dir, env });
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain("invites: 2 requests and 1 cancellation for 3 people since");
    expect(rerun.stderr).toContain("wrote 0 files, 4 unchanged");

    // --since HEAD: nothing changed since, so earlier invite files are removed.
    const none = await rota(["calendar", "--invites", "--since", "HEAD"], { cwd: dir, env });
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).toContain(
      "invites: 0 requests and 0 cancellations for 0 people since HEAD",
    );
    for (const file of files) expect(existsSync(file)).toBe(false);
    expect(readdirSync(path.join(dir, "invites"))).toEqual([".rota-manifest", "index.json"]);
  });
});

describe("swaps that leave an occurrence as it was", () => {
  test("send no invite for it: a chain back to the same people, then a swap and its swap back", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    const { entry, out, incoming } = await swapSomeone(dir);
    // A chain of three swaps, out → incoming → someone → out, none committed on its own.
    let third = "";
    for (const candidate of ["susan", "katherine", "luca", "tim", "hedy", "steve", "jony"]) {
      if (candidate === incoming || entry.people.includes(candidate)) continue;
      const result = await rota(["swap", entry.id, incoming, candidate], { cwd: dir, env });
      if (result.code === 0) {
        third = candidate;
        break;
      }
    }
    expect(third).not.toBe("");
    const back = await rota(["swap", entry.id, third, out], { cwd: dir, env });
    expect(back.code, back.stderr).toBe(0);
    const chained = readSchedule(dir).find((e) => e.id === entry.id) as Entry;
    expect(chained.people).toEqual(entry.people);
    expect(chained.rev).toBeGreaterThan(entry.rev);
    commitAll(dir, `Swap ${entry.id} around and back`);

    const invitesOf = async () => {
      const result = await rota(["calendar", "--invites", "--json"], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout).invites.files as { occurrence: string; sequence: number }[];
    };
    expect(await invitesOf()).toEqual([]);
    // The feeds keep the SEQUENCE that rose: it never goes down.
    const team = readWithIcalJs(readFileSync(path.join(dir, "calendars/team.ics"), "utf8")).events;
    const event = team.find((e) => occurrenceOf(e) === entry.id) as ReadEvent;
    expect(event.sequence).toBe(chained.rev);

    // A swap and its swap back, committed together: nothing to tell anyone either.
    const second = readSchedule(dir).find(
      (e) => e.shift === "emea" && e.date > entry.date,
    ) as Entry;
    const leaving = second.people[1] as string;
    const stand = ["jony", "susan", "katherine", "luca", "tim", "hedy", "steve"];
    let swapped = "";
    for (const candidate of stand.filter((c) => !second.people.includes(c))) {
      const result = await rota(["swap", second.id, leaving, candidate], { cwd: dir, env });
      if (result.code === 0) {
        swapped = candidate;
        break;
      }
    }
    expect(swapped).not.toBe("");
    const undo = await rota(["swap", second.id, swapped, leaving], { cwd: dir, env });
    expect(undo.code, undo.stderr).toBe(0);
    commitAll(dir, `Swap ${second.id} and back`);
    expect(await invitesOf()).toEqual([]);
  });
});

describe("escaping, folding and names", () => {
  test("commas, semicolons, backslashes, quotes and long UTF-8 names round-trip", async () => {
    const dir = tempDir();
    const team = 'Acme, Inc.; R&D \\ "Support" — ünïcödé 支持团队 🚀';
    const long = "Zoë Ångström-Østergaard 山田太郎 😀😀😀 de la Quintessence-Verylongname";
    writeFileSync(
      path.join(dir, "roster.yaml"),
      `version: 1
team: '${team}'
timezone: Asia/Tokyo
shifts:
  - id: day
    name: 'Day; queue, "tier\\1"'
    days: [mon, tue, wed, thu, fri]
    start: "09:00"
    end: "17:00"
    seats: [{ role: any }, { role: any }]
people:
  - { id: zoe, name: '${long}', email: zoe@example.com }
  - { id: bob, name: 'Bob "the, builder"; \\o/', email: "bob,smith@example.com" }
calendar:
  organizer: { name: 'Help; desk, "A\\B"', email: help@example.com }
`,
    );
    initRepo(dir);
    expect((await rota(["plan"], { cwd: dir, env })).code).toBe(0);
    const result = await rota(["calendar", "--invites"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const files = [
      ...feedFiles(dir),
      ...readdirSync(path.join(dir, "invites", "bob")).map((f) =>
        path.join(dir, "invites", "bob", f),
      ),
    ];
    for (const file of files) expect(checkBytes(readFileSync(file)), file).toEqual([]);
    const text = readFileSync(files[0] as string, "utf8");
    expect(text.split("\r\n").some((line) => line.startsWith(" "))).toBe(true);

    const read = readWithIcalJs(text);
    expect(read.name).toBe(`${team} support rota`);
    const event = read.events[0] as ReadEvent;
    expect(event.summary).toMatch(/^Support: (?:Zoë, Bob|Bob, Zoë)$/);
    expect(event.description).toContain('Day; queue, "tier\\1": ');
    expect(event.description).toContain(long);
    expect(event.description).toContain('Bob "the, builder"; \\o/');
    expect(readWithNodeIcal(text)[0]?.description).toBe(event.description);
    if (python.icalendar) {
      const parsed = (await readWithPython(files)) as Record<string, PythonFile>;
      for (const file of files) {
        expect(parsed[file]?.python.errors, file).toEqual([]);
        if (parsed[file]?.libical) expect(parsed[file]?.libical?.errors, file).toEqual([]);
      }
      const first = parsed[files[0] as string]?.python;
      expect(first?.name).toBe(`${team} support rota`);
      expect(first?.events[0]?.description).toBe(event.description);
      const invite = parsed[files[files.length - 1] as string]?.python.events[0];
      // Written percent-encoded (a bare comma would be escaped, breaking the URI), read back as it was.
      expect(invite?.attendees).toEqual(["MAILTO:bob,smith@example.com"]);
    }
    // A double quote cannot appear in a parameter: it becomes a single quote.
    const invite = readFileSync(files[files.length - 1] as string, "utf8");
    expect(unfold(invite)).toContain(`ORGANIZER;CN="Help; desk, 'A/B'":mailto:help@example.com`);
    expect(unfold(invite).find((l) => l.startsWith("ATTENDEE"))).toContain(
      `CN="Bob 'the, builder'; /o/"`,
    );
  });
});

describe("settings from the roster", () => {
  test("reminders, busy, refresh, url and all-day shifts", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "roster.yaml"),
      `version: 1
team: SitePoint
timezone: Australia/Melbourne
horizon_weeks: 2
shifts:
  - { id: day, name: Support day, days: [mon, fri], all_day: true, seats: [{ role: any }] }
  - { id: late, days: [wed], start: "18:00", end: "20:00", seats: [{ role: any }] }
people:
  - { id: kim, name: Kim Lee }
  - { id: sam, name: Sam Ray }
calendar:
  reminder_minutes: [60, 15, 60]
  busy: false
  refresh_hours: 24
  url: https://sitepoint.github.io/support/
`,
    );
    expect((await rota(["plan"], { cwd: dir, env })).code).toBe(0);
    expect((await rota(["calendar", "--out", "public"], { cwd: dir, env })).code).toBe(0);
    const text = readFileSync(path.join(dir, "public/team.ics"), "utf8");
    const lines = unfold(text);
    expect(lines).toContain("REFRESH-INTERVAL;VALUE=DURATION:P1D");
    expect(lines).toContain("SOURCE;VALUE=URI:https://sitepoint.github.io/support/team.ics");
    expect(lines).not.toContain("METHOD:PUBLISH"); // no organizer: a plain iCalendar file
    expect(lines.some((l) => l.startsWith("ORGANIZER"))).toBe(false);
    expect(lines.filter((l) => l === "TRANSP:TRANSPARENT").length).toBe(readSchedule(dir).length);
    expect(lines.filter((l) => l.startsWith("TRIGGER:")).slice(0, 2)).toEqual([
      "TRIGGER:-PT1H",
      "TRIGGER:-PT15M",
    ]);
    expect(lines).toContain("DTSTART;VALUE=DATE:20261123");
    expect(lines).toContain("DTEND;VALUE=DATE:20261124");
    expect(text.match(/^BEGIN:VTIMEZONE\r$/gm)).toHaveLength(1); // only for the timed shift
    expect(checkBytes(Buffer.from(text))).toEqual([]);
    const kim = unfold(readFileSync(path.join(dir, "public/people/kim.ics"), "utf8"));
    expect(kim).toContain("SOURCE;VALUE=URI:https://sitepoint.github.io/support/people/kim.ics");
  });
});

describe("calendar.url", () => {
  test("a query (an access token) and a fragment leave every feed's address whole", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "roster.yaml"),
      readFileSync(path.join(ROOT, "examples/olark.yaml"), "utf8").replace(
        /^people:/m,
        "calendar:\n  url: https://cal.example.com/acme-rota?token=a%2Fb&v=1#top\npeople:",
      ),
    );
    expect((await rota(["plan"], { cwd: dir, env })).code).toBe(0);
    const result = await rota(["calendar"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const source = (file: string) =>
      unfold(readFileSync(path.join(dir, "calendars", file), "utf8")).find((line) =>
        line.startsWith("SOURCE"),
      );
    expect(source("team.ics")).toBe(
      "SOURCE;VALUE=URI:https://cal.example.com/acme-rota/team.ics?token=a%2Fb&v=1",
    );
    const person = readdirSync(path.join(dir, "calendars/people"))[0] as string;
    expect(source(`people/${person}`)).toBe(
      `SOURCE;VALUE=URI:https://cal.example.com/acme-rota/people/${person}?token=a%2Fb&v=1`,
    );
  });
});

describe("files", () => {
  test("files rota did not write stay, even named as its feeds", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    expect((await rota(["calendar"], { cwd: dir, env })).code).toBe(0);
    const people = path.join(dir, "calendars/people");
    writeFileSync(path.join(people, "gone.ics"), "old");
    writeFileSync(path.join(people, "README.md"), "kept");
    const result = await rota(["calendar"], { cwd: dir, env });
    expect(result.stderr).toMatch(/wrote 0 files, \d+ unchanged\n$/);
    expect(readFileSync(path.join(people, "gone.ics"), "utf8")).toBe("old");
    expect(readFileSync(path.join(people, "README.md"), "utf8")).toBe("kept");
  });

  test.each([
    ["America/Los_Angeles", "America/Los_Angeles"],
    // Times in UTC are written with Z: no zone of the roster's own to hold, so UTC's.
    ["UTC", "UTC"],
  ])("a person with no shifts gets an empty calendar (roster in %s)", async (zone, tzid) => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "roster.yaml"),
      readFileSync(path.join(ROOT, "examples/olark.yaml"), "utf8")
        .replace(/^timezone: .*$/m, `timezone: ${zone}`)
        .replace(
          /^people:\n/m,
          "people:\n  - { id: later, name: Late Joiner, joined: 2030-01-01 }\n",
        ),
    );
    expect((await rota(["plan"], { cwd: dir, env })).code).toBe(0);
    expect((await rota(["calendar"], { cwd: dir, env })).code).toBe(0);
    const file = path.join(dir, "calendars/people/later.ics");
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("BEGIN:VEVENT");
    // One component all the same, as RFC 5545 asks: the team's zone.
    expect(text).toContain(`\r\nBEGIN:VTIMEZONE\r\nTZID:${tzid}\r\n`);
    expect(checkBytes(Buffer.from(text))).toEqual([]);
    expect(readWithIcalJs(text).events).toEqual([]);
    if ((await pythonAvailable()).icalendar) {
      const { python, libical } = (await readWithPython([file]))[file] as PythonFile;
      expect(python.errors).toEqual([]);
      expect(python.events).toEqual([]);
      if (libical) expect(libical.errors).toEqual([]);
    }
  });

  test("--json lists the files written", async () => {
    const dir = await plannedRepo("examples/sitepoint.yaml");
    const result = await rota(["calendar", "--json", "--out", "site"], { cwd: dir, env });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.out).toBe("site");
    expect(report.team).toEqual({ file: "site/team.ics", events: readSchedule(dir).length });
    expect(report.people[0]).toMatchObject({ file: `site/people/${report.people[0].id}.ics` });
    expect(report.written).toHaveLength(1 + report.people.length);
    expect(report.invites).toBeUndefined();
  });
});

describe("mistakes", () => {
  test("no schedule.yaml yet: run rota plan (exit 2)", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "examples/olark.yaml"), path.join(dir, "roster.yaml"));
    const result = await rota(["calendar"], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "rota: schedule.yaml not found: run `rota plan` (and commit schedule.yaml), then `rota calendar`\n",
    );
    expect(existsSync(path.join(dir, "calendars"))).toBe(false);
  });

  test("invites without an organizer, outside git, or with a bad --since (exit 2)", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    const organizer = await rota(["calendar", "--invites"], { cwd: dir, env });
    expect(organizer.code).toBe(2);
    expect(organizer.stderr).toContain("invites need an organizer: add `calendar: { organizer:");
    expect(existsSync(path.join(dir, "calendars"))).toBe(false);

    const since = await rota(["calendar", "--since", "HEAD"], { cwd: dir, env });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain("--since chooses what invites cover: pass it with --invites");

    const example = await plannedRepo("roster.example.yaml");
    const bad = await rota(["calendar", "--invites", "--since", "--upload-pack=x"], {
      cwd: example,
      env,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: "--upload-pack=x" is not a commit here');

    const plain = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(plain, "roster.yaml"));
    expect((await rota(["plan"], { cwd: plain, env })).code).toBe(0);
    const outside = await rota(["calendar", "--invites"], { cwd: plain, env });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("is not in a git repository");
  });

  test("a shallow clone without the commit before the change says what to fetch (exit 1)", async () => {
    const origin = await plannedRepo("roster.example.yaml");
    writeFileSync(path.join(origin, "README.md"), "the team's rota\n");
    commitAll(origin, "Say what this is");
    const shallow = tempDir();
    git(shallow, "clone", "-q", "--depth", "1", `file://${origin}`, "clone");
    const clone = path.join(shallow, "clone");
    const result = await rota(["calendar", "--invites"], { cwd: clone, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("this clone is shallow");
    expect(result.stderr).toContain("git fetch --deepen=1");

    // With the history there, the first commit's schedule is all new shifts.
    const full = tempDir();
    git(full, "clone", "-q", `file://${origin}`, "clone");
    const ok = await rota(["calendar", "--invites"], { cwd: path.join(full, "clone"), env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(
      /invites: \d+ requests and 0 cancellations for 17 people since the first commit/,
    );
  });
});
