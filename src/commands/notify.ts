import path from "node:path";
import type { Context } from "../context.ts";
import { fromDay } from "../core/dates.ts";
import {
  changeMessages,
  digestMessage,
  type NotifyInput,
  reminderMessages,
  todayMessages,
} from "../core/notify/build.ts";
import { parseLeads } from "../core/notify/leads.ts";
import type { Ledger } from "../core/notify/ledger.ts";
import type { Message } from "../core/notify/message.ts";
import { planOutgoing } from "../core/notify/outgoing.ts";
import { plural } from "../core/problems.ts";
import { parseTime } from "../core/roster/formats.ts";
import type { Channel, Roster } from "../core/roster/model.ts";
import { closestMatch, didYouMean } from "../core/suggest.ts";
import { dayOf } from "../core/time.ts";
import { InputError, UsageError } from "../errors.ts";
import { workTreeRoot } from "../io/git.ts";
import { readScheduledNotes } from "../io/notes-checked.ts";
import { pullRequestContext, repositoryFileLink } from "../io/notify/ci.ts";
import {
  type DeliveryReport,
  deliver,
  statePath,
  summarizeDelivery,
} from "../io/notify/deliver.ts";
import { openState, readState } from "../io/notify/state.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";
import { type ScheduleStep, scheduleBefore, scheduleSteps } from "../io/schedule-history.ts";
import { threadsAllowed } from "../io/threads.ts";
import { resolveTimeFlag } from "../io/time-flags.ts";
import { checkTicketsFormat, joinTickets, loadReport } from "./report.ts";

export interface NotifyOptions {
  since?: string;
  before?: string;
  at?: string;
  dryRun?: boolean;
  json?: boolean;
  state?: string;
  channel?: string;
  tickets?: string[];
  ticketsFormat?: string;
}

const WHATS = ["today", "changes", "remind", "digest"] as const;
type What = (typeof WHATS)[number];

/** The roster's channels, or only `--channel`'s. */
export function channelsOf(
  ctx: Context,
  roster: Roster,
  only: string | undefined,
  needed: string,
): Channel[] {
  const channels = roster.notify?.channels ?? [];
  if (channels.length === 0) {
    throw new UsageError(
      `${ctx.display(ctx.rosterPath)} has no channels to ${needed}: add \`notify: { channels: [ { id, type, url_env } ] }\` (see docs/notify.md in rota's repository)`,
    );
  }
  if (only === undefined) return channels;
  const channel = channels.find((c) => c.id === only);
  if (!channel)
    throw new UsageError(
      `--channel: no channel "${only}" in the roster${channelHint(only, channels)}`,
    );
  return [channel];
}

/** How many channels a message names at most. */
const LISTED_CHANNELS = 8;

/**
 * What `--channel` most likely meant: an id a typo away, else the channels of
 * the type it names or nearly names (`--channel slack` for a channel
 * `support-slack`), else every channel's id, so that the next try is right.
 */
function channelHint(only: string, channels: readonly Channel[]): string {
  const id = didYouMean(
    only,
    channels.map((c) => c.id),
  );
  if (id !== "") return id;
  const types = new Set(channels.map((c) => c.type));
  const type = types.has(only as Channel["type"]) ? only : closestMatch(only, types);
  const ofType = channels.filter((c) => c.type === type);
  const quoted = (list: readonly Channel[], withType: boolean) => {
    const shown = list
      .slice(0, LISTED_CHANNELS)
      .map((c) => `"${c.id}"${withType ? ` (${c.type})` : ""}`);
    if (list.length > shown.length) shown.push(`${list.length - shown.length} more`);
    return shown.length === 1
      ? (shown[0] as string)
      : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1) as string}`;
  };
  if (ofType.length === 1) return `; did you mean ${quoted(ofType, false)}, its ${type} channel?`;
  if (ofType.length > 1) return `; its ${type} channels are ${quoted(ofType, false)}`;
  return `; its channels are ${quoted(channels, true)}`;
}

/** Refuses to send from a pull-request build, where the roster is only a proposal. */
export function refuseInPullRequest(ctx: Context, what: string): void {
  const context = pullRequestContext(ctx.io.env);
  if (context) {
    throw new UsageError(
      `refusing to ${what} from a pull-request build (${context}): its roster and schedule are not merged yet, and a fork's build must not reach the team; run it on the main branch (--dry-run shows what would be sent)`,
    );
  }
}

