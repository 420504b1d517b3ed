import { z } from "zod";
import {
  CHANNEL_TYPES,
  COUNTRY,
  DATE,
  DAY_NAMES,
  DISCORD_ID,
  EMAIL,
  ENV_NAME,
  GOOGLE_CHAT_ID,
  LINE,
  MATTERMOST_NAME,
  MAX_EMAIL,
  MAX_NAME,
  MAX_REASON,
  MAX_URL,
  MAX_ZONE,
  NOTIFY_EVENTS,
  PERIOD,
  REGION,
  SLACK_ID,
  SLUG,
  TIME,
  WEB_URL,
} from "./formats.ts";

/**
 * The roster model: the one definition of `roster.yaml`. The shape and formats
 * live here (and are published as `schema/roster.schema.json`); what a schema
 * cannot say (real dates, references, ranges) is checked in `check.ts`.
 */

/** One line of plain text of at most `max` characters (formats.ts). */
const line = (what: string, max: number) => z.string().max(max).regex(LINE).describe(what);

const slug = (what: string) =>
  z
    .string()
    .regex(SLUG)
    .describe(`${what}: lowercase letters, digits, "-" and "_" (it becomes part of file names)`);

const date = (what: string) => z.string().regex(DATE).describe(`${what} (YYYY-MM-DD)`);

const time = (what: string) => z.string().regex(TIME).describe(`${what} (HH:MM, local wall time)`);

const timeZone = (what: string) => line(`${what} (IANA name, e.g. Europe/Berlin)`, MAX_ZONE);

const period = z
  .string()
  .regex(PERIOD)
  .describe(
    'Quota: each person serves at least once per calendar period: "N week(s)", "N month(s)", "N quarter(s)" or "N year(s)"',
  );

const role = slug("A seat role").describe(
  'A seat role such as "pro"; "any" is the role every person fills',
);

export const SeatSchema = z
  .strictObject({
    role: role.describe('Who may fill this seat: a role such as "pro", or "any" for anyone'),
  })
  .describe("One seat on a shift: one person fills it");

/**
 * An optional list whose absence means none: an empty key (`swaps:` with
 * nothing after it, as deleting the last entry leaves it) means none too.
 * The schema allows null there; reading the roster drops such keys
 * (`dropEmptyLists`), so the roster's type never holds null.
 */
function noneWhenEmpty<T extends z.ZodType>(list: T): z.ZodOptional<T> {
  return list.nullable().optional() as unknown as z.ZodOptional<T>;
}

export const HolidaysSchema = z
  .strictObject({
    country: z
      .string()
      .regex(COUNTRY)
      .optional()
      .describe("Public holidays of this country (ISO 3166 code) are closed days"),
    region: z
      .string()
      .regex(REGION)
      .optional()
      .describe("A state or region of the country, e.g. BY"),
    dates: noneWhenEmpty(z.array(date("A closed day"))).describe("Extra closed days"),
  })
  .describe("Closed days: public holidays of a country (or one of its regions) and extra dates");

export const ShiftSchema = z
  .strictObject({
    id: slug("A shift id"),
    name: line("Display name; defaults to the id", MAX_NAME).optional(),
    days: z.array(z.enum(DAY_NAMES)).min(1).describe("The days of the week this shift runs"),
    start: time("Start").optional(),
    end: time("End; at or before start means the next day").optional(),
    all_day: z.boolean().optional().describe("A whole-day shift, without start and end"),
    timezone: timeZone("The shift's time zone; defaults to the roster's").optional(),
    seats: z.array(SeatSchema).min(1).describe("One entry per person on the shift"),
    holidays: HolidaysSchema.optional().describe(
      "This shift's own closed days, e.g. a desk in another country; they replace the roster's holidays as a whole (country, region and dates), and {} means the shift closes on no day",
    ),
  })
  .describe("A recurring support shift");

export const AwaySchema = z
  .strictObject({
    from: date("First day away"),
    to: date("Last day away, inclusive; defaults to `from`").optional(),
    reason: line("Why (shown in explanations)", MAX_REASON).optional(),
  })
  .describe("Time off: no shifts from `from` to `to`, both days included");

/** An agent's email, name or id in a help-desk export (ids are often numbers: 360001). */
const helpdeskAlias = z.union([
  z.string().trim().min(1).max(MAX_EMAIL),
  z.number().int().nonnegative(),
]);

