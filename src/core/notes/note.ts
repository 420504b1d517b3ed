import { Document, isNode, isSeq, parseDocument, type Scalar, YAMLSeq } from "yaml";
import { type ConflictBlock, conflictProblem as sharedConflictProblem } from "../conflict.ts";
import type { Problem } from "../problems.ts";
import { escapeMarkdown } from "../render/style.ts";
import { parseYaml } from "../yaml.ts";
import {
  ANSWER_START,
  answerEnd,
  answerStart,
  ENTRY_MARKER,
  entryMarker,
  escapeText,
  lineCounter,
  markdownConflicts,
  normalizeNewlines,
  opensFrontMatter,
  splitFrontMatter,
  unescapeText,
} from "./format.ts";
import { readSimpleFrontMatter } from "./front-matter.ts";
import { type Answer, answerTo, entryLayout, PLACEHOLDER, type Template } from "./template.ts";

/**
 * A field-notes file: `notes/YYYY/MM/<date>-<shift>-<person>.md`.
 *
 *     ---
 *     occurrence: 2026-11-23/emea
 *     date: 2026-11-23
 *     shift: emea
 *     person: ada
 *     team: support
 *     tags: [billing, sso]
 *     handled: 14
 *     mood: 4
 *     ---
 *     <!-- rota:entry 2026-11-23T17:05:00+01:00 -->
 *     ## EMEA day, 2026-11-23: Ada Lovelace (…)
 *
 *     ### What customers struggled with
 *
 *     <!-- rota:answer struggles long -->
 *     The answer, as written (escaped, see format.ts)
 *     <!-- rota:end struggles -->
 *     …
 *     - Conversations handled: <!-- rota:answer handled number -->14<!-- rota:end handled -->
 *
 * Each run of `rota notes` for the same shift appends an entry; earlier
 * entries are never changed. The front matter summarises the entries: `tags`
 * is every entry's tags merged, and each number or rating answer is the one
 * from the latest entry that gave it (each entry keeps its own in the body).
 */

/** The facts about a shift and a person that a note records. */
export interface NoteMeta {
  /** `<date>/<shift>` */
  occurrence: string;
  date: string;
  shift: string;
  shiftName: string;
  person: string;
  personName: string;
  team?: string;
  /** When this entry is written: ISO 8601 with an offset. */
  written: string;
  /** The same time as a reader wants it, e.g. `2026-11-23 17:05 CET`. */
  writtenText: string;
}

/** `notes/2026/11/2026-11-23-emea-ada.md`: one file per person per shift occurrence. */
export function notePath(date: string, shift: string, person: string): string {
  return `notes/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-${shift}-${person}.md`;
}

/** An answer as the text that stands for it in a note (before escaping). */
export function answerText(value: Answer | undefined): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** Reads an answer back from its text, by the type its marker names. */
function answerValue(type: string, text: string): Answer | undefined | { invalid: string } {
  if (text === "") return undefined;
  switch (type) {
    case "number":
    case "rating": {
      const n = Number(text.trim());
      return text.trim() !== "" && Number.isFinite(n) ? n : { invalid: `not a number: "${text}"` };
    }
    case "yesno": {
      const word = text.trim().toLowerCase();
      if (word === "yes") return true;
      if (word === "no") return false;
      return { invalid: `not yes or no: "${text}"` };
    }
    case "tags":
      return text
        .split(",")
        .map((tag) => tag.trim())
        .filter((tag) => tag !== "");
    default:
      return text;
  }
}

/** One entry: its marker line, then the template's layout with the answers in their markers. */
export function renderEntry(
  template: Template,
  meta: NoteMeta,
  answers: Readonly<Record<string, Answer>>,
): string {
  const questions = new Map(template.questions.map((q) => [q.id, q]));
  // Names come from the roster, not from the person writing: in the note they
  // are text, whatever markdown or HTML they look like. (Ids, dates and times
  // are slugs and digits.)
  const facts = new Map<string, string>([
    ["occurrence", meta.occurrence],
    ["date", meta.date],
    ["shift", meta.shift],
    ["shift_name", escapeMarkdown(meta.shiftName)],
    ["person", meta.person],
    ["person_name", escapeMarkdown(meta.personName)],
    ["team", meta.team ?? ""],
    ["written", meta.writtenText],
  ]);
  const layout = entryLayout(template);
  const filled = layout.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    const question = questions.get(name);
    if (!question) return escapeText(facts.get(name) ?? whole);
    const text = escapeText(answerText(answerTo(answers, name)));
    const alone =
      (offset === 0 || layout[offset - 1] === "\n") &&
      (layout[offset + whole.length] ?? "\n") === "\n";
    return alone
      ? `${answerStart(name, question.type)}\n${text}${text === "" ? "" : "\n"}${answerEnd(name)}`
      : `${answerStart(name, question.type)}${text}${answerEnd(name)}`;
  });
  return `${entryMarker(meta.written)}\n${filled}`;
}

