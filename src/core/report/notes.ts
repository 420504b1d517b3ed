import { type Note, notePath, ownerProblem } from "../notes/note.ts";
import { type Answer, answerTo } from "../notes/template.ts";
import { DATE, SLUG } from "../roster/formats.ts";
import type { ScheduleEntry } from "../schedule/schedule.ts";
import { parseIsoInstant } from "../time.ts";

/**
 * What a report needs of one field-notes file: which shift and person it is
 * about, and each entry's answers. The markdown itself is dropped, so that
 * tens of thousands of notes fit in memory comfortably.
 */
export interface NoteRecord {
  /** The file, relative to the roster's directory, with `/`: `notes/2026/11/2026-11-23-emea-ada.md`. */
  file: string;
  /** `<date>/<shift>` */
  occurrence: string;
  date: string;
  shift: string;
  person: string;
  /** Every entry's tags, merged (the front matter's `tags`). */
  tags: string[];
  /** Oldest first. */
  entries: { written: string; answers: Record<string, Answer> }[];
  /** The numeric front-matter keys (`handled`, `mood`): the latest entry's numbers. */
  numbers: Record<string, number>;
}

export interface NoteRecordOptions {
  /** Keep only these answers (a report needs four); all when absent. */
  answers?: readonly string[];
  /**
   * Gives each kept string its own copy (or a shared one for text seen
   * before), so a record does not hold its whole file's text alive through
   * substrings of it.
   */
  intern?: (text: string) => string;
}

export type NoteRecordResult =
  | { ok: true; record: NoteRecord }
  | { ok: false; message: string; line: number };

const NOTE_FILE = /^(\d{4}-\d{2}-\d{2})-(.+)\.md$/;

/**
 * The record of a parsed note. The shift and person come from the front
 * matter (`occurrence`, `person`), else from the file name
 * `<date>-<shift>-<person>.md`, read with the roster's shift ids (a shift id
 * may contain `-`). A note whose front matter names another shift or person
 * than its file name (edited or moved by hand) is refused, as `rota notes`
 * refuses to add to it: which one it is about only its writer can say.
 */
export function noteRecord(
  file: string,
  note: Note,
  shiftIds: readonly string[],
  options: NoteRecordOptions = {},
): NoteRecordResult {
  const keep = options.answers ? new Set(options.answers) : undefined;
  const own = options.intern ?? ((text: string) => text);
  const front = note.frontMatter;
  let date: string | undefined;
  let shift: string | undefined;
  let person: string | undefined = front.person;
  const occurrence = front.occurrence?.split("/");
  if (occurrence?.length === 2 && DATE.test(occurrence[0] as string)) {
    [date, shift] = occurrence as [string, string];
  } else if (front.date && front.shift && DATE.test(front.date)) {
    date = front.date;
    shift = front.shift;
  }
  const name = file.slice(file.lastIndexOf("/") + 1);
  // Read only when the front matter leaves something out, or says something
  // else than the name: most notes are named after what they say.
  if (
    date === undefined ||
    shift === undefined ||
    person === undefined ||
    name !== `${date}-${shift}-${person}.md`
  ) {
    const fromName = fromFileName(name, shiftIds);
    if (fromName) {
      // What the front matter leaves out, the name says.
      const named = { occurrence: `${fromName.date}/${fromName.shift}`, person: fromName.person };
      const said = {
        occurrence:
          date === undefined || shift === undefined ? named.occurrence : `${date}/${shift}`,
        person: person ?? named.person,
      };
      const notOurs = ownerProblem(said, file, front.line, named);
      if (notOurs) return { ok: false, message: notOurs.message, line: notOurs.line };
    }
    date ??= fromName?.date;
    shift ??= fromName?.shift;
    person ??= fromName?.person;
  }
  if (date === undefined || shift === undefined || person === undefined || !SLUG.test(person)) {
    return {
      ok: false,
      line: 1,
      message:
        "cannot tell which shift and person this note is about: its front matter has no occurrence and person, and its name is not <date>-<shift>-<person>.md",
    };
  }
  return {
    ok: true,
    record: {
      file,
      occurrence: own(`${date}/${shift}`),
      date: own(date),
      shift: own(shift),
      person: own(person),
      tags: front.tags.map(own),
      entries: note.entries.map((entry) => ({
        written: own(entry.written),
        answers: keepAnswers(entry.answers, keep, own),
      })),
      numbers: front.numbers,
    },
  };
}

function keepAnswers(
  answers: Record<string, Answer>,
  keep: ReadonlySet<string> | undefined,
  own: (text: string) => string,
): Record<string, Answer> {
  const kept: Record<string, Answer> = {};
  for (const id in answers) {
    if (keep && !keep.has(id)) continue;
    const value = answers[id] as Answer;
    kept[id] =
      typeof value === "string" ? own(value) : Array.isArray(value) ? value.map(own) : value;
  }
  return kept;
}

