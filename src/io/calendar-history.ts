import { realpath } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.ts";
import {
  type CalendarHistory,
  type PersonOnRecord,
  peopleOnRecord,
  replaySchedule,
} from "../core/calendar/history.ts";
import type { Roster } from "../core/roster/model.ts";
import type { Schedule } from "../core/schedule/schedule.ts";
import { readPlainYaml } from "../core/yaml-fast.ts";
import { FailedError } from "../errors.ts";
import { gitIn, gitMessage, readFileAtCommit, workTreeRoot } from "./git.ts";
import {
  hasCommits,
  readBlob,
  readRemovedLines,
  readScheduleChanges,
  shallowEdges,
} from "./history.ts";
import { schedulePath } from "./schedule-file.ts";

export interface LoadedHistory {
  history: CalendarHistory;
  /** Why the history may be incomplete (a shallow clone), to say once. */
  warning?: string;
}

/** A path in git's terms: relative to the root, with forward slashes. */
function gitPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}

/**
 * What the calendars need from git: every change to schedule.yaml (for the
 * SEQUENCE of occurrences that came back, and the shifts each person lost),
 * and, for people on the schedule who are no longer in the roster, their name
 * and email as the roster last had them. Outside a git repository, or before
 * the first commit, there is no history: only the schedule as it is.
 */
export async function readCalendarHistory(
  ctx: Context,
  roster: Roster,
  schedule: Schedule,
): Promise<LoadedHistory> {
  const rosterDir = path.dirname(ctx.rosterPath);
  const none = (): LoadedHistory => ({
    history: { ...replaySchedule([], schedule), departed: new Map() },
  });
  let realDir: string;
  try {
    realDir = await realpath(rosterDir);
  } catch {
    return none();
  }
  const root = await workTreeRoot(realDir);
  if (!root || !(await hasCommits(root))) return none();

  const scheduleFile = schedulePath(ctx);
  let scheduleInGit: string;
  try {
    scheduleInGit = gitPath(
      root,
      path.join(await realpath(path.dirname(scheduleFile)), path.basename(scheduleFile)),
    );
  } catch {
    return none();
  }
  const rosterInGit = gitPath(root, path.join(realDir, path.basename(ctx.rosterPath)));
  try {
    const replayed = replaySchedule(
      scheduleInGit.startsWith("../") ? [] : await readScheduleChanges(root, scheduleInGit),
      schedule,
    );
    const inRoster = new Set(roster.people.map((person) => person.id));
    const wanted = new Set([...replayed.people].filter((id) => !inRoster.has(id)));
    const departed = wanted.size > 0 ? await readDeparted(root, rosterInGit, wanted) : new Map();
    return {
      history: { ...replayed, departed },
      ...((await historyIsCut(root))
        ? {
            warning:
              "this clone is shallow: people removed from the roster before its first commit get no cancellations, and occurrences removed and brought back before it may be published with too low a SEQUENCE; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in GitHub Actions)",
          }
        : {}),
    };
  } catch (error) {
    throw new FailedError(
      `cannot read the git history of the roster and the schedule: ${gitMessage(error)}`,
    );
  }
}

/**
 * People no longer in the roster (`ids`), as its history last recorded them:
 * the report's rows for people who served and have since been removed.
 * Outside a git repository, or before the first commit, none are known.
 */
export async function readDepartedPeople(
  ctx: Context,
  ids: ReadonlySet<string>,
): Promise<Map<string, PersonOnRecord>> {
  if (ids.size === 0) return new Map();
  let realDir: string;
  try {
    realDir = await realpath(path.dirname(ctx.rosterPath));
  } catch {
    return new Map();
  }
  const root = await workTreeRoot(realDir);
  if (!root || !(await hasCommits(root))) return new Map();
  try {
    return await readDeparted(
      root,
      gitPath(root, path.join(realDir, path.basename(ctx.rosterPath))),
      ids,
    );
  } catch (error) {
    throw new FailedError(
      `cannot read the git history of the roster for the people no longer in it: ${gitMessage(error)}`,
    );
  }
}

