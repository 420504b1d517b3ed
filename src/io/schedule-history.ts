import path from "node:path";
import type { Context } from "../context.ts";
import { EMPTY_SCHEDULE, type Schedule } from "../core/schedule/schedule.ts";
import { parseSchedule } from "../core/schedule/schedule-yaml.ts";
import { FailedError, UsageError } from "../errors.ts";
import {
  commitsChanging,
  isAncestor,
  isGitWorkTree,
  lastCommitChanging,
  pathAtCommit,
  readPathAtCommit,
  resolveCommit,
} from "./git.ts";

export interface ScheduleBefore {
  schedule: Schedule;
  /** Says in words what it is: `--since`, or the commit before the last change. */
  label: string;
  /**
   * Names the change compared with it: the last commit that changed the
   * schedule (12 hex digits), or `<since>..<HEAD>`.
   */
  change: string;
  /**
   * Without `--since`: the last commit that changed the schedule, which a run
   * that announced the change records as how far it has told.
   */
  through?: string;
  /**
   * When the comparison starts from the last change announced rather than
   * the last change's parent: that commit, so that `notify changes` can tell
   * each commit since on its own (see `scheduleSteps`).
   */
  announced?: string;
  /**
   * Without `--since`: how far this comparison takes the history as told
   * already (the commit it starts after, or `HISTORY_START` when it starts
   * before the first commit). A run that could not tell everything records
   * it, so that the next run starts there again: what a channel missed is
   * told, and what the others heard is keyed the same, so not twice.
   */
  base?: string;
}

/**
 * The base of a comparison that starts before the first commit: git's null
 * object id, which names no commit (as in git's own hooks). Recorded as
 * `through` by a first run at the schedule's first commit that failed.
 */
export const HISTORY_START = "0".repeat(40);

/**
 * The schedule to compare with for invites: schedule.yaml at `--since`, or by
 * default before the last commit that changed it (so the invites cover that
 * change and anything not yet committed). `rota calendar --invites` and
 * `rota notify changes` compare with it. `announced` is the last such commit
 * a run told everyone about: when it is older than the last change (a run in
 * between never came), the comparison starts from it instead, so that no
 * change goes untold.
 */