function fromFileName(
  name: string,
  shiftIds: readonly string[],
): { date: string; shift: string; person: string } | undefined {
  const match = NOTE_FILE.exec(name);
  if (!match) return undefined;
  const [, date, rest] = match as unknown as [string, string, string];
  // The longest shift id that fits, so `late-emea` wins over `late`.
  const shift = [...shiftIds]
    .sort((a, b) => b.length - a.length)
    .find((id) => rest.startsWith(`${id}-`) && rest.length > id.length + 1);
  if (!shift) return undefined;
  return { date, shift, person: rest.slice(shift.length + 1) };
}

/**
 * A numeric answer of a note: the latest entry that gave it (a later entry
 * for the same shift corrects the count), else the front matter's.
 */
export function latestNumber(record: NoteRecord, id: string): number | undefined {
  for (let i = record.entries.length - 1; i >= 0; i--) {
    const value = answerTo(record.entries[i]?.answers ?? {}, id);
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return answerTo(record.numbers, id);
}

/**
 * One note per person and shift, as `rota notes` writes them: where two
 * files are about the same (a copy made by hand, under another name), the
 * one at the note's own path is kept (else the first by name) and each other
 * is skipped with a warning, so that nothing is counted twice. `records` in
 * file-name order.
 */
export function oneNotePerShift(records: readonly NoteRecord[]): {
  kept: NoteRecord[];
  skipped: { file: string; message: string }[];
} {
  const chosen = new Map<string, NoteRecord>();
  for (const record of records) {
    const key = `${record.occurrence}\n${record.person}`;
    const first = chosen.get(key);
    const own = notePath(record.date, record.shift, record.person);
    if (first === undefined || (record.file === own && first.file !== own)) chosen.set(key, record);
  }
  if (chosen.size === records.length) return { kept: [...records], skipped: [] };
  const kept: NoteRecord[] = [];
  const skipped: { file: string; message: string }[] = [];
  for (const record of records) {
    const one = chosen.get(`${record.occurrence}\n${record.person}`) as NoteRecord;
    if (one === record) kept.push(record);
    else
      skipped.push({
        file: record.file,
        message: `${one.file} is about the same shift and person (${record.occurrence}, ${record.person}), and rota keeps one note for each; the note is skipped: move its entries into ${one.file} and delete it`,
      });
  }
  return { kept, skipped };
}

/** A note rota does not count, the front matter key that says why, and what to say. */
export interface UntrustedNote {
  file: string;
  key: "occurrence" | "person";
  message: string;
}

/**
 * The notes that are about a shift someone could have served, as `rota notes`
 * writes them: an occurrence schedule.yaml has (it keeps every past one, also of
 * a shift since taken out of the roster) that has started by `now`, and a person
 * `known` (the roster, the schedule and the roster's git history; undefined when
 * that history cannot be read, so that they cannot be ruled out). Whether the
 * person was on the shift is not asked: `rota notes --force` writes for someone
 * who sat in. A note dated before the schedule's first day predates rota (a team
 * that brought its older notes along): it cannot be checked, and is counted, in
 * `early`. Every other note is `skipped`, with the key it is wrong at.
 */
export function checkNotes(
  records: readonly NoteRecord[],
  entries: readonly ScheduleEntry[],
  now: number,
  known: (person: string) => boolean | undefined,
): { kept: NoteRecord[]; skipped: UntrustedNote[]; early: NoteRecord[]; unchecked: NoteRecord[] } {
  const byId = new Map<string, ScheduleEntry>();
  let first: string | undefined;
  for (const entry of entries) {
    byId.set(entry.id, entry);
    if (first === undefined || entry.date < first) first = entry.date;
  }
  const kept: NoteRecord[] = [];
  const skipped: UntrustedNote[] = [];
  const early: NoteRecord[] = [];
  const unchecked: NoteRecord[] = [];
  for (const record of records) {
    if (first === undefined || record.date < first) {
      early.push(record);
      kept.push(record);
      continue;
    }
    const entry = byId.get(record.occurrence);
    if (entry === undefined) {
      skipped.push({
        file: record.file,
        key: "occurrence",
        message: `schedule.yaml has no ${record.occurrence}, so no one served it: notes are written for the shifts in it (\`rota notes --shift\`)`,
      });
      continue;
    }
    const start = parseIsoInstant(entry.start);
    if (start === undefined || start > now) {
      skipped.push({
        file: record.file,
        key: "occurrence",
        message: `${record.occurrence} has not started yet (it starts ${entry.start}): notes are written after a shift`,
      });
      continue;
    }
    const person = known(record.person);
    if (person === false) {
      skipped.push({
        file: record.file,
        key: "person",
        message: `${record.person} is not in the roster, schedule.yaml or the roster's git history: notes are written by the people of the rota`,
      });
      continue;
    }
    if (person === undefined) unchecked.push(record);
    kept.push(record);
  }
  return { kept, skipped, early, unchecked };
}
