import { rmdir } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.ts";
import { type Feeds, renderFeeds } from "../core/calendar/feeds.ts";
import { type InvitePlan, MissingOrganizerError, planInvites } from "../core/calendar/invites.ts";
import { plural } from "../core/problems.ts";
import { SLUG } from "../core/roster/formats.ts";
import { InputError, UsageError } from "../errors.ts";
import { listDirectory, type WriteReport, writeOutputFiles } from "../io/calendar-files.ts";
import { startProgress } from "../io/progress.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";
import { scheduleBefore } from "../io/schedule-history.ts";

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

const FEED_FILE = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?\.ics$/;
const INVITE_FILE = /^\d{4}-\d{2}-\d{2}-[a-z0-9_-]+-(?:request|cancel)\.ics$/;
const INVITE_INDEX = "index.json";

/**
 * `rota calendar`: writes the team feed and one feed per person from the
 * committed schedule.yaml, and with `--invites`, one invite file per changed
 * shift and person since a git revision; with `--send`, emails those invites.
 */
export async function runCalendar(ctx: Context, options: CalendarOptions): Promise<number> {
  const mail = options.send || options.state ? await import("../io/notify/invites.ts") : undefined;
  mail?.checkSendFlags(ctx, options);
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

  // Everything is rendered before anything is written.
  const feeds = renderFeeds(roster, scheduleFile.schedule);
  let invites: { plan: InvitePlan; since: string } | undefined;
  if (invitesDir) {
    const before = await scheduleBefore(ctx, scheduleFile.path, options.since);
    try {
      invites = {
        plan: planInvites(roster, before.schedule, scheduleFile.schedule),
        since: before.label,
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

  const people = new Set(roster.people.map((person) => person.id));
  const files = [feeds.team, ...feeds.people];
  const progress = startProgress(ctx, "writing calendars", files.length);
  const feedReport = await writeOutputFiles(
    outDir,
    files,
    async () =>
      (await listDirectory(path.join(outDir, "people")))
        .filter((name) => FEED_FILE.test(name) && !people.has(name.slice(0, -4)))
        .map((name) => path.join(outDir, "people", name)),
    () => progress.tick(),
  );
  progress.done();
  let inviteReport: WriteReport | undefined;
  if (invitesDir && invites) {
    inviteReport = await writeInvites(invitesDir, invites.plan, invites.since);
  }

  if (options.json) {
    ctx.out(
      `${JSON.stringify(jsonReport(ctx, outDir, feeds, feedReport, invitesDir, invites), null, 2)}\n`,
    );
  }
  const total = feeds.people.length;
  const busy = feeds.people.filter((feed) => feed.events > 0).length;
  ctx.err(
    `${ctx.display(outDir)}: team.ics with ${plural(feeds.team.events, "shift")}, ${plural(total, "personal feed")} (${busy} with shifts); ${summarizeWrites(feedReport)}\n`,
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
    return mail.sendInvites(ctx, roster, invites.plan.invites, { state: options.state, now });
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
async function writeInvites(dir: string, plan: InvitePlan, since: string): Promise<WriteReport> {
  const index = {
    since,
    invites: plan.invites.map(({ text: _text, ...invite }) => invite),
  };
  const files = [
    ...plan.invites.map((invite) => ({ path: invite.path, text: invite.text })),
    { path: INVITE_INDEX, text: `${JSON.stringify(index, null, 2)}\n` },
  ];
  const keep = new Set(files.map((file) => path.join(dir, ...file.path.split("/"))));
  const emptied: string[] = [];
  const report = await writeOutputFiles(dir, files, async () => {
    const stale: string[] = [];
    for (const person of await listDirectory(dir)) {
      if (!SLUG.test(person)) continue;
      const names = await listDirectory(path.join(dir, person));
      const old = names.filter(
        (name) => INVITE_FILE.test(name) && !keep.has(path.join(dir, person, name)),
      );
      stale.push(...old.map((name) => path.join(dir, person, name)));
      if (names.length > 0 && old.length === names.length) emptied.push(path.join(dir, person));
    }
    return stale;
  });
  for (const folder of emptied) await rmdir(folder).catch(() => undefined);
  return report;
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
