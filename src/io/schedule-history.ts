import path from "node:path";
import type { Context } from "../context.ts";
import { EMPTY_SCHEDULE, type Schedule } from "../core/schedule/schedule.ts";
import { parseSchedule } from "../core/schedule/schedule-yaml.ts";
import { FailedError, UsageError } from "../errors.ts";
import { isGitWorkTree, lastCommitChanging, readFileAtCommit, resolveCommit } from "./git.ts";

export interface ScheduleBefore {
  schedule: Schedule;
  /** Says in words what it is: `--since`, or the commit before the last change. */
  label: string;
  /**
   * Names the change compared with it: the last commit that changed the
   * schedule (12 hex digits), or `<since>..<HEAD>`.
   */
  change: string;
}

/**
 * The schedule to compare with for invites: schedule.yaml at `--since`, or by
 * default before the last commit that changed it (so the invites cover that
 * change and anything not yet committed). `rota calendar --invites` and
 * `rota notify changes` compare with it.
 */
export async function scheduleBefore(
  ctx: Context,
  schedulePath: string,
  since: string | undefined,
  flag = "--invites",
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
      };
    }
    commit = last.parent;
    change = last.commit.slice(0, 12);
    label = `${last.parent.slice(0, 7)} (before ${last.commit.slice(0, 7)}, the last commit that changed ${file})`;
  }
  const text = await readFileAtCommit(dir, commit, file);
  if (text === undefined) return { schedule: EMPTY_SCHEDULE, label, change };
  const parsed = parseSchedule(text, `${commit.slice(0, 7)}:${file}`);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    throw new FailedError(
      `${file} at ${commit.slice(0, 7)} cannot be read (${first ? `line ${first.line}: ${first.message}` : "invalid"}); pass --since with another revision`,
    );
  }
  return { schedule: parsed.schedule, label, change };
}