/** The numbers and ratings of an entry, for the front matter summary. */
function numericAnswers(
  template: Template,
  answers: Readonly<Record<string, Answer>>,
): [string, number][] {
  return template.questions
    .filter((q) => q.type === "number" || q.type === "rating")
    .flatMap((q) => {
      const value = answerTo(answers, q.id);
      return typeof value === "number" ? [[q.id, value] as [string, number]] : [];
    });
}

/** Every tag of an entry (all tags questions), each once. */
function entryTags(template: Template, answers: Readonly<Record<string, Answer>>): string[] {
  const tags: string[] = [];
  for (const q of template.questions) {
    const value = answerTo(answers, q.id);
    if (q.type === "tags" && Array.isArray(value)) {
      for (const tag of value) if (!tags.includes(tag)) tags.push(tag);
    }
  }
  return tags;
}

const YAML_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * Plain text that YAML 1.1 reads as something else: a yes/no/on/off, a null,
 * a number in one of its forms (`0b1`, `012`, `1_000`, `1:20`) or a date.
 * YAML 1.2, which rota and the yaml package read, takes them as text, so
 * they are written plain; but front matter is also read by static site
 * generators whose readers are YAML 1.1 (Jekyll's), where a tag `yes`
 * would be `true`.
 */
const YAML_11_NOT_TEXT =
  /^(?:y|yes|n|no|true|false|on|off|~|null|[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-f_]+|(?:0|[1-9][0-9_]*)(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:e[-+][0-9]+)?|\.[0-9_]+(?:e[-+][0-9]+)?|\.inf)|\.nan|\d{4}-\d\d?-\d\d?(?:[tT ].*)?)$/i;

/**
 * A tag as the front matter holds it: double-quoted wherever any YAML reader,
 * 1.1 (Python's, Jekyll's) or 1.2, might not read it back as the same text
 * (`refund?`, `:k`, `=` in a flow list).
 */
function tagNode(doc: Document, tag: string) {
  const node = doc.createNode(tag);
  if (YAML_11_NOT_TEXT.test(tag) || !FLOW_PLAIN.test(tag)) node.type = "QUOTE_DOUBLE";
  return node;
}

/**
 * Text every YAML reader takes plain in a flow list as written: a letter or
 * digit, then letters, digits, spaces and `. _ - / ( ) '`. PyYAML, for one,
 * refuses `refund?` there and reads `?k` as a mapping.
 */
const FLOW_PLAIN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} ._\-/()']*(?<! )$/u;

function flowList(doc: Document, items: string[]) {
  const node = new YAMLSeq<Scalar<string>>();
  for (const item of items) node.items.push(tagNode(doc, item));
  node.flow = true;
  return node;
}

/** A new note: front matter and its first entry. */
export function renderNewNote(
  template: Template,
  meta: NoteMeta,
  answers: Readonly<Record<string, Answer>>,
): string {
  const doc = new Document({});
  doc.set("occurrence", meta.occurrence);
  doc.set("date", meta.date);
  doc.set("shift", meta.shift);
  doc.set("person", meta.person);
  if (meta.team) doc.set("team", meta.team);
  doc.set("tags", flowList(doc, entryTags(template, answers)));
  for (const [id, value] of numericAnswers(template, answers)) doc.set(id, value);
  return `---\n${doc.toString(YAML_OPTIONS)}---\n${renderEntry(template, meta, answers)}`;
}

export type AppendResult = { ok: true; text: string } | { ok: false; problems: Problem[] };

