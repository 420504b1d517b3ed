// Companies of 50, 5,000 and 50,000 people, each with 10 shifts of 3 seats
// planned two years ahead (the planning target's shape), time off, joins and
// leavers, German holidays: validate, plan (fresh, and replanning after a
// change), calendar (the team feed and every personal feed), report over a
// year of history with its notes, and `who`.
//
// A company a year in: its roster starts a year before "now", was planned
// then, and is planned again now, so schedule.yaml holds a year of history.

import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateRoster, random } from "../generate.mjs";
import { writeNote } from "../notes.mjs";
import { setAside } from "../trash.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = path.join(ROOT, "bin", "rota.js");
const SHAPE = { weeks: 104, shifts: 10, seats: 3 };
const YEAR_AGO = "2025-11-24T06:00:00Z";
const NOW = "2026-11-23T06:00:00Z";
const ENV = { ROTA_NOW: NOW };
const NOTE_SHARE = 0.9;

function rota(dir, args, now) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: { ...process.env, ROTA_NOW: now },
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`rota ${args.join(" ")}: ${result.stderr}`);
}

// Prepared companies, made once per size and copied into each case's directory.
const cache = mkdtempSync(path.join(os.tmpdir(), "rota-bench-scale-"));
process.on("exit", () => rmSync(cache, { recursive: true, force: true }));
const prepared = new Map();

/** roster.yaml only (roster starting now): for validate and a fresh plan. */
function fresh(people) {
  const key = `fresh-${people}`;
  if (!prepared.has(key)) {
    const dir = path.join(cache, key);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "roster.yaml"), generateRoster({ people, ...SHAPE }));
    prepared.set(key, dir);
  }
  return prepared.get(key);
}

/** A company a year in: roster, and schedule.yaml with a year of history. */
function yearIn(people) {
  const key = `year-${people}`;
  if (!prepared.has(key)) {
    const dir = path.join(cache, key);
    mkdirSync(dir);
    const roster = generateRoster({ people, ...SHAPE, start: YEAR_AGO.slice(0, 10) });
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    rota(dir, ["plan"], YEAR_AGO);
    rota(dir, ["plan"], NOW);
    prepared.set(key, dir);
  }
  return prepared.get(key);
}

/** The same roster with one warning: a shift's day listed twice. */
function oneWarning(dir) {
  const file = path.join(dir, "roster.yaml");
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace("days: [mon, tue", "days: [mon, mon, tue"),
  );
}

/** The same roster with one error, half-way down: an email that is not one. */
function oneError(dir) {
  const file = path.join(dir, "roster.yaml");
  const text = readFileSync(file, "utf8");
  const domain = "@example.com";
  const at = text.indexOf(domain, text.length / 2);
  const start = text.lastIndexOf(" ", at) + 1;
  writeFileSync(file, `${text.slice(0, start)}not-an-email${text.slice(at + domain.length)}`);
}

const schedule = (dir) => path.join(dir, "schedule.yaml");
const saved = (dir) => path.join(dir, "schedule.before");
/** Keeps schedule.yaml as set up, for `restore` before each run. */
const save = (dir) => copyFileSync(schedule(dir), saved(dir));
const restore = (dir) => copyFileSync(saved(dir), schedule(dir));

/** Copies a prepared company (made on first use) into the case's directory. */
const copy = (prepare, people) => (dir) => cpSync(prepare(people), dir, { recursive: true });

/** The notes of the seats served before now, for about 90% of them. */
function writeNotes(dir) {
  const rand = random(5);
  const made = new Set();
  let notes = 0;
  for (const line of readFileSync(path.join(dir, "schedule.yaml"), "utf8").split("\n")) {
    if (!line.startsWith("  - {")) continue;
    const entry = JSON.parse(line.slice(4));
    if (Date.parse(entry.end) > Date.parse(NOW)) break;
    const folder = path.join(dir, "notes", entry.date.slice(0, 4), entry.date.slice(5, 7));
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    for (const person of entry.people) {
      if (rand() > NOTE_SHARE) continue;
      writeNote(folder, { date: entry.date, shift: entry.shift, person, end: entry.end }, rand);
      notes++;
    }
  }
  return notes;
}

const SIZES = [50, 5_000, 50_000];
const label = (n) => n.toLocaleString("en-US");
const big = (people) => (people >= 50_000 ? 3 : undefined);

