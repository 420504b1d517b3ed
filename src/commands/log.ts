import { realpath } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.ts";
import { oneLine, toJson } from "../core/controls.ts";
import {
  concerns,
  isNoteFile,
  type LogEvent,
  movedEvent,
  noteEvent,
  notesFileEvent,
  readScheduleDiff,
  rosterEvents,
  sameChangeAt,
  scheduleEvent,
} from "../core/log/history.ts";
import {
  RosterVersions,
  readRosterVersion,
  UnreadableRoster,
} from "../core/log/roster-versions.ts";
import { plural } from "../core/problems.ts";
import { fitTable, NAME_MIN } from "../core/render/fit.ts";
import { SLUG } from "../core/roster/formats.ts";
import { closestMatch } from "../core/suggest.ts";
import { formatLocal, isoUtc, parseIsoInstant } from "../core/time.ts";
import { UsageError } from "../errors.ts";
import { checkNowText, viewerZone } from "../io/clock.ts";
import { workTreeRoot } from "../io/git.ts";
import {
  type FileChange,
  type FileMove,
  type HistoryCommit,
  hasCommits,
  NO_BLOB,
  readBlobs,
  readCommits,
  readMoves,
  readScheduleDiffs,
  shallowEdges,
} from "../io/history.ts";
import { readRosterFile } from "../io/roster-file.ts";
import { schedulePath } from "../io/schedule-file.ts";
import { paint } from "../io/terminal.ts";
import { resolveTimeFlag } from "../io/time-flags.ts";
import { outputWidth } from "../io/width.ts";

export interface LogOptions {
  person?: string;
  since?: string;
  json?: boolean;
}

/** A path in git's terms: relative to the root, with forward slashes. */
function gitPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}

/**
 * `rota log`: the audit trail from git, newest first: roster changes (people
 * added, removed or changed, swaps), schedule changes and notes written, one
 * line each with the commit and its author.
 */