/**
 * Why a note is not the occurrence's and person's its path names (`meta`),
 * by its front matter (at `line`), or undefined when it is: a note someone
 * edited or moved by hand. Says what the front matter says and what the path does.
 */
export function ownerProblem(
  frontMatter: { occurrence?: string | undefined; person?: string | undefined },
  file: string,
  line: number,
  meta: { occurrence: string; person: string },
): Problem | undefined {
  const says: string[] = [];
  const path: string[] = [];
  for (const key of ["occurrence", "person"] as const) {
    if (frontMatter[key] === meta[key]) continue;
    const value = frontMatter[key];
    says.push(value === undefined ? `no ${key}` : `${key} ${value}`);
    path.push(meta[key]);
  }
  if (says.length === 0) return undefined;
  return fileProblem(
    file,
    line,
    `this note's front matter says ${says.join(" and ")}, but its path says ${path.join(" and ")}; it was edited or moved by hand: fix its front matter or move it back`,
  );
}

/**
 * A note with one more entry. The existing body is kept byte for byte (the
 * new entry follows it after a blank line); only the front matter summary
 * changes: tags merged, numbers and ratings from this entry where it gave
 * them. Comments and other keys in the front matter are kept. A note whose
 * front matter cannot be read, or that belongs to another shift or person,
 * is refused.
 */
export function appendToNote(
  existing: string,
  file: string,
  template: Template,
  meta: NoteMeta,
  answers: Readonly<Record<string, Answer>>,
): AppendResult {
  const parsed = parseNote(existing, file);
  if (!parsed.ok) return parsed;
  // The note's own line ends: CRLF, LF, or a carriage return alone (which
  // YAML and rota read as a line end too, as old Mac editors write them).
  const eol = existing.includes("\r\n")
    ? "\r\n"
    : existing.includes("\r") && !existing.includes("\n")
      ? "\r"
      : "\n";
  const text = normalizeNewlines(existing);
  const split = splitFrontMatter(text);
  if (!split) return { ok: false, problems: [fileProblem(file, 1, "the front matter is missing")] };
  const { frontMatter } = parsed.note;
  const notOurs = ownerProblem(frontMatter, file, split.yamlLine, meta);
  if (notOurs) return { ok: false, problems: [notOurs] };

  const doc = parseDocument(split.yaml, { version: "1.2" });
  const added = entryTags(template, answers).filter((tag) => !frontMatter.tags.includes(tag));
  const tagsNode = doc.get("tags", true);
  if (isSeq(tagsNode)) {
    // Edited in place, so that comments on it and its items stay where they were.
    for (const tag of added) tagsNode.items.push(tagNode(doc, tag));
  } else if (added.length > 0 || tagsNode === undefined) {
    const list = flowList(doc, [...frontMatter.tags, ...added]);
    if (isNode(tagsNode)) {
      list.comment = tagsNode.comment;
      list.commentBefore = tagsNode.commentBefore;
    }
    doc.set("tags", list);
  }
  // A scalar is changed in place by set: its comment stays.
  for (const [id, value] of numericAnswers(template, answers)) doc.set(id, value);
  const frontMatterText = `---\n${doc.toString(YAML_OPTIONS)}---\n`;

  // The body exactly as it was, from the original text (not the normalized one).
  const originalBody = existing.slice(existing.length - bodyLength(existing));
  const separator = originalBody === "" ? "" : /[\r\n]$/.test(originalBody) ? eol : eol + eol;
  const entry = renderEntry(template, meta, answers);
  return {
    ok: true,
    text:
      frontMatterText.replaceAll("\n", eol) +
      originalBody +
      separator +
      entry.replaceAll("\n", eol),
  };
}

/** The length of the body (after the closing `---` line) in the original text. */
function bodyLength(original: string): number {
  const delimiter = /^\ufeff?---[ \t]*$/;
  // Lines end at CRLF, LF or a carriage return alone, as `normalizeNewlines` reads them.
  const lineEnd = /\r\n|\n|\r/g;
  let start = 0;
  for (let index = 0; start < original.length; index++) {
    lineEnd.lastIndex = start;
    const found = lineEnd.exec(original);
    const newline = found ? found.index : -1;
    const end = found ? found.index + found[0].length : original.length;
    const line = original.slice(start, newline === -1 ? end : newline);
    if (delimiter.test(line) && (index === 0 || !line.startsWith("\ufeff"))) {
      if (index > 0) return original.length - end;
    } else if (index === 0) {
      return original.length;
    }
    start = end;
  }
  return 0;
}

