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
import { gitIn, gitMessage, workTreeRoot } from "./git.ts";
import {
  hasCommits,
  NO_BLOB,
  readBlob,
  readCommits,
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
 * The people of `wanted` as the newest version of the roster that has each
 * of them names them, reading versions from the newest back only as far as
 * needed.
 */
async function readDeparted(
  root: string,
  roster: string,
  wanted: ReadonlySet<string>,
): Promise<Map<string, PersonOnRecord>> {
  const found = new Map<string, PersonOnRecord>();
  if (roster.startsWith("../")) return found;
  const seen = new Set<string>();
  for (const commit of await readCommits(root, [roster])) {
    for (const file of commit.files) {
      if (file.path !== roster || NO_BLOB.test(file.after) || seen.has(file.after)) continue;
      seen.add(file.after);
      const text = await readBlob(root, file.after);
      let value = readPlainYaml(text);
      if (value === undefined) {
        // Anchors, tags or a syntax error: the yaml package, loaded only then.
        const { parseYaml } = await import("../core/yaml.ts");
        const parsed = parseYaml(text, roster);
        value = parsed.ok ? parsed.yaml.value : undefined;
      }
      for (const [id, person] of peopleOnRecord(value)) {
        if (wanted.has(id) && !found.has(id)) found.set(id, person);
      }
      if (found.size === wanted.size) return found;
    }
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