export const PersonSchema = z
  .strictObject({
    id: slug("A person id"),
    name: line("Full name, as shown in the rota and calendars", MAX_NAME),
    email: z
      .string()
      .max(MAX_EMAIL)
      .regex(EMAIL)
      .optional()
      .describe("Matched against `git config user.email`; used in calendar invites"),
    team: slug("A team id").optional().describe("The person's team, e.g. engineering"),
    roles: noneWhenEmpty(z.array(role)).describe("Seat roles this person can fill besides any"),
    timezone: timeZone("The person's own time zone").optional(),
    joined: date("First day at the company").optional(),
    left: date("Last day at the company").optional(),
    weight: z
      .number()
      .positive()
      .max(100)
      .optional()
      .describe("Share of the load: 1 is a full share, 0.5 half (part-time)"),
    shifts: z
      .array(slug("A shift id"))
      .min(1)
      .optional()
      .describe("Only these shifts (default: all)"),
    away: noneWhenEmpty(z.array(AwaySchema)).describe("Time off"),
    slack: z
      .string()
      .regex(SLACK_ID)
      .optional()
      .describe("Slack member id (U…), for mentions in `rota notify` messages"),
    teams: z
      .string()
      .max(MAX_EMAIL)
      .regex(EMAIL)
      .optional()
      .describe("Microsoft Teams sign-in address (UPN), for mentions in `rota notify` messages"),
    google_chat: z
      .string()
      .regex(GOOGLE_CHAT_ID)
      .optional()
      .describe("Google Chat user id (users/123…), for mentions in `rota notify` messages"),
    mattermost: z
      .string()
      .regex(MATTERMOST_NAME)
      .optional()
      .describe("Mattermost username, for mentions in `rota notify` messages"),
    discord: z
      .string()
      .regex(DISCORD_ID)
      .optional()
      .describe("Discord user id (digits), for mentions in `rota notify` messages"),
    helpdesk: z
      .union([helpdeskAlias, z.array(helpdeskAlias).min(1).max(20)])
      .optional()
      .describe(
        "How help-desk exports name this person, when not by their email: an agent email, name or id (one or a list), for `rota report --tickets`",
      ),
  })
  .describe("A person who takes turns on support");

export const SwapSchema = z
  .strictObject({
    date: date("The local date of the shift"),
    shift: slug("A shift id"),
    out: slug("The person who gives the turn away"),
    in: slug("The person who takes it"),
    reason: line("Why (shown in the log and report)", MAX_REASON).optional(),
  })
  .describe("A recorded swap: `in` serves instead of `out` on that shift");

export const TeamRulesSchema = z
  .strictObject({
    every: period.optional(),
    roles: noneWhenEmpty(z.array(role)).describe("Roles every member of this team holds"),
    min_gap_days: z
      .int()
      .min(0)
      .max(3660)
      .optional()
      .describe("Overrides rules.min_gap_days for this team's members (0 for a support team)"),
    weight: z
      .number()
      .positive()
      .max(100)
      .optional()
      .describe("Default weight of this team's members"),
  })
  .describe("Rules for the members of one team (a person's `team`)");

export const RulesSchema = z
  .strictObject({
    min_gap_days: z
      .int()
      .min(0)
      .max(3660)
      .optional()
      .describe("Nobody serves twice within this many days (where coverage allows)"),
    every: period.optional(),
    freeze_days: z
      .int()
      .min(0)
      .max(3660)
      .optional()
      .describe(
        "Seats in the schedule this many days ahead never move to even out shares (default 14; `rota plan --rebalance` moves them too); beyond it each plan may move a few",
      ),
    plan_ahead_weeks: z
      .int()
      .min(0)
      .max(260)
      .optional()
      .describe(
        "`rota plan --check` fails when schedule.yaml is planned fewer than this many weeks ahead (default: half of horizon_weeks; 0 never fails)",
      ),
    newcomers: z
      .strictObject({
        first_shift_within_days: z
          .int()
          .min(1)
          .max(3660)
          .describe("A new joiner serves within this many days of `joined`"),
        pair_with: role.optional().describe("...on an occurrence that also has this role"),
      })
      .optional(),
  })
  .describe("Rotation rules");

const minutes = z
  .int()
  .min(0)
  .max(40320)
  .describe("Minutes before the shift starts (0 = when it starts; at most 4 weeks)");

