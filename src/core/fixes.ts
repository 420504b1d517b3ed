import { stringify } from "yaml";
import {
  type ConflictBlock,
  findConflicts,
  conflictProblem as sharedConflictProblem,
} from "./conflict.ts";
import { toDay } from "./dates.ts";
import { stableHash } from "./hash.ts";
import { namelessKey, type Problem } from "./problems.ts";
import type { NoteRecord } from "./report/notes.ts";
import { checkUrlControls, explainBadDate, isRealDate } from "./roster/formats.ts";
import { didYouMean } from "./suggest.ts";
import { type Anchor, type Path, parseYaml } from "./yaml.ts";

/**
 * The fixes the front line proposes (each `fix` answer in the notes) and
 * what became of them, as the team records it in `fixes.yaml` with
 * `rota fix <id> done|wontfix|open|link URL`. Pure: text in, text out.
 */

export const FIXES_FILE = "fixes.yaml";
export const FIX_STATUSES = ["open", "done", "wontfix"] as const;
export type FixStatus = (typeof FIX_STATUSES)[number];

/** A `fix` answer in a note. */
export interface FixItem {
  /** A short hash of the note's file and the answer: the same answer keeps its id. */
  id: string;
  text: string;
  person: string;
  date: string;
  occurrence: string;
  file: string;
}

/** What fixes.yaml records of one fix. */
export interface FixState {
  status: FixStatus;
  /** The day the status last changed, `YYYY-MM-DD`. */
  changed?: string;
  links: string[];
  /** The answer, copied for whoever reads the file; rota goes by the id. */
  text?: string;
}

/** The stable id of a fix answer in a note. */
export function fixId(file: string, text: string): string {
  const a = stableHash(`${file}\n${text.trim()}`);
  const b = stableHash(`${text.trim()}\n${file}`);
  return (a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0")).slice(0, 10);
}

/** Every distinct `fix` answer in the notes, oldest first. */
export function fixItems(notes: readonly NoteRecord[]): FixItem[] {
  const items = new Map<string, FixItem>();
  for (const note of notes) {
    for (const entry of note.entries) {
      const answer = entry.answers.fix;
      if (typeof answer !== "string" || answer.trim() === "") continue;
      const id = fixId(note.file, answer);
      if (items.has(id)) continue;
      items.set(id, {
        id,
        text: answer.trim(),
        person: note.person,
        date: note.date,
        occurrence: note.occurrence,
        file: note.file,
      });
    }
  }
  return [...items.values()].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1,
  );
}

/** A link to the issue or pull request carrying a fix; control characters are checked apart, to be named. */
const URL_RE = /^https?:\/\/[^\s]+$/;
const ISSUE_EXAMPLE = "https://github.com/acme/app/issues/12";

/** What an entry of fixes.yaml may hold. */
const FIX_KEYS = ["status", "changed", "links", "text"];

export type ParsedFixes =
  | { ok: true; fixes: Map<string, FixState> }
  | { ok: false; problems: Problem[] };

/**
 * fixes.yaml read; the problems, each at its line and column, when it cannot
 * be. Anything rota would not read as written (an unknown key such as
 * `statuss`, a status given as `<id>: done`) is refused rather than left to
 * read as open. `file` is the file as messages name it.
 */