export async function runLog(ctx: Context, options: LogOptions): Promise<number> {
  await checkNowText(ctx);
  if (options.person !== undefined && !SLUG.test(options.person)) {
    throw new UsageError(`--person: "${options.person}" is not a person id`);
  }
  const rosterDir = path.dirname(ctx.rosterPath);
  let realDir: string;
  try {
    realDir = await realpath(rosterDir);
  } catch {
    throw new UsageError(`${ctx.display(rosterDir)} does not exist`);
  }
  const root = await workTreeRoot(realDir);
  if (!root) {
    throw new UsageError(
      `${ctx.display(rosterDir)} is not inside a git repository: rota log reads the history of the repository that holds the roster`,
    );
  }
  // The current roster, when readable, names the shifts (to read note file
  // names) and the notes template, if it is not notes/TEMPLATE.md.
  let shiftIds: string[] = [];
  let zone = "UTC";
  let templateSetting: string | undefined;
  let peopleNow: string[] = [];
  try {
    const current = await readRosterFile(ctx);
    shiftIds = current.roster?.shifts.map((s) => s.id) ?? [];
    peopleNow = current.roster?.people.map((p) => p.id) ?? [];
    zone = current.roster?.timezone ?? zone;
    templateSetting = current.roster?.notes?.template;
  } catch {
    // No roster at HEAD: the history may still have one.
  }
  const since =
    options.since !== undefined
      ? isoUtc(resolveTimeFlag("--since", options.since, zone))
      : undefined;

  const roster = gitPath(root, path.join(realDir, path.basename(ctx.rosterPath)));
  const schedule = gitPath(root, path.join(realDir, path.relative(rosterDir, schedulePath(ctx))));
  const notesDir = `${gitPath(root, path.join(realDir, "notes"))}/`;
  const template = gitPath(root, path.resolve(realDir, templateSetting ?? "notes/TEMPLATE.md"));
  // A template outside the repository has no history here.
  const templateOutside = template.startsWith("../") || path.isAbsolute(template);
  const warn = (text: string) => ctx.err(`${text}\n`);

  if (!(await hasCommits(root))) {
    if (options.json) ctx.out("[]\n");
    warn("no commits yet: the log starts with the first commit");
    return 0;
  }
  const edges = await shallowEdges(root);
  const tracked: Tracked = {
    rosters: new Set([roster]),
    schedules: new Set([schedule]),
    notesDirs: [notesDir],
    templates: new Set(templateOutside ? [] : [template]),
  };
  const { commits, scheduleDiffs } = await readFollowing(root, tracked, edges, since);
  const notesDirOf = (file: string) => tracked.notesDirs.find((dir) => file.startsWith(dir));

  // Every version of the roster the log compares, read through one git
  // process; each is parsed once however many commits share it, and the
  // parts an earlier version had already are not parsed again.
  const wanted = commits.flatMap((commit) =>
    edges.has(commit.commit)
      ? []
      : commit.files
          .filter((f) => tracked.rosters.has(f.path) && f.before !== f.after)
          .flatMap((f) => [f.before, f.after]),
  );
  const texts = await readBlobs(
    root,
    wanted.filter((blob) => !NO_BLOB.test(blob)),
  );
  const versions = new RosterVersions();
  const parsed = new Map<string, unknown>();
  const rosterAt = (blob: string): unknown => {
    if (NO_BLOB.test(blob)) return undefined;
    if (!parsed.has(blob)) parsed.set(blob, readRosterVersion(versions, texts.get(blob), roster));
    return parsed.get(blob);
  };
  const readable = (blob: string) => {
    const data = rosterAt(blob);
    return data !== null && typeof data === "object" && !(data instanceof UnreadableRoster);
  };
  // A commit that repairs the roster is compared with the last version before
  // it that read as one: oldest first, the last such version at each commit.
  const lastReadable = new Map<string, string>();
  let last: string | undefined;
  for (const commit of [...commits].reverse()) {
    // Nothing is known from before a shallow clone's edge.
    if (edges.has(commit.commit)) last = undefined;
    if (edges.has(commit.commit)) continue;
    for (const file of commit.files) {
      if (!tracked.rosters.has(file.path) || file.before === file.after) continue;
      if (last !== undefined) lastReadable.set(commit.commit, last);
      if (readable(file.after)) last = file.after;
    }
  }
  // Commits that made the same change (the same versions before and after,
  // and the same last readable one) have the same events.
  const changes = new Map<string, LogEvent[]>();

  const events: LogEvent[] = [];
  let edge: string | undefined;
  for (const commit of commits) {
    if (edges.has(commit.commit)) {
      edge = commit.date;
      events.push({
        commit: commit.commit,
        date: commit.date,
        author: commit.author,
        email: commit.email,
        kind: "history-missing",
        summary:
          "history before this commit is not in this shallow clone (`git fetch --unshallow`)",
      });
      continue;
    }
    const notes = commit.files.filter((f) => {
      const dir = notesDirOf(f.path);
      return dir !== undefined && f.status !== "R" && isNoteFile(f.path.slice(dir.length));
    });
    for (const file of commit.files) {
      const moved = file.status === "R" && file.from !== undefined;
      // A move alone changes nothing but where the file is.
      const same = file.before === file.after;
      if (tracked.rosters.has(file.path)) {
        if (moved) events.push(movedEvent(commit, file.from as string, file.path));
        if (moved && same) continue;
        const earlier = lastReadable.get(commit.commit);
        const key = `${file.before} ${file.after} ${earlier ?? ""}`;
        const known = changes.get(key);
        if (known) {
          events.push(...sameChangeAt(known, commit));
        } else {
          const found = rosterEvents(
            commit,
            rosterAt(file.before),
            rosterAt(file.after),
            path.posix.basename(roster),
            earlier === undefined ? undefined : rosterAt(earlier),
          );
          changes.set(key, found);
          events.push(...found);
        }
      } else if (tracked.schedules.has(file.path)) {
        if (moved) events.push(movedEvent(commit, file.from as string, file.path));
        if (moved && same) continue;
        const lines = withoutUnchanged(scheduleDiffs.get(commit.commit) ?? []);
        const changes = readScheduleDiff(lines);
        const event = scheduleEvent(commit, changes, path.posix.basename(schedule), options.person);
        if (event) events.push(event);
      } else if (moved && !tracked.templates.has(file.path)) {
      } else if (tracked.templates.has(file.path) || notesDirOf(file.path) !== undefined) {
        const isTemplate = tracked.templates.has(file.path);
        if (moved) events.push(movedEvent(commit, file.from as string, file.path));
        if (moved && same) continue;
        if (!notes.includes(file)) {
          events.push(notesFileEvent(commit, file.path, moved ? "M" : file.status, isTemplate));
        }
      }
    }
    events.push(...notesMoved(commit, tracked));
    for (const file of notes) {
      const event = noteEvent(
        commit,
        file.path,
        file.path.slice((notesDirOf(file.path) as string).length),
        file.status,
        notes.length === 1,
        shiftIds,
      );
      if (event) events.push(event);
    }
  }
  const shown = options.person
    ? events.filter((event) => concerns(event, options.person as string))
    : events;
  if (options.person !== undefined) checkPersonKnown(options.person, peopleNow, events);

  if (edge) {
    warn(
      `this is a shallow clone: history before ${edge.slice(0, 10)} is not here; run \`git fetch --unshallow\` for the whole log`,
    );
  }
  if (options.json) {
    ctx.out(`${toJson(shown)}\n`);
    return 0;
  }
  if (shown.length === 0) {
    warn(
      options.person
        ? `nothing in the history concerns ${options.person}${since ? ` since ${options.since}` : ""}`
        : "no changes to the roster, schedule or notes yet",
    );
    return 0;
  }
  const c = paint(ctx.color.stdout);
  const viewer = viewerZone(ctx);
  // Authors and summaries come from commits and rosters of the past, which
  // nothing validated: one line each, whatever they hold.
  const rows = shown.map((event) => [
    formatLocal(parseIsoInstant(event.date) ?? 0, viewer, "yyyy-LL-dd HH:mm"),
    c.yellow(event.commit.slice(0, 7)),
    oneLine(event.author),
    event.kind === "history-missing" ? c.dim(event.summary) : oneLine(event.summary),
  ]);
  // One line per event: where one is too wide, the author and then the summary are cut.
  const lines = fitTable(rows, [{}, {}, { min: NAME_MIN }, { min: 40 }], {
    width: outputWidth(ctx.io),
  });
  ctx.out(`${lines.join("\n")}\n`);
  ctx.err(`${plural(shown.length, "event")} in ${plural(commits.length, "commit")}\n`);
  return 0;
}

