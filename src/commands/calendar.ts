import path from "node:path";
import type { Context } from "../context.ts";
import { type Feeds, renderFeeds } from "../core/calendar/feeds.ts";
import { type InvitePlan, MissingOrganizerError, planInvites } from "../core/calendar/invites.ts";
import { toJson } from "../core/controls.ts";
import { plural } from "../core/problems.ts";
import { InputError, UsageError } from "../errors.ts";
import { type WriteReport, writeOutputFiles } from "../io/calendar-files.ts";
import { readCalendarHistory } from "../io/calendar-history.ts";
import {
  checkOutputDirectory,
  type Protected,
  protectedFiles,
  protectedFolderOf,
} from "../io/outputs.ts";
import { startProgress } from "../io/progress.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";
import { scheduleBefore } from "../io/schedule-history.ts";
import { threadsAllowed } from "../io/threads.ts";

export interface CalendarOptions {
  out?: string;
  /** `--invites` alone is true; `--invites DIR` is the directory. */
  invites?: boolean | string;
  since?: string;
  json?: boolean;
  /** With `--invites`: email them (io/notify/invites.ts). */
  send?: boolean;
  state?: string;
}

const INVITE_INDEX = "index.json";

/**
 * `rota calendar`: writes the team feed and one feed per person from the
 * committed schedule.yaml (and a last feed for each person no longer in the
 * roster), and with `--invites`, one invite file per changed shift and person
 * since a git revision; with `--send`, emails those invites.
 */
export async function runCalendar(ctx: Context, options: CalendarOptions): Promise<number> {
  const mail = options.send || options.state ? await import("../io/notify/invites.ts") : undefined;
  mail?.checkSendFlags(ctx, options);
  const threads = threadsAllowed(ctx.io.env.ROTA_THREADS);
  const { roster, now } = await loadRoster(ctx);
  const scheduleFile = await readScheduleFile(ctx);
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  if (!scheduleFile.exists) {
    throw new UsageError(
      `${scheduleFile.file} not found: run \`rota plan\` (and commit schedule.yaml), then \`rota calendar\``,
    );
  }
  const rosterDir = path.dirname(ctx.rosterPath);
  const outDir = options.out
    ? path.resolve(ctx.cwd, options.out)
    : path.join(rosterDir, "calendars");
  const invitesDir =
    options.invites === undefined || options.invites === false
      ? undefined
      : options.invites === true
        ? path.join(rosterDir, "invites")
        : path.resolve(ctx.cwd, options.invites);
  if (options.since !== undefined && invitesDir === undefined) {
    throw new UsageError("--since chooses what invites cover: pass it with --invites");
  }
  await checkOutputDirectory(ctx, outDir, "--out", options.out);
  if (invitesDir) {
    await checkOutputDirectory(
      ctx,
      invitesDir,
      "--invites",
      typeof options.invites === "string" ? options.invites : undefined,
    );
  }
  const protect = protectedFiles(ctx);

  const { history, warning } = await readCalendarHistory(ctx, roster, scheduleFile.schedule);
  if (warning) ctx.err(`warning: ${warning}\n`);

  // Everything is rendered before anything is written.
  const feeds = renderFeeds(roster, scheduleFile.schedule, history);
  let invites: { plan: InvitePlan; since: string; through?: string; base?: string } | undefined;
  if (invitesDir) {
    // Sending: from the last change whose invites all went out, so that a run
    // that never came leaves no invite unsent.
    const announced =
      mail && options.since === undefined
        ? await mail.invitesAnnounced(ctx, options.state)
        : undefined;
    const before = await scheduleBefore(
      ctx,
      scheduleFile.path,
      options.since,
      "--invites",
      announced,
    );
    try {
      invites = {
        plan: planInvites(roster, before.schedule, scheduleFile.schedule, history),
        since: before.label,
        ...(before.through ? { through: before.through } : {}),
        ...(before.base ? { base: before.base } : {}),
      };
    } catch (error) {
      if (error instanceof MissingOrganizerError) {
        throw new UsageError(
          `invites need an organizer: add \`calendar: { organizer: { name: …, email: … } }\` to ${ctx.display(ctx.rosterPath)}`,
        );
      }
      throw error;
    }
  }

  const files = [feeds.team, ...feeds.people, ...feeds.departed];
  const progress = startProgress(ctx, "writing calendars", files.length);
  const feedReport = await writeOutputFiles(outDir, files, {
    threads,
    owner: "calendar",
    flag: "--out",
    protect,
    display: ctx.display,
    within: (file) => protectedFolderOf(ctx, file),
    notice: (text) => ctx.err(text),
    onWritten: () => progress.tick(),
  });
  progress.done();
  let inviteReport: WriteReport | undefined;
  if (invitesDir && invites) {
    inviteReport = await writeInvites(ctx, invitesDir, invites.plan, invites.since, protect);
  }

  if (options.json) {
    ctx.out(`${toJson(jsonReport(ctx, outDir, feeds, feedReport, invitesDir, invites))}\n`);
  }
  const total = feeds.people.length;
  const busy = feeds.people.filter((feed) => feed.events > 0).length;
  const departed =
    feeds.departed.length > 0
      ? `, the last feed of ${plural(feeds.departed.length, "person", "people")} no longer in the roster`
      : "";
  ctx.err(
    `${ctx.display(outDir)}: team.ics with ${plural(feeds.team.events, "shift")}, ${plural(total, "personal feed")} (${busy} with shifts)${departed}; ${summarizeWrites(feedReport)}\n`,
  );
  if (invitesDir && invites && inviteReport) {
    const { plan, since } = invites;
    const requests = plan.invites.filter((invite) => invite.method === "REQUEST").length;
    const cancels = plan.invites.length - requests;
    const reached = new Set(plan.invites.map((invite) => invite.person)).size;
    ctx.err(
      `${ctx.display(invitesDir)}: ${plural(requests, "request")} and ${plural(cancels, "cancellation")} for ${plural(reached, "person", "people")} since ${since}; ${summarizeWrites(inviteReport)}\n`,
    );
    for (const { person, changes } of plan.unreachable) {
      ctx.err(
        `warning: ${person} has ${plural(changes, "changed shift")} but no email in the roster: no invite\n`,
      );
    }
  }
  if (mail && invites) {
    return mail.sendInvites(ctx, roster, invites.plan.invites, {
      state: options.state,
      now,
      ...(invites.through ? { through: invites.through } : {}),
      ...(invites.base ? { base: invites.base } : {}),
    });
  }
  return 0;
}