export function parseFixes(text: string, file: string): ParsedFixes {
  const fixes = new Map<string, FixState>();
  if (text.trim() === "") return { ok: true, fixes };
  // Conflict markers first: the YAML parser would report them as a syntax
  // error and never say "merge conflict".
  const conflicts = findConflicts(text);
  if (conflicts.length > 0) {
    return { ok: false, problems: conflicts.map((block) => conflictProblem(block, file)) };
  }
  const parsed = parseYaml(text, file);
  if (!parsed.ok) {
    // `rota fix` reads the file before it writes it, so it cannot mend it.
    const mend = `mend the YAML there, or take back the committed file: \`git checkout HEAD -- ${file}\``;
    return {
      ok: false,
      problems: parsed.problems.map((problem) => ({
        ...problem,
        message: `${problem.message}; ${mend}`,
      })),
    };
  }
  const { value: root, locate } = parsed.yaml;
  /** A problem at a path's value (or key). */
  const problem = (at: Path, message: string, anchor: Anchor = "value"): Failure => ({
    ok: false,
    problems: [{ file, ...locate(at, anchor), severity: "error", message }],
  });
  if (!isRecord(root)) return problem([], "must be a mapping with `version: 1` and `fixes:`");
  for (const key of Object.keys(root)) {
    if (key === "") return problem([key], namelessKey("the file"), "key");
    if (key !== "version" && key !== "fixes") {
      return problem(
        [key],
        `unknown key "${key}" (the file holds \`version: 1\` and \`fixes:\`)${didYouMean(key, ["version", "fixes"])}`,
        "key",
      );
    }
  }
  if (root.version !== 1) return problem(["version"], "`version` must be 1");
  const list = root.fixes;
  if (list === undefined || list === null) return { ok: true, fixes };
  if (!isRecord(list)) return problem(["fixes"], "`fixes` must map each fix id to its status");
  for (const [id, value] of Object.entries(list)) {
    if (id === "") return problem(["fixes", id], namelessKey("`fixes`"), "key");
    const entry = entryOf(id, value, (key, message, anchor) =>
      problem(["fixes", id, ...key], message, anchor),
    );
    if ("ok" in entry) return entry;
    fixes.set(id, entry);
  }
  return { ok: true, fixes };
}

