import path from "node:path";
import type { Context } from "../context.ts";
import { EMPTY_SCHEDULE, type Schedule } from "../core/schedule/schedule.ts";
import { parseSchedule } from "../core/schedule/schedule-yaml.ts";
import { FailedError, UsageError } from "../errors.ts";
import {
  isAncestor,
  isGitWorkTree,
  lastCommitChanging,
  readFileAtCommit,
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
}

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
  let label: string;
  let change: string;
  let through: string | undefined;
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
      };
    }
    through = last.commit;
    if (announced === last.commit) {
      // Told already: only what is not committed yet is new.
      commit = last.commit;
      change = `${last.commit.slice(0, 12)}..work-tree`;
      label = `${last.commit.slice(0, 7)} (the last commit that changed ${file}, announced already)`;
    } else if (
      announced !== undefined &&
      announced !== last.parent &&
      (await isAncestor(dir, announced, last.commit))
    ) {
      commit = announced;
      change = `${announced.slice(0, 12)}..${last.commit.slice(0, 12)}`;
      label = `${announced.slice(0, 7)} (the last change announced; ${last.commit.slice(0, 7)} is the last that changed ${file})`;
    } else {
      commit = last.parent;
      change = last.commit.slice(0, 12);
      label = `${last.parent.slice(0, 7)} (before ${last.commit.slice(0, 7)}, the last commit that changed ${file})`;
    }
  }
  const text = await readFileAtCommit(dir, commit, file);
  const recorded = through === undefined ? {} : { through };
  if (text === undefined) return { schedule: EMPTY_SCHEDULE, label, change, ...recorded };
  const parsed = parseSchedule(text, `${commit.slice(0, 7)}:${file}`);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    throw new FailedError(
      `${file} at ${commit.slice(0, 7)} cannot be read (${first ? `line ${first.line}: ${first.message}` : "invalid"}); pass --since with another revision`,
    );
  }
  return { schedule: parsed.schedule, label, change, ...recorded };
}