function summarizeWrites(report: WriteReport): string {
  const parts = [`wrote ${plural(report.written.length, "file")}`];
  if (report.unchanged.length > 0) parts.push(`${report.unchanged.length} unchanged`);
  if (report.removed.length > 0) parts.push(`removed ${report.removed.length}`);
  return parts.join(", ");
}

/** Writes the invites and their index, and removes the invites of an earlier run. */
async function writeInvites(
  ctx: Context,
  dir: string,
  plan: InvitePlan,
  since: string,
  protect: readonly Protected[],
): Promise<WriteReport> {
  const index = {
    since,
    invites: plan.invites.map(({ text: _text, ...invite }) => invite),
  };
  const files = [
    ...plan.invites.map((invite) => ({ path: invite.path, text: invite.text })),
    { path: INVITE_INDEX, text: `${JSON.stringify(index, null, 2)}\n` },
  ];
  return writeOutputFiles(dir, files, {
    owner: "invites",
    flag: "--invites",
    protect,
    display: ctx.display,
    within: (file) => protectedFolderOf(ctx, file),
    notice: (text) => ctx.err(text),
  });
}

function jsonReport(
  ctx: Context,
  outDir: string,
  feeds: Feeds,
  report: WriteReport,
  invitesDir: string | undefined,
  invites: { plan: InvitePlan; since: string } | undefined,
) {
  const file = (relative: string) => ctx.display(path.join(outDir, ...relative.split("/")));
  return {
    out: ctx.display(outDir),
    team: { file: file(feeds.team.path), events: feeds.team.events },
    people: feeds.people.map((feed) => ({
      id: feed.person,
      file: file(feed.path),
      events: feed.events,
    })),
    departed: feeds.departed.map((feed) => ({
      id: feed.person,
      file: file(feed.path),
      events: feed.events,
      cancelled: feed.cancelled,
    })),
    written: report.written.map((full) => ctx.display(full)),
    removed: report.removed.map((full) => ctx.display(full)),
    ...(invitesDir && invites
      ? {
          invites: {
            dir: ctx.display(invitesDir),
            since: invites.since,
            files: invites.plan.invites.map(({ text: _text, path: relative, ...invite }) => ({
              file: ctx.display(path.join(invitesDir, ...relative.split("/"))),
              ...invite,
            })),
            unreachable: invites.plan.unreachable,
          },
        }
      : {}),
  };
}