export const cases = SIZES.flatMap((people) => [
  {
    group: "validate",
    series: "validate",
    people,
    name: `validate ${label(people)} people`,
    setup: copy(fresh, people),
    command: ["validate"],
    env: ENV,
  },
  {
    group: "validate",
    series: "validate, one warning",
    people,
    name: `validate ${label(people)} people, one warning (a day listed twice)`,
    setup: (dir) => {
      copy(fresh, people)(dir);
      oneWarning(dir);
    },
    command: ["validate"],
    env: ENV,
    target:
      people === 50_000
        ? { relative: { name: `validate ${label(people)} people`, times: 1.5 } }
        : undefined,
  },
  {
    group: "validate",
    series: "validate, one error",
    people,
    name: `validate ${label(people)} people, one error (an email that is not one)`,
    setup: (dir) => {
      copy(fresh, people)(dir);
      oneError(dir);
    },
    command: ["validate"],
    env: ENV,
    exit: 2,
    target:
      people === 50_000
        ? { relative: { name: `validate ${label(people)} people`, times: 1.5 } }
        : undefined,
  },
  {
    group: "plan",
    series: "plan fresh",
    people,
    runs: big(people),
    name: `plan ${label(people)} people × 2 years × 10 shifts × 3 seats (fresh)`,
    setup: copy(fresh, people),
    reset: (dir) => rmSync(schedule(dir), { force: true }),
    command: ["plan"],
    env: ENV,
    target: people === 50_000 ? { ms: 1500, rss: 500 } : undefined,
  },
  {
    group: "plan",
    series: "plan fresh, one warning",
    people,
    runs: big(people),
    name: `plan ${label(people)} people, one warning (fresh)`,
    setup: (dir) => {
      copy(fresh, people)(dir);
      oneWarning(dir);
    },
    reset: (dir) => rmSync(schedule(dir), { force: true }),
    command: ["plan"],
    env: ENV,
    target:
      people === 50_000
        ? {
            relative: {
              name: `plan ${label(people)} people × 2 years × 10 shifts × 3 seats (fresh)`,
              times: 1.5,
            },
          }
        : undefined,
  },
  {
    group: "plan",
    series: "plan unchanged",
    people,
    runs: big(people),
    name: `plan ${label(people)} people, nothing changed (replan)`,
    setup: (dir) => {
      copy(fresh, people)(dir);
      rota(dir, ["plan"], NOW);
      save(dir);
    },
    reset: restore,
    command: ["plan"],
    env: ENV,
    target: people === 50_000 ? { ms: 600 } : undefined,
  },
  {
    group: "plan",
    series: "plan replan",
    people,
    runs: big(people),
    name: `plan ${label(people)} people (replan: someone on the next shift leaves)`,
    setup: (dir) => {
      copy(fresh, people)(dir);
      rota(dir, ["plan"], NOW);
      save(dir);
      const leaver = /"people": \["(p\d+)"/.exec(readFileSync(schedule(dir), "utf8"))?.[1];
      const file = path.join(dir, "roster.yaml");
      const roster = readFileSync(file, "utf8");
      writeFileSync(file, roster.replace(new RegExp(` {2}- \\{ id: ${leaver}, .*\\n`), ""));
    },
    reset: restore,
    command: ["plan"],
    env: ENV,
  },
  {
    group: "calendar",
    series: "calendar fresh",
    people,
    runs: big(people),
    name: `calendar ${label(people)} people: team feed and every personal feed, a year in (fresh)`,
    setup: copy(yearIn, people),
    // The last run's feeds moved aside (see ../trash.mjs).
    reset: (dir) => setAside(path.join(dir, "calendars")),
    command: ["calendar"],
    env: ENV,
    target: people === 50_000 ? { ms: 12_000 } : undefined,
  },
  {
    group: "calendar",
    series: "calendar unchanged",
    people,
    runs: big(people),
    name: `calendar ${label(people)} people, nothing changed (regenerate)`,
    setup: (dir) => {
      copy(yearIn, people)(dir);
      rota(dir, ["calendar"], NOW);
    },
    command: ["calendar"],
    env: ENV,
  },
  {
    group: "report",
    series: "report",
    people,
    name: `report ${label(people)} people, a year of history and its notes`,
    setup: (dir) => {
      copy(yearIn, people)(dir);
      const notes = writeNotes(dir);
      process.stderr.write(`report ${label(people)}: ${notes} note files written\n`);
    },
    command: ["report"],
    env: ENV,
  },
  {
    group: "who",
    series: "who",
    people,
    name: `who ${label(people)} people, a year in`,
    setup: copy(yearIn, people),
    command: ["who"],
    env: ENV,
    target: people === 50_000 ? { ms: 300 } : undefined,
  },
]);