type Failure = { ok: false; problems: Problem[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A conflicted part of fixes.yaml: each side says what became of a fix, and
 * only the people who decided know which is right.
 */
function conflictProblem(block: ConflictBlock, file: string): Problem {
  return sharedConflictProblem(
    block,
    file,
    "the file",
    "keep the lines that say what became of each fix and delete the others and the marker lines",
  );
}

/** One fix's entry of fixes.yaml (an empty one is open), or the problem with it. */
function entryOf(
  id: string,
  value: unknown,
  problem: (at: Path, message: string, anchor?: Anchor) => Failure,
): FixState | Failure {
  if (value === null || value === undefined) return { status: "open", links: [] };
  if (!isRecord(value)) {
    const written = typeof value === "object" ? "" : ` ${JSON.stringify(value)}`;
    return problem(
      [],
      `fix ${id}:${written} is not a mapping; write its status on the line under the id, indented: \`status: done\``,
    );
  }
  for (const name of Object.keys(value)) {
    if (name === "") return problem([name], namelessKey(`fix ${id}`), "key");
    if (!FIX_KEYS.includes(name)) {
      return problem(
        [name],
        `fix ${id}: unknown key "${name}" (an entry holds ${FIX_KEYS.join(", ")})${didYouMean(name, FIX_KEYS)}`,
        "key",
      );
    }
  }
  const status = Object.hasOwn(value, "status") ? value.status : "open";
  if (!(FIX_STATUSES as readonly unknown[]).includes(status)) {
    return problem(
      ["status"],
      `fix ${id}: status must be open, done or wontfix, not ${JSON.stringify(status)}`,
    );
  }
  const links = Object.hasOwn(value, "links") ? value.links : [];
  if (!Array.isArray(links) || links.some((l) => typeof l !== "string" || !URL_RE.test(l))) {
    return problem(["links"], `fix ${id}: links must be a list of http(s) addresses`);
  }
  for (const [i, link] of (links as string[]).entries()) {
    const why = checkUrlControls(link, ISSUE_EXAMPLE);
    if (why) return problem(["links", i], `fix ${id}: link ${i + 1} ${why}`);
  }
  const changed = Object.hasOwn(value, "changed") ? value.changed : undefined;
  if (
    changed !== undefined &&
    (typeof changed !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(changed))
  ) {
    return problem(["changed"], `fix ${id}: changed must be a date, YYYY-MM-DD`);
  }
  if (changed !== undefined && !isRealDate(changed)) {
    return problem(
      ["changed"],
      `fix ${id}: changed: ${explainBadDate(changed)}; write the day the status changed, YYYY-MM-DD`,
    );
  }
  const text = value.text;
  return {
    status: status as FixStatus,
    links: links as string[],
    ...(changed !== undefined ? { changed } : {}),
    ...(typeof text === "string" ? { text } : {}),
  };
}

/** fixes.yaml as rota writes it: a header, then the fixes by id. */
export function renderFixes(fixes: ReadonlyMap<string, FixState>): string {
  const body: Record<string, unknown> = {};
  for (const id of [...fixes.keys()].sort()) {
    const state = fixes.get(id) as FixState;
    body[id] = {
      status: state.status,
      ...(state.changed ? { changed: state.changed } : {}),
      ...(state.links.length > 0 ? { links: state.links } : {}),
      ...(state.text ? { text: state.text } : {}),
    };
  }
  return `# What became of the fixes proposed in field notes (their \`fix\` answers).
# Written by \`rota fix <id> done|wontfix|open|link URL\`; ids are listed by
# \`rota fix\` and in the report. Commit it with the notes.
${stringify({ version: 1, fixes: body }, { lineWidth: 0 })}`;
}

/** The change `rota fix <id> <action> [url]` makes; a message when the action is not one. */
export function applyFixAction(
  before: FixState | undefined,
  item: FixItem,
  action: string,
  url: string | undefined,
  today: string,
): FixState | string {
  const state: FixState = before
    ? { ...before, links: [...before.links] }
    : { status: "open", links: [] };
  state.text = item.text;
  switch (action) {
    case "done":
    case "wontfix":
    case "open":
      if (url !== undefined)
        return `\`${action}\` takes no address; use \`rota fix ${item.id} link ${url}\``;
      // `changed` is the day the status last changed: marking a fix done again keeps it.
      if (state.status !== action || state.changed === undefined) state.changed = today;
      state.status = action;
      return state;
    case "link": {
      if (url === undefined || !URL_RE.test(url)) {
        return `\`link\` needs an http(s) address, e.g. rota fix ${item.id} link ${ISSUE_EXAMPLE}`;
      }
      const why = checkUrlControls(url, ISSUE_EXAMPLE);
      if (why) return `\`link\`: the address ${why}`;
      if (!state.links.includes(url)) state.links.push(url);
      return state;
    }
    default:
      return `"${action}" is not something to do to a fix; use done, wontfix, open or link URL`;
  }
}

export interface OpenFix extends FixItem {
  /** Days since it was proposed, up to the report's last day. */
  age: number;
  links: string[];
}

export interface FixFigures {
  /** Fixes proposed in the window, and what became of them. */
  proposed: number;
  done: number;
  wontfix: number;
  open: number;
  /** Every fix still open that was proposed up to the window's end, oldest first. */
  openList: OpenFix[];
}

/** The fixes figures of a report window. */
export function fixFigures(
  items: readonly FixItem[],
  states: ReadonlyMap<string, FixState>,
  since: string,
  until: string,
): FixFigures {
  const figures: FixFigures = { proposed: 0, done: 0, wontfix: 0, open: 0, openList: [] };
  const last = toDay(until);
  for (const item of items) {
    if (item.date > until) continue;
    const state = states.get(item.id);
    const status = state?.status ?? "open";
    if (item.date >= since) {
      figures.proposed++;
      figures[status === "open" ? "open" : status]++;
    }
    if (status === "open") {
      // Written out, not spread: V8 gave each of 50,000 spread copies a
      // hidden class of its own (some 25 MB for a report of ten years).
      figures.openList.push({
        id: item.id,
        text: item.text,
        person: item.person,
        date: item.date,
        occurrence: item.occurrence,
        file: item.file,
        age: Math.max(0, last - toDay(item.date)),
        links: state?.links ?? [],
      });
    }
  }
  return figures;
}