/** Links to notes: the published site's note pages, else the files on GitHub or GitLab. */
export async function linksFor(
  ctx: Context,
  roster: Roster,
): Promise<Pick<NotifyInput, "noteLink" | "reportLink">> {
  const site = roster.calendar?.url?.replace(/\/+$/, "");
  if (site) {
    return {
      // rota site publishes each note beside where its .md sits.
      noteLink: (file) => `${site}/${file.replace(/\.md$/, ".html")}`,
      reportLink: `${site}/report.html`,
    };
  }
  const repo = repositoryFileLink(ctx.io.env);
  if (!repo) return {};
  const rosterDir = path.dirname(ctx.rosterPath);
  const root = await workTreeRoot(rosterDir);
  if (!root) return {};
  const prefix = path.relative(root, rosterDir).split(path.sep).filter(Boolean).join("/");
  return { noteLink: (file) => repo(prefix ? `${prefix}/${file}` : file) };
}

interface Built {
  messages: Message[];
  /** `changes` without `--since`: the last commit that changed the schedule, told once all is sent. */
  through?: string;
  /** With `through`: the commit the messages tell the changes after, recorded when not all went out. */
  base?: string;
}

async function buildMessages(
  ctx: Context,
  what: What,
  options: Omit<NotifyOptions, "at"> & { at: number },
  roster: Roster,
  now: number,
  ledger: Ledger,
): Promise<Built> {
  const scheduleFile = await readScheduleFile(ctx);
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  if (!scheduleFile.exists) {
    throw new UsageError(
      `${scheduleFile.file} not found: run \`rota plan\` (and commit schedule.yaml) first`,
    );
  }
  const schedule = scheduleFile.schedule;
  const input: NotifyInput = { roster, schedule, now, ...(await linksFor(ctx, roster)) };
  switch (what) {
    case "today": {
      // The handoff quotes the notes `rota report` counts: a note by nobody the
      // roster or its history knows is skipped, with a warning, as there.
      const tree = await readScheduledNotes(ctx, roster, schedule, now, {
        answers: ["struggles", "fix"],
        threads: threadsAllowed(ctx.io.env.ROTA_THREADS),
      });
      for (const warning of tree.warnings) ctx.err(`${warning}\n`);
      return { messages: todayMessages(input, tree.records, options.at) };
    }
    case "remind": {
      const leads = parseLeads(options.before ?? "1d");
      if (typeof leads === "string") throw new UsageError(`--before: ${leads}`);
      return { messages: reminderMessages(input, leads) };
    }
    case "changes": {
      const before = await scheduleBefore(
        ctx,
        scheduleFile.path,
        options.since,
        "notify changes",
        ledger.through.get("changes"),
      );
      ctx.err(`changes since ${before.label}\n`);
      // Since the last change announced, each commit is told on its own: a
      // channel that failed gets what it missed, the others nothing twice.
      const steps: ScheduleStep[] =
        before.announced && before.through
          ? await scheduleSteps(scheduleFile.path, before.announced, before.through)
          : [{ change: before.change, before: before.schedule }];
      return {
        messages: steps.flatMap((step) =>
          changeMessages(input, step.before, {
            id: step.change,
            ...(step.after ? { after: step.after } : {}),
          }),
        ),
        ...(before.through ? { through: before.through } : {}),
        ...(before.base ? { base: before.base } : {}),
      };
    }
    case "digest": {
      const zone = roster.timezone;
      const today = dayOf(now, zone);
      const since =
        options.since === undefined
          ? fromDay(today - 7)
          : fromDay(dayOf(resolveTimeFlag("--since", options.since, zone), zone));
      // The digest runs to today: it has no --until to blame.
      if (since > fromDay(today)) {
        throw new UsageError(
          `--since (${since}) is after today (${fromDay(today)}): the digest tells what the front line said up to today`,
        );
      }
      const loaded = await loadReport(ctx, { since, until: fromDay(today) });
      const report = options.tickets?.length
        ? {
            ...loaded.report,
            helpdesk: await joinTickets(ctx, loaded, options.tickets, options.ticketsFormat),
          }
        : loaded.report;
      return { messages: [digestMessage(input, report, loaded.notes)] };
    }
  }
}