function fileProblem(file: string, line: number, message: string): Problem {
  return { file, line, col: 1, severity: "error", message };
}

/** The front matter of a note, as `rota notes` writes it. */
export interface NoteFrontMatter {
  /** 1-based line of its first YAML line in the file. */
  line: number;
  occurrence?: string;
  date?: string;
  shift?: string;
  person?: string;
  team?: string;
  /** Every entry's tags, merged. */
  tags: string[];
  /** The numeric answers (number and rating questions) of the latest entry that gave each. */
  numbers: Record<string, number>;
  /** Every key as written, including any a person added by hand. */
  data: Record<string, unknown>;
}

/** One run of `rota notes`: what was answered, and when. */
export interface NoteEntry {
  /** When the entry was written: the ISO 8601 time in its marker. */
  written: string;
  /** 1-based line of the entry's marker in the file. */
  line: number;
  /** Answers by question id, typed by the type in each answer's marker. */
  answers: Record<string, Answer>;
  /** The question type of each answer (`long`, `number`…), from its marker. */
  types: Record<string, string>;
  /** The entry's markdown as written (markers included), without its marker line. */
  markdown: string;
}

export interface Note {
  frontMatter: NoteFrontMatter;
  /** In file order: oldest first. */
  entries: NoteEntry[];
}

/**
 * A note read back, or why it could not be: `ok` with the note and warnings
 * about parts that could not be read (an answer without its end marker, a
 * number that is not one), or not `ok` when there is no readable front matter
 * or git left merge-conflict markers in it.
 */
export type ParsedNote =
  | { ok: true; note: Note; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

/**
 * Reads a field-notes file: its front matter and every entry with its answers
 * keyed by question id. Answers are found by their markers, so markdown
 * headings, `---`, HTML or YAML-looking text inside an answer never confuse
 * it; text outside the markers (headings, hand edits) is ignored. Never
 * throws.
 */
export function parseNote(source: string, file = "note.md"): ParsedNote {
  const text = normalizeNewlines(source);
  const conflicts = markdownConflicts(text);
  if (conflicts.length > 0) {
    return { ok: false, problems: conflicts.map((block) => conflictProblem(block, file)) };
  }
  const split = splitFrontMatter(text);
  if (!split) {
    return {
      ok: false,
      problems: [
        fileProblem(
          file,
          1,
          opensFrontMatter(text)
            ? "the front matter opened by --- on line 1 has no closing --- line: add one after its last field, before the first entry"
            : "a note starts with YAML front matter between --- lines",
        ),
      ],
    };
  }
  const simple = readSimpleFrontMatter(split.yaml);
  const yaml = simple ? { ok: true as const, yaml: simple } : parseYaml(split.yaml, file);
  if (!yaml.ok) {
    return {
      ok: false,
      problems: yaml.problems.map((p) => ({ ...p, line: p.line + split.yamlLine - 1 })),
    };
  }
  const data = yaml.yaml.value;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      ok: false,
      problems: [fileProblem(file, split.yamlLine, "the front matter must be a mapping")],
    };
  }
  const warnings: Problem[] = [];
  const warn = (line: number, message: string) =>
    warnings.push({ file, line, col: 1, severity: "warning", message });
  const record = data as Record<string, unknown>;
  const frontMatter: NoteFrontMatter = {
    line: split.yamlLine,
    tags: [],
    numbers: {},
    data: record,
  };
  for (const key of ["occurrence", "date", "shift", "person", "team"] as const) {
    const value = record[key];
    if (typeof value === "string") frontMatter[key] = value;
    else if (value !== undefined) {
      warn(yaml.yaml.locate([key]).line + split.yamlLine - 1, `${key} should be text`);
    }
  }
  if (Array.isArray(record.tags)) {
    frontMatter.tags = record.tags.filter((t) => t !== null && typeof t !== "object").map(String);
  } else if (record.tags !== undefined && record.tags !== null) {
    warn(yaml.yaml.locate(["tags"]).line + split.yamlLine - 1, "tags should be a list");
  }
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "number" && Number.isFinite(value)) frontMatter.numbers[key] = value;
  }

  // Entries start at marker lines; found with indexOf rather than by
  // splitting the body into lines (a report reads tens of thousands of notes).
  const body = split.body;
  const markers: { written: string; line: number; start: number; end: number }[] = [];
  let line = split.bodyLine;
  let counted = 0;
  for (let at = body.indexOf(ENTRY_PREFIX); at !== -1; at = body.indexOf(ENTRY_PREFIX, at + 1)) {
    if (at > 0 && body[at - 1] !== "\n") continue;
    const newline = body.indexOf("\n", at);
    const end = newline === -1 ? body.length : newline;
    const marker = ENTRY_MARKER.exec(body.slice(at, end));
    if (!marker) continue;
    for (let i = body.indexOf("\n", counted); i !== -1 && i < at; i = body.indexOf("\n", i + 1)) {
      line++;
    }
    counted = at;
    markers.push({ written: marker[1] as string, line, start: at, end });
  }
  const entries: NoteEntry[] = markers.map((marker, i) => {
    const next = markers[i + 1];
    const from = Math.min(marker.end + 1, body.length);
    const markdown = next ? body.slice(from, Math.max(from, next.start - 1)) : body.slice(from);
    return {
      written: marker.written,
      line: marker.line,
      markdown,
      ...readAnswers(markdown, marker.line + 1, warn),
    };
  });
  return { ok: true, note: { frontMatter, entries }, warnings };
}