/**
 * Which of `ids` the roster's git history ever had as people, and whether that
 * history could be read whole: not outside a repository, before the first
 * commit, in a shallow clone or when git fails, where someone not found may
 * only be missing from what is here.
 */
export async function findPeopleInHistory(
  ctx: Context,
  ids: ReadonlySet<string>,
): Promise<{ found: ReadonlySet<string>; complete: boolean }> {
  const none = { found: new Set<string>(), complete: false };
  if (ids.size === 0) return { found: new Set(), complete: true };
  let realDir: string;
  try {
    realDir = await realpath(path.dirname(ctx.rosterPath));
  } catch {
    return none;
  }
  const root = await workTreeRoot(realDir);
  if (!root || !(await hasCommits(root))) return none;
  const roster = gitPath(root, path.join(realDir, path.basename(ctx.rosterPath)));
  if (roster.startsWith("../")) return none;
  try {
    const found = new Set((await readDeparted(root, roster, ids)).keys());
    return { found, complete: found.size === ids.size || !(await historyIsCut(root)) };
  } catch {
    return none;
  }
}

/** A roster's people, from its text as data (it may have been invalid then). */
async function peopleIn(text: string, file: string): Promise<Map<string, PersonOnRecord>> {
  let value = readPlainYaml(text);
  if (value === undefined) {
    // Anchors, tags or a syntax error: the yaml package, loaded only then.
    const { parseYaml } = await import("../core/yaml.ts");
    const parsed = parseYaml(text, file);
    value = parsed.ok ? parsed.yaml.value : undefined;
  }
  return peopleOnRecord(value);
}

/** An `id:` key in a line of YAML, block or flow style, quoted or not. */
const ID_KEY =
  /(?:^|[\s{,])id:\s*(["']?)([a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?)\1(?=\s*(?:[,}#]|$))/g;

/**
 * The people of `wanted` (on the schedule, no longer in the roster) as the
 * roster last named them: the committed roster first (someone removed only
 * in the work tree is still there), then the version before each commit
 * whose diff removed their `id:` line. One `git log` and a version read per
 * removal, rather than every version of a roster that may be megabytes long.
 */
async function readDeparted(
  root: string,
  roster: string,
  wanted: ReadonlySet<string>,
): Promise<Map<string, PersonOnRecord>> {
  const found = new Map<string, PersonOnRecord>();
  if (roster.startsWith("../")) return found;
  const take = async (text: string | undefined) => {
    if (text === undefined) return;
    for (const [id, person] of await peopleIn(text, roster)) {
      if (wanted.has(id) && !found.has(id)) found.set(id, person);
    }
  };
  await take(await readFileAtCommit(root, "HEAD", roster));
  const read = new Set<string>();
  for (const { before, removed } of await readRemovedLines(root, roster)) {
    if (found.size === wanted.size) break;
    if (!before || read.has(before)) continue;
    const ids = removed.flatMap((line) => [...line.slice(1).matchAll(ID_KEY)].map((m) => m[2]));
    if (!ids.some((id) => id !== undefined && wanted.has(id) && !found.has(id))) continue;
    read.add(before);
    // By its blob: the roster may have been elsewhere then.
    await take(await readBlob(root, before).catch(() => undefined));
  }
  return found;
}

/**
 * Whether the current branch's history stops short in this clone (a shallow
 * clone). A shallow fetch of another branch (the calendars branch, in CI)
 * leaves the history of this one whole.
 */
async function historyIsCut(root: string): Promise<boolean> {
  for (const edge of await shallowEdges(root)) {
    try {
      await gitIn(root).raw(["merge-base", "--is-ancestor", edge, "HEAD"]);
      return true;
    } catch {
      // Not an ancestor of HEAD (or not a commit here): this branch is whole.
    }
  }
  return false;
}
