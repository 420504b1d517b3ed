import { realpath } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.ts";
import { oneLine, toJson } from "../core/controls.ts";
import {
  concerns,
  isNoteFile,
  type LogEvent,
  noteEvent,
  notesFileEvent,
  readScheduleDiff,
  rosterEvents,
  sameChangeAt,
  scheduleEvent,
} from "../core/log/history.ts";
import { RosterVersions } from "../core/log/roster-versions.ts";
import { plural } from "../core/problems.ts";
import { fitTable } from "../core/render/fit.ts";
import { SLUG } from "../core/roster/formats.ts";
import { closestMatch } from "../core/suggest.ts";
import { formatLocal, isoUtc, parseIsoInstant } from "../core/time.ts";
import { UsageError } from "../errors.ts";
import { viewerZone } from "../io/clock.ts";
import { workTreeRoot } from "../io/git.ts";
import {
  hasCommits,
  NO_BLOB,
  readBlobs,
  readCommits,
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
  const since = options.since ? isoUtc(resolveTimeFlag("--since", options.since, zone)) : undefined;

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
  const [commits, scheduleDiffs] = await Promise.all([
    readCommits(root, [roster, schedule, notesDir, ...(templateOutside ? [] : [template])], since),
    readScheduleDiffs(root, schedule, since),
  ]);

  // Every version of the roster the log compares, read through one git
  // process; each is parsed once however many commits share it, and the
  // parts an earlier version had already are not parsed again.
  const wanted = commits.flatMap((commit) =>
    edges.has(commit.commit)
      ? []
      : commit.files.filter((f) => f.path === roster).flatMap((f) => [f.before, f.after]),
  );
  const texts = await readBlobs(
    root,
    wanted.filter((blob) => !NO_BLOB.test(blob)),
  );
  const versions = new RosterVersions();
  const parsed = new Map<string, unknown | null>();
  const rosterAt = (blob: string): unknown | null | undefined => {
    if (NO_BLOB.test(blob)) return undefined;
    if (!parsed.has(blob)) {
      const text = texts.get(blob);
      parsed.set(blob, text === undefined ? null : versions.read(text, roster));
    }
    return parsed.get(blob);
  };
  // Commits that made the same change (the same versions before and after)
  // have the same events.
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
    const notes = commit.files.filter(
      (f) => f.path.startsWith(notesDir) && isNoteFile(f.path.slice(notesDir.length)),
    );
    for (const file of commit.files) {
      if (file.path === roster) {
        const key = `${file.before} ${file.after}`;
        const known = changes.get(key);
        if (known) {
          events.push(...sameChangeAt(known, commit));
        } else {
          const found = rosterEvents(
            commit,
            rosterAt(file.before),
            rosterAt(file.after),
            path.posix.basename(roster),
          );
          changes.set(key, found);
          events.push(...found);
        }
      } else if (file.path === schedule) {
        const changes = readScheduleDiff(scheduleDiffs.get(commit.commit) ?? []);
        const event = scheduleEvent(commit, changes, path.posix.basename(schedule), options.person);
        if (event) events.push(event);
      } else if (
        file.path === template ||
        (file.path.startsWith(notesDir) && !notes.includes(file))
      ) {
        events.push(notesFileEvent(commit, file.path, file.status, file.path === template));
      }
    }
    for (const file of notes) {
      const event = noteEvent(
        commit,
        file.path,
        file.path.slice(notesDir.length),
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
  const lines = fitTable(rows, [{}, {}, { min: 10 }, { min: 40 }], {
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