export const CalendarSchema = z
  .strictObject({
    organizer: z
      .strictObject({
        name: line("Shown as the organizer; defaults to the team name", MAX_NAME).optional(),
        email: z
          .string()
          .max(MAX_EMAIL)
          .regex(EMAIL)
          .describe("The address invites come from and replies go to, e.g. support@example.com"),
      })
      .optional()
      .describe("The organizer of every shift in the calendars; needed for invites"),
    reminder_minutes: z
      .union([minutes, z.array(minutes).max(10)])
      .optional()
      .describe(
        "Reminders: minutes before a shift starts, one number or a list ([] for none); default 15 for timed shifts and 900 (09:00 the day before) for all-day shifts",
      ),
    busy: z
      .boolean()
      .optional()
      .describe("Whether shifts show people as busy (default true); false marks them free"),
    refresh_hours: z
      .int()
      .min(1)
      .max(168)
      .optional()
      .describe("How often calendar apps should fetch the feeds again, in hours (default 6)"),
    url: z
      .string()
      .max(MAX_URL)
      .regex(WEB_URL)
      .optional()
      .describe(
        "Where the calendars are published, e.g. https://acme.github.io/support (team.ics and people/<id>.ics below it)",
      ),
  })
  .describe("Calendar feeds and invites: `rota calendar`");
export const ChannelSchema = z
  .strictObject({
    id: slug("A channel id"),
    type: z
      .enum(CHANNEL_TYPES)
      .describe(
        "slack, teams (a Workflows webhook), google-chat, mattermost, discord (incoming webhooks), webhook (any JSON endpoint) or email (SMTP)",
      ),
    url_env: z
      .string()
      .regex(ENV_NAME)
      .describe(
        "The environment variable that holds the webhook URL (or, for email, the smtp:// or smtps:// URL): a secret, never written in the roster",
      ),
    events: z
      .array(z.enum(NOTIFY_EVENTS))
      .min(1)
      .optional()
      .describe(
        "What this channel gets: today, changes, remind, digest (and invites, for email); default all",
      ),
    from: z
      .string()
      .max(MAX_EMAIL)
      .regex(EMAIL)
      .optional()
      .describe("email: the sender address (required for email)"),
    to: z
      .array(z.string().max(MAX_EMAIL).regex(EMAIL))
      .min(1)
      .optional()
      .describe(
        "email: where messages to the whole team (today, digest) go; personal ones go to each person's email",
      ),
  })
  .describe("One place `rota notify` posts to");

export const NotifySchema = z
  .strictObject({
    channels: z.array(ChannelSchema).min(1).describe("Where messages go"),
  })
  .describe("Messages to chat and email: `rota notify` (and `rota calendar --invites --send`)");

export const NotesSchema = z
  .strictObject({
    template: line(
      "The notes template, relative to the roster and inside its repository (default: notes/TEMPLATE.md beside the roster if it exists, else rota's own)",
      MAX_URL,
    ).optional(),
  })
  .describe("Field notes written by `rota notes`");

export const RosterSchema = z
  .strictObject({
    version: z.literal(1).describe("Roster format version"),
    team: line("The company or team name", MAX_NAME),
    timezone: timeZone("The default time zone for shifts and dates"),
    horizon_weeks: z
      .int()
      .min(1)
      .max(260)
      .optional()
      .describe("How many weeks ahead `rota plan` schedules (default 12)"),
    holidays: HolidaysSchema.optional().describe(
      "Closed days: no shift occurs on them, except a shift with its own holidays",
    ),
    shifts: z.array(ShiftSchema).min(1),
    rules: RulesSchema.optional(),
    teams: z.record(slug("A team id"), TeamRulesSchema).optional(),
    people: z.array(PersonSchema).min(1),
    swaps: noneWhenEmpty(z.array(SwapSchema)),
    calendar: CalendarSchema.optional(),
    notes: NotesSchema.optional(),
    notify: NotifySchema.optional(),
  })
  .describe("rota roster: the people, shifts and rules of an all-hands support rotation");

export type RosterInput = z.input<typeof RosterSchema>;
export type Shift = z.output<typeof ShiftSchema>;
export type Person = z.output<typeof PersonSchema>;
export type Swap = z.output<typeof SwapSchema>;
export type Away = z.output<typeof AwaySchema>;
export type TeamRules = z.output<typeof TeamRulesSchema>;
export type Rules = z.output<typeof RulesSchema>;
export type Roster = z.output<typeof RosterSchema>;
export type CalendarSettings = z.output<typeof CalendarSchema>;
export type Channel = z.output<typeof ChannelSchema>;

/** The JSON Schema of roster.yaml, for editors (yaml-language-server) and `rota schema`. */
export function rosterJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RosterSchema, { target: "draft-07", io: "input" });
  return {
    $schema: schema.$schema,
    title: "rota roster",
    ...schema,
  };
}