/** Whether git left merge-conflict markers in a note. */
export function noteHasConflicts(source: string): boolean {
  return markdownConflicts(normalizeNewlines(source)).length > 0;
}

/**
 * A note with a conflict: both sides are usually entries that belong in it,
 * so only the person resolving it can say what it should hold.
 */
function conflictProblem(block: ConflictBlock, file: string): Problem {
  return sharedConflictProblem(
    block,
    file,
    "the note",
    "resolve the merge conflict: keep one front matter and the entries of both sides, delete the marker lines",
  );
}

/** The start of an entry marker line. */
const ENTRY_PREFIX = "<!-- rota:entry ";
/** ANSWER_START, global, for scanning an entry (reset before each use: parsing is synchronous). */
const ANSWER_STARTS = new RegExp(ANSWER_START.source, "g");

/** `<!-- rota:end id -->` anywhere: its group is the id (as ANSWER_START's). */
const ANSWER_ENDS = /<!-- rota:end ([a-z0-9][a-z0-9_-]*) -->/g;

/**
 * Where the next end marker of an answer is, at or after a place, as
 * `indexOf` finds it, -1 for none; asked in increasing order, as a scan asks.
 * Every end marker is found once, up front: a note of many start markers
 * without their end (a damaged note) would otherwise be read to its end
 * for each of them.
 */
function endMarkers(markdown: string): (id: string, from: number) => number {
  const at = new Map<string, { places: number[]; next: number }>();
  ANSWER_ENDS.lastIndex = 0;
  for (let match = ANSWER_ENDS.exec(markdown); match; match = ANSWER_ENDS.exec(markdown)) {
    const id = match[1] as string;
    const known = at.get(id);
    if (known) known.places.push(match.index);
    else at.set(id, { places: [match.index], next: 0 });
  }
  return (id, from) => {
    const known = at.get(id);
    if (!known) return -1;
    if (known.next > 0 && (known.places[known.next - 1] as number) >= from) known.next = 0;
    while (known.next < known.places.length && (known.places[known.next] as number) < from) {
      known.next++;
    }
    return known.places[known.next] ?? -1;
  };
}