/**
 * `rota notify <what>`: tells people, on the roster's channels, who is on
 * today, whose shifts a change moved, who is on soon, or what the front line
 * said. Each message goes once per channel, however often or late it runs.
 */
export async function runNotify(
  ctx: Context,
  what: string,
  options: NotifyOptions,
): Promise<number> {
  if (!(WHATS as readonly string[]).includes(what)) {
    throw new UsageError(
      `notify: "${what}" is not something rota tells (it tells today, changes, remind or digest)${didYouMean(what, WHATS)}`,
    );
  }
  if (options.json && !options.dryRun) {
    throw new UsageError("--json prints what would be sent: pass it with --dry-run");
  }
  if (options.tickets !== undefined && what !== "digest") {
    throw new UsageError(`--tickets is for notify digest, not ${what}`);
  }
  if (options.ticketsFormat !== undefined && what !== "digest") {
    throw new UsageError(`--tickets-format is for notify digest, not ${what}`);
  }
  checkTicketsFormat(options);
  if (options.since !== undefined && what !== "changes" && what !== "digest") {
    throw new UsageError(`--since is for notify changes and notify digest, not ${what}`);
  }
  if (options.before !== undefined && what !== "remind") {
    throw new UsageError(`--before is for notify remind, not ${what}`);
  }
  if (options.at !== undefined && what !== "today") {
    throw new UsageError(`--at is for notify today, not ${what}`);
  }
  const at = options.at === undefined ? 0 : parseTime(options.at);
  if (at === undefined) {
    throw new UsageError(
      `--at: "${options.at}" is not a time of day; use HH:MM on a 24-hour clock, e.g. 08:00`,
    );
  }
  if (!options.dryRun) refuseInPullRequest(ctx, "send messages");
  const { roster, now } = await loadRoster(ctx);
  const channels = channelsOf(ctx, roster, options.channel, "notify");
  const file = statePath(ctx, options.state);
  const display = ctx.display(file);
  const build = (ledger: Ledger) =>
    buildMessages(ctx, what as What, { ...options, at }, roster, now, ledger);

  if (options.dryRun) {
    const ledger = await readState(file, display);
    const { messages } = await build(ledger);
    const plan = planOutgoing(roster, channels, messages, ledger);
    for (const warning of plan.warnings) ctx.err(`warning: ${warning}\n`);
    if (options.json) {
      const shown = plan.outgoing.map((item) => ({
        channel: item.channel.id,
        event: item.event,
        to: item.to,
        text: item.text,
      }));
      ctx.out(`${JSON.stringify(shown, null, 2)}\n`);
    } else {
      for (const item of plan.outgoing) {
        ctx.out(
          `── ${item.channel.id} (${item.channel.type}) · ${item.event}${item.to ? ` · to ${item.to}` : ""}\n${item.text.trimEnd()}\n\n`,
        );
      }
    }
    ctx.err(
      `dry run: would send ${plural(plan.outgoing.length, "message")}${plan.sent.length ? `; ${plan.sent.length} already sent` : ""}\n`,
    );
    return 0;
  }

  const state = await openState(file, display);
  let report: DeliveryReport;
  let already: number;
  try {
    const { messages, through, base } = await build(state.ledger);
    const plan = planOutgoing(roster, channels, messages, state.ledger);
    for (const warning of plan.warnings) ctx.err(`warning: ${warning}\n`);
    already = plan.sent.length;
    report = await deliver(ctx, roster, plan.outgoing, { state, now });
    // Told everyone, on every channel: the next run starts after this change.
    // Otherwise it starts where this one did, even on the first run, which
    // had no record: a channel that failed (or was not chosen) gets what it
    // missed, the others nothing twice.
    const told = report.failed.length === 0 && options.channel === undefined ? through : base;
    if (told && told !== state.ledger.through.get("changes")) {
      state.ledger.through.set("changes", told);
      await state.save(now);
    }
  } finally {
    await state.release();
  }
  return summarizeDelivery(ctx, report, already);
}