export async function scheduleBefore(
  ctx: Context,
  schedulePath: string,
  since: string | undefined,
  flag = "--invites",
  announced?: string,
): Promise<ScheduleBefore> {
  const dir = path.dirname(schedulePath);
  const file = path.basename(schedulePath);
  if (!(await isGitWorkTree(dir))) {
    throw new UsageError(
      `${flag} compares ${file} with its git history, but ${ctx.display(dir)} is not in a git repository`,
    );
  }
  let commit: string;
  // Where the schedule was at that commit: it may have moved since.
  let at: string | undefined;
  let label: string;
  let change: string;
  let through: string | undefined;
  let from: string | undefined;
  if (since !== undefined) {
    const resolved = await resolveCommit(dir, since);
    if (!resolved) {
      throw new UsageError(
        `--since: "${since}" is not a commit here (in a shallow clone, fetch more history first)`,
      );
    }
    commit = resolved;
    label = since;
    change = `${resolved.slice(0, 12)}..${(await resolveCommit(dir, "HEAD"))?.slice(0, 12) ?? "work-tree"}`;
  } else {
    const last = await lastCommitChanging(dir, file);
    if (!last) {
      return {
        schedule: EMPTY_SCHEDULE,
        label: `the start (${file} was never committed)`,
        change: "uncommitted",
      };
    }
    if (!last.parent) {
      if (last.shallow) {
        throw new FailedError(
          `this clone is shallow: the commit before ${last.commit.slice(0, 7)} (the last that changed ${file}) is not here; fetch more history (\`git fetch --deepen=1\`, or \`fetch-depth: 0\` in GitHub Actions) or pass --since REV`,
        );
      }
      return {
        schedule: EMPTY_SCHEDULE,
        label: `the first commit (${last.commit.slice(0, 7)})`,
        change: last.commit.slice(0, 12),
        through: last.commit,
        base: HISTORY_START,
      };
    }
    through = last.commit;
    if (announced === last.commit) {
      // Told already: only what is not committed yet is new.
      commit = last.commit;
      at = last.to;
      change = `${last.commit.slice(0, 12)}..work-tree`;
      label = `${last.commit.slice(0, 7)} (the last commit that changed ${file}, announced already)`;
    } else if (announced === HISTORY_START) {
      // The first run, at the first commit, did not reach everyone: from the start again.
      if (last.shallow) {
        throw new FailedError(
          `this clone is shallow: the first commit of ${file}, whose change is not announced everywhere yet, is not here; fetch the whole history (\`git fetch --unshallow\`, or \`fetch-depth: 0\` in GitHub Actions) or pass --since REV`,
        );
      }
      commit = HISTORY_START;
      from = HISTORY_START;
      change = `start..${last.commit.slice(0, 12)}`;
      label = `the start (the first change is not announced everywhere yet; ${last.commit.slice(0, 7)} is the last that changed ${file})`;
    } else if (
      announced !== undefined &&
      announced !== last.parent &&
      (await isAncestor(dir, announced, last.commit))
    ) {
      commit = announced;
      from = announced;
      change = `${announced.slice(0, 12)}..${last.commit.slice(0, 12)}`;
      label = `${announced.slice(0, 7)} (the last change announced; ${last.commit.slice(0, 7)} is the last that changed ${file})`;
    } else {
      commit = last.parent;
      at = last.from;
      change = last.commit.slice(0, 12);
      label = `${last.parent.slice(0, 7)} (before ${last.commit.slice(0, 7)}, the last commit that changed ${file})`;
    }
  }
  const recorded = {
    ...(through === undefined ? {} : { through, base: commit }),
    ...(from === undefined ? {} : { announced: from }),
  };
  if (commit === HISTORY_START) return { schedule: EMPTY_SCHEDULE, label, change, ...recorded };
  at ??= await pathAtCommit(dir, file, commit);
  return { schedule: await scheduleAtCommit(dir, commit, at, file), label, change, ...recorded };
}

/**
 * schedule.yaml as a commit has it, at `at` (where it was then, as git names
 * it in a tree); empty where the commit has none.
 */
async function scheduleAtCommit(
  dir: string,
  commit: string,
  at: string,
  file: string,
): Promise<Schedule> {
  const text = await readPathAtCommit(dir, commit, at);
  if (text === undefined) return EMPTY_SCHEDULE;
  const parsed = parseSchedule(text, `${commit.slice(0, 7)}:${file}`);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    throw new FailedError(
      `${file} at ${commit.slice(0, 7)} cannot be read (${first ? `line ${first.line}: ${first.message}` : "invalid"}); pass --since with another revision`,
    );
  }
  return parsed.schedule;
}

/** One commit's change to the schedule. */
export interface ScheduleStep {
  /** The commit, 12 hex digits: it names the change in message keys. */
  change: string;
  before: Schedule;
  /** The schedule the commit made; undefined for the last one, which is compared with the work tree. */
  after?: Schedule;
}

/**
 * Each commit that changed the schedule after `from` (`HISTORY_START`: from
 * the first) up to `through` (the last that did), oldest first. Told one by
 * one, under keys that name the commit alone, a change that went out on some
 * channels is never told there again while another channel still waits for it.
 */
export async function scheduleSteps(
  schedulePath: string,
  from: string,
  through: string,
): Promise<ScheduleStep[]> {
  const dir = path.dirname(schedulePath);
  const file = path.basename(schedulePath);
  const commits = await commitsChanging(
    dir,
    file,
    from === HISTORY_START ? undefined : from,
    through,
  );
  return Promise.all(
    commits.map(async ({ commit, parent, from, to }) => ({
      change: commit.slice(0, 12),
      // The first commit: its schedule is all new.
      before: parent ? await scheduleAtCommit(dir, parent, from, file) : EMPTY_SCHEDULE,
      ...(commit === through ? {} : { after: await scheduleAtCommit(dir, commit, to, file) }),
    })),
  );
}