/**
 * `--person` names someone in the roster or its history (people who left
 * are in the history): anyone else is a mistake, with the closest id.
 */
function checkPersonKnown(
  person: string,
  peopleNow: readonly string[],
  events: readonly LogEvent[],
) {
  const known = new Set(peopleNow);
  for (const event of events) {
    if (event.person) known.add(event.person);
    for (const id of event.people ?? []) known.add(id);
    if (event.swap) known.add(event.swap.out).add(event.swap.in);
  }
  if (known.has(person)) return;
  const near = closestMatch(person, known);
  throw new UsageError(
    `--person: nobody called "${person}" is in the roster or its history${near ? `; did you mean "${near}"?` : ""}`,
  );
}

/**
 * The paths the roster, the schedule, the notes and the notes template have
 * had: where they are now, and where they were before a commit moved them.
 */
interface Tracked {
  rosters: Set<string>;
  schedules: Set<string>;
  /** Each ends with `/`. */
  notesDirs: string[];
  templates: Set<string>;
}

/**
 * The commits that touched the tracked files, newest first, with each move
 * (`git mv`) turned into one change from its old path to its new, and the
 * schedule's diff per commit. The paths git is asked about say nothing of
 * where a file came from, so the commits that added a tracked file are asked
 * whether they moved it: almost always only the roster's first commit. A
 * move found adds the old paths, and the history is read again with them.
 */
async function readFollowing(
  root: string,
  tracked: Tracked,
  edges: ReadonlySet<string>,
  since: string | undefined,
): Promise<{ commits: HistoryCommit[]; scheduleDiffs: Map<string, string[]> }> {
  const asked = new Set<string>();
  const moves = new Map<string, FileMove[]>();
  for (;;) {
    const paths = [
      ...tracked.rosters,
      ...tracked.schedules,
      ...tracked.notesDirs,
      ...tracked.templates,
    ];
    const [commits, scheduleDiffs] = await Promise.all([
      readCommits(root, paths, since),
      readScheduleDiffs(root, [...tracked.schedules], since),
    ]);
    const candidates = commits
      .filter((c) => !asked.has(c.commit) && !edges.has(c.commit) && mayHaveMoved(c, tracked))
      .map((c) => c.commit);
    for (const commit of candidates) asked.add(commit);
    let grew = false;
    for (const [commit, found] of await readMoves(root, candidates)) {
      const ours = found.filter((move) => isTracked(move.to, tracked));
      if (ours.length > 0) moves.set(commit, ours);
      for (const move of ours) grew = trackOldPath(move, tracked) || grew;
    }
    if (!grew) {
      return {
        commits: commits.map((c) => (moves.has(c.commit) ? joinMoves(c, moves.get(c.commit)) : c)),
        scheduleDiffs,
      };
    }
  }
}