function readAnswers(
  markdown: string,
  firstLine: number,
  warn: (line: number, message: string) => void,
): { answers: Record<string, Answer>; types: Record<string, string> } {
  const answers: Record<string, Answer> = {};
  const types: Record<string, string> = {};
  const lineAt = lineCounter(markdown);
  const ends = endMarkers(markdown);
  const starts = ANSWER_STARTS;
  starts.lastIndex = 0;
  for (;;) {
    const start = starts.exec(markdown);
    if (!start) break;
    const [marker, id, type] = start as unknown as [string, string, string];
    // Counted only for a warning: most answers need none.
    const index = start.index;
    const line = () => firstLine + lineAt(index) - 1;
    const contentStart = start.index + marker.length;
    const end = ends(id, contentStart);
    if (end === -1) {
      warn(line(), `the answer "${id}" has no end marker ${answerEnd(id)}; it was not read`);
      continue;
    }
    starts.lastIndex = end + answerEnd(id).length;
    let content = markdown.slice(contentStart, end);
    if (content.startsWith("\n")) content = content.slice(1);
    if (content.endsWith("\n")) content = content.slice(0, -1);
    if (Object.hasOwn(answers, id)) {
      warn(line(), `the answer "${id}" appears twice in one entry; the first is kept`);
      continue;
    }
    const value = answerValue(type, unescapeText(content));
    types[id] = type;
    if (value === undefined) continue;
    if (typeof value === "object" && !Array.isArray(value)) {
      warn(line(), `the answer "${id}" is ${value.invalid}`);
      continue;
    }
    answers[id] = value;
  }
  return { answers, types };
}

/** Every value a note holds for one question, oldest entry first (unanswered entries skipped). */
export function answersFor(note: Note, id: string): Answer[] {
  return note.entries.flatMap((entry) => {
    const answer = answerTo(entry.answers, id);
    return answer === undefined ? [] : [answer];
  });
}

/**
 * The entries that `after` adds to `before` (two versions of one note, before
 * undefined when there was none), when adding them is all it does: every entry
 * of `before` is still there, first and unchanged (the front matter, which
 * each entry updates, is not compared). Undefined when `after` changes more
 * (an entry edited or removed by hand), adds no entry, or cannot be read.
 */
export function addedEntries(before: string | undefined, after: string): NoteEntry[] | undefined {
  const next = parseNote(after);
  if (!next.ok) return undefined;
  let kept: NoteEntry[] = [];
  if (before !== undefined) {
    const earlier = parseNote(before);
    if (!earlier.ok) return undefined;
    kept = earlier.note.entries;
  }
  const entries = next.note.entries;
  if (entries.length <= kept.length) return undefined;
  // The last entry of a note has no line break after it until another follows.
  const same = (a: NoteEntry, b: NoteEntry) =>
    a.written === b.written && a.markdown.trimEnd() === b.markdown.trimEnd();
  if (!kept.every((entry, i) => same(entry, entries[i] as NoteEntry))) return undefined;
  return entries.slice(kept.length);
}

/**
 * What the note as written now (`after`) has lost of its last commit
 * (`before`): entries that are no longer there, or text cut off its end (a
 * copy or a save that stopped short); undefined when nothing committed is
 * gone, edits within an entry included. `rota notes` commits changes made by
 * hand before adding its entry, but not these: that commit would take
 * committed entries out of the note.
 */
export function lostText(before: string | undefined, after: string): string | undefined {
  if (before === undefined) return undefined;
  const earlier = parseNote(before);
  const now = parseNote(after);
  if (!earlier.ok || !now.ok) return undefined;
  // By the time in each marker, counted: entries written in one minute share it.
  const kept = new Map<string, number>();
  for (const { written } of now.note.entries) kept.set(written, (kept.get(written) ?? 0) + 1);
  const gone = earlier.note.entries.filter(({ written }) => {
    const left = kept.get(written) ?? 0;
    kept.set(written, left - 1);
    return left <= 0;
  });
  const count = earlier.note.entries.length;
  if (gone.length > 0) {
    const times = [...new Set(gone.map((entry) => entry.written))].join(", ");
    return `${gone.length} of the ${count} entries of its last commit ${gone.length === 1 ? "is" : "are"} missing (written ${times})`;
  }
  const end = (text: string) => text.replace(/\r\n/g, "\n").trimEnd();
  const cut = end(after);
  const whole = end(before);
  if (cut.length < whole.length && whole.startsWith(cut)) {
    return "the end of its last entry is missing (the file is its last commit cut short)";
  }
  return undefined;
}

/** Whether `entry` holds exactly `answers`, as the note shows them (unanswered and empty alike). */
export function entryHolds(entry: NoteEntry, answers: Readonly<Record<string, Answer>>): boolean {
  const ids = new Set([...Object.keys(entry.answers), ...Object.keys(answers)]);
  return [...ids].every(
    (id) => answerText(answerTo(entry.answers, id)) === answerText(answerTo(answers, id)),
  );
}