function isTracked(file: string, tracked: Tracked): boolean {
  return (
    tracked.rosters.has(file) ||
    tracked.schedules.has(file) ||
    tracked.templates.has(file) ||
    tracked.notesDirs.some((dir) => file.startsWith(dir))
  );
}

/** Whether a commit may have moved a tracked file: it added one (two notes, or a note and removed one). */
function mayHaveMoved(commit: HistoryCommit, tracked: Tracked): boolean {
  let notesAdded = 0;
  let notesRemoved = 0;
  for (const file of commit.files) {
    const inNotes = tracked.notesDirs.some((dir) => file.path.startsWith(dir));
    if (file.status === "A" && !inNotes && isTracked(file.path, tracked)) return true;
    if (inNotes && file.status === "A") notesAdded++;
    if (inNotes && file.status === "D") notesRemoved++;
  }
  return notesAdded >= 2 || (notesAdded > 0 && notesRemoved > 0);
}

/** Adds where a moved file was to the tracked paths; whether that was new. */
function trackOldPath(move: FileMove, tracked: Tracked): boolean {
  const add = (set: Set<string>) => {
    if (set.has(move.from)) return false;
    set.add(move.from);
    return true;
  };
  if (tracked.rosters.has(move.to)) return add(tracked.rosters);
  if (tracked.schedules.has(move.to)) return add(tracked.schedules);
  if (tracked.templates.has(move.to)) return add(tracked.templates);
  const old = oldNotesDir(move, tracked);
  if (old === undefined || tracked.notesDirs.includes(old)) return false;
  tracked.notesDirs.push(old);
  return true;
}

/** The notes directory a note moved from, when it kept its place inside it. */
function oldNotesDir(move: FileMove, tracked: Tracked): string | undefined {
  const dir = tracked.notesDirs.find((d) => move.to.startsWith(d));
  if (dir === undefined) return undefined;
  const inside = move.to.slice(dir.length);
  if (!move.from.endsWith(`/${inside}`)) return undefined;
  return move.from.slice(0, move.from.length - inside.length);
}

/** A commit's files with each move as one change (R) from the old path to the new. */
function joinMoves(commit: HistoryCommit, moves: FileMove[] = []): HistoryCommit {
  const files: FileChange[] = [];
  const removed = new Map(commit.files.filter((f) => f.status === "D").map((f) => [f.path, f]));
  const into = new Map(moves.map((move) => [move.to, move.from]));
  const from = new Set<string>();
  for (const file of commit.files) {
    const source = file.status === "A" ? into.get(file.path) : undefined;
    if (source === undefined) continue;
    from.add(source);
    const before = removed.get(source)?.before ?? file.after;
    files.push({ ...file, status: "R", from: source, before });
  }
  for (const file of commit.files) {
    if (file.status === "D" && from.has(file.path)) continue;
    if (file.status === "A" && into.has(file.path)) continue;
    files.push(file);
  }
  return { ...commit, files };
}

/** One event per notes directory a commit moved notes out of. */
function notesMoved(commit: HistoryCommit, tracked: Tracked): LogEvent[] {
  const byDir = new Map<string, { to: string; count: number }>();
  const events: LogEvent[] = [];
  for (const file of commit.files) {
    if (file.status !== "R" || file.from === undefined) continue;
    const to = tracked.notesDirs.find((dir) => file.path.startsWith(dir));
    if (to === undefined || tracked.templates.has(file.path)) continue;
    const from = oldNotesDir({ from: file.from, to: file.path }, tracked);
    if (from === undefined || from === to) {
      events.push(movedEvent(commit, file.from, file.path));
      continue;
    }
    const seen = byDir.get(`${from}\0${to}`) ?? { to, count: 0 };
    seen.count++;
    byDir.set(`${from}\0${to}`, seen);
  }
  for (const [key, { to, count }] of byDir) {
    events.push(movedEvent(commit, key.slice(0, key.indexOf("\0")), to, count));
  }
  return events;
}

/**
 * A moved schedule's diff removes every line at its old path and adds them
 * at its new: the lines on both sides did not change.
 */
function withoutUnchanged(lines: readonly string[]): string[] {
  const removed = new Set(lines.filter((l) => l.startsWith("-")).map((l) => l.slice(1)));
  const added = new Set(lines.filter((l) => l.startsWith("+")).map((l) => l.slice(1)));
  return lines.filter((line) => !(removed.has(line.slice(1)) && added.has(line.slice(1))));
}
