import { type Day, fromDay, mondayOf, toDay } from "../dates.ts";
import { parseIsoInstant } from "../instant.ts";
import type { Change, FairnessRow, Gap, Move, PlanWarning } from "../plan/planner.ts";
import type { ResolvedShift } from "../plan/shifts.ts";
import { plural } from "../problems.ts";
import { asServed, type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import {
  type Cell,
  type Column,
  cutList,
  cutText,
  fitColumns,
  fitTable,
  NAME_MIN,
  OneByteLines,
  oneByteWidth,
  wrapText,
} from "./fit.ts";
import { escapeMarkdown, PLAIN, type Style, visibleLength } from "./style.ts";

/** What `rota plan` shows: the rota of a window, and what the plan says about it. */
export interface RotaView {
  team: string;
  /** The roster's zone: times of shifts in it are shown without a zone. */
  zone: string;
  from: Day;
  until: Day;
  /** The schedule's occurrences, as planned: each is shown with who serves it (`asServed`). */
  entries: readonly ScheduleEntry[];
  shifts: ReadonlyMap<string, ResolvedShift>;
  names: ReadonlyMap<string, string>;
  gaps: readonly Gap[];
  warnings: readonly PlanWarning[];
  fairness: readonly FairnessRow[];
  changes: readonly Change[];
  /** The person at the terminal, whose shifts are highlighted. */
  me?: string;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Mon 23 Nov 2026` (or without the year). */
export function formatDay(day: Day, withYear = true): string {
  const date = fromDay(day);
  const weekday = WEEKDAYS[(((day + 3) % 7) + 7) % 7];
  const month = MONTHS[Number(date.slice(5, 7)) - 1];
  const dayOfMonth = Number(date.slice(8, 10));
  return `${weekday} ${dayOfMonth} ${month}${withYear ? ` ${date.slice(0, 4)}` : ""}`;
}

/** `Berlin` for Europe/Berlin, `New York` for America/New_York. */
export function zoneCity(zone: string): string {
  return (zone.split("/").pop() ?? zone).replaceAll("_", " ");
}

/** `+01:00`, `-05:00` or `Z`: the offset an ISO time ends with (`+00:00` as `Z`). */
function offsetOf(iso: string): string {
  const offset = /(?:Z|[+-]\d\d:\d\d)$/.exec(iso)?.[0] ?? "Z";
  return offset === "+00:00" || offset === "-00:00" ? "Z" : offset;
}

/** `UTC-05:00`, or `UTC`: the offset of an entry's wall times, for a reader. */
export function offsetName(iso: string): string {
  const offset = offsetOf(iso);
  return offset === "Z" ? "UTC" : `UTC${offset}`;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** A zone's offset at an instant, as offsetOf writes it (Intl writes `GMT-05:00`, `GMT`). */
function zoneOffset(ms: number, zone: string): string {
  let format = offsetFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, format);
  }
  const name = /GMT(.*)$/.exec(format.format(ms))?.[1] ?? "";
  return name === "" ? "Z" : name;
}

/**
 * Where an entry's wall times (formatSpan) are, named for a reader of times
 * in `zone`: undefined when they are in it (or all day); else its shift's
 * city; and for a shift since taken out of the roster, whose zone went with
 * it, the offset schedule.yaml recorded (`UTC-05:00`), unless `zone` had it then.
 */
export function otherZone(
  entry: ScheduleEntry,
  shift: ResolvedShift | undefined,
  zone: string,
): string | undefined {
  if (shift) return shift.zone === zone || shift.allDay ? undefined : zoneCity(shift.zone);
  const ms = parseIsoInstant(entry.start);
  if (ms === undefined || zoneOffset(ms, zone) === offsetOf(entry.start)) return undefined;
  return offsetName(entry.start);
}

/** `09:00–17:00`, `22:00–06:00 (+1)`, `all day`: the wall times in the entry's own offset. */
export function formatSpan(entry: ScheduleEntry, shift: ResolvedShift | undefined): string {
  if (shift?.allDay) return "all day";
  const start = entry.start.slice(11, 16);
  const end = entry.end.slice(11, 16);
  const nextDay = entry.end.slice(0, 10) > entry.start.slice(0, 10) ? " (+1)" : "";
  return `${start}–${end}${nextDay}`;
}

/**
 * The people on an occurrence (and its open seats), as a cell that shortens
 * each name, longest first, before it leaves anyone out: "Alexandr…, Grace
 * Hopper, 1 open (pro)". The open seats and the "you" marker stay whole.
 * Where nothing is cut (no width), the cell is its text alone.
 */
function peopleCell(
  view: RotaView,
  entry: ScheduleEntry,
  style: Style,
  mine: boolean,
  cuttable: boolean,
): Cell {
  const people = entry.people;
  const paint = (name: string, i: number) =>
    people[i] === view.me ? style.inverse(style.bold(name)) : name;
  const open = entry.open ?? 0;
  const roles = open > 0 ? openRoles(view, entry) : "";
  const openText = open > 0 ? style.red(`${open} open${roles ? ` (${roles})` : ""}`) : "";
  const you = mine ? style.cyan("  ◀ you") : "";
  const join = (list: string) =>
    `${list}${list && openText ? ", " : ""}${openText}${list || openText ? "" : style.red("nobody")}${you}`;
  let list = "";
  for (let i = 0; i < people.length; i++) {
    const id = people[i] as string;
    if (i > 0) list += ", ";
    list += paint(view.names.get(id) ?? id, i);
  }
  if (!cuttable) return join(list);
  const names = people.map((id) => view.names.get(id) ?? id);
  return {
    text: join(list),
    cut: (width) => {
      const fixed = visibleLength(join("x")) - 1;
      return join(cutList(names, Math.max(0, width - fixed), { paint }));
    },
  };
}

function openRoles(view: RotaView, entry: ScheduleEntry): string {
  const roles = view.gaps.filter((gap) => gap.id === entry.id).map((gap) => gap.role);
  return roles.join(", ");
}

/** The occurrences of the window, each with the people who serve it, as `rota who` shows them. */
function entriesInView(view: RotaView): ScheduleEntry[] {
  const shown: ScheduleEntry[] = [];
  for (const entry of view.entries) {
    const day = toDay(entry.date);
    if (day >= view.from && day < view.until) shown.push(asServed(entry));
  }
  return shown;
}

export interface RotaTextOptions {
  /** The terminal's width: tables and prose fit it (see `fitTable`); no limit when absent. */
  width?: number | undefined;
}

/**
 * The rota as a week-by-week table, then fairness, gaps and warnings, fit to
 * the terminal's width: where a week is too wide, shift names, the zone after
 * a time and then each person's name are shortened; where the fairness table
 * is, names are, then the team and the weight are left out.
 */
export function renderRotaText(
  view: RotaView,
  style: Style = PLAIN,
  options: RotaTextOptions = {},
): string {
  return renderRotaTextParts(view, style, options).join("");
}

/**
 * `renderRotaText` in two parts, which make its text one after the other:
 * the weeks, then fairness, gaps and warnings. Each week's times hold an en
 * dash, which makes a string two bytes a character in memory; the fairness
 * table, a line for each person, is most often plain text, and kept apart it
 * stays half the size and is escaped and encoded for the screen faster.
 */
export function renderRotaTextParts(
  view: RotaView,
  style: Style = PLAIN,
  options: RotaTextOptions = {},
): [string, string] {
  const width = options.width;
  const out: string[] = [];
  const entries = entriesInView(view);
  out.push(
    style.bold(
      `${view.team} support rota, ${formatDay(view.from)} to ${formatDay(view.until - 1)}`,
    ),
  );
  out.push(style.dim(`Times are local to each shift; ${zoneCity(view.zone)} unless noted.`));
  const byWeek = entriesByWeek(entries);
  if (entries.length === 0) out.push("", "No shifts in this window.");
  // Without a width nothing is cut: cells are their text alone.
  const cuttable = width !== undefined;
  // Each shift's zone city, where it differs from the roster's: named once, not on each line.
  const cities = new Map<string, string | undefined>();
  const cityOf = (shift: ResolvedShift): string | undefined => {
    if (shift.zone === view.zone || shift.allDay) return undefined;
    let city = cities.get(shift.zone);
    if (city === undefined) {
      city = zoneCity(shift.zone);
      cities.set(shift.zone, city);
    }
    return city;
  };
  for (const [week, weekEntries] of byWeek) {
    out.push("", style.bold(`Week of ${formatDay(week)}`));
    const rows: Cell[][] = [];
    let lastDate = "";
    for (const entry of weekEntries) {
      const shift = view.shifts.get(entry.shift);
      const mine = view.me !== undefined && entry.people.includes(view.me);
      const span = formatSpan(entry, shift);
      const zone = shift ? cityOf(shift) : otherZone(entry, shift, view.zone);
      rows.push([
        entry.date === lastDate ? "" : formatDay(toDay(entry.date), false),
        shift?.name ?? entry.shift,
        zone === undefined
          ? span
          : !cuttable
            ? `${span} ${zone}`
            : {
                text: `${span} ${zone}`,
                // The time stays whole; the zone's city is shortened, or left out.
                cut: (room) =>
                  room >= span.length + 5
                    ? `${span} ${cutText(zone, room - span.length - 1)}`
                    : span,
              },
        peopleCell(view, entry, style, mine, cuttable),
      ]);
      lastDate = entry.date;
    }
    pushAll(
      out,
      fitTable(rows, [{}, { min: 10 }, { min: 16 }, { min: 24 }], { width, indent: "  " }),
    );
  }
  const rest = [""];
  pushAll(rest, renderFairnessText(view, style, width));
  if (view.gaps.length > 0) {
    rest.push("", style.red(style.bold(`Gaps (${view.gaps.length})`)));
    for (const gap of view.gaps) {
      rest.push(...wrapText(`${gap.id}  ${gap.role} seat: ${gap.reason}`, width, "  ", "    "));
    }
  }
  if (view.warnings.length > 0) {
    rest.push("", style.yellow(style.bold(`Warnings (${view.warnings.length})`)));
    for (const warning of view.warnings)
      rest.push(...wrapText(warning.message, width, "  ", "    "));
  }
  return [`${out.join("\n")}\n`, `${rest.join("\n")}\n`];
}

/**
 * Entries by the Monday of their week, each in the order of the day it is
 * shown on (its local date), then as given (the schedule's: by start). A
 * shift in a zone ahead of the roster's starts the evening before its date:
 * Sydney's Saturday before Berlin's Friday night, which is shown first.
 */
function entriesByWeek(entries: readonly ScheduleEntry[]): Map<Day, ScheduleEntry[]> {
  const byWeek = new Map<Day, ScheduleEntry[]>();
  for (const entry of byShownDate(entries)) {
    const week = mondayOf(toDay(entry.date));
    const list = byWeek.get(week);
    if (list) list.push(entry);
    else byWeek.set(week, [entry]);
  }
  return byWeek;
}

/** Entries sorted by date, keeping the order given within a date (the sort is stable). */
function byShownDate(entries: readonly ScheduleEntry[]): readonly ScheduleEntry[] {
  let sorted = true;
  for (let i = 1; sorted && i < entries.length; i++) {
    sorted = (entries[i - 1] as ScheduleEntry).date <= (entries[i] as ScheduleEntry).date;
  }
  if (sorted) return entries;
  return [...entries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Appends `items` one by one: a table of 50,000 lines is too many to spread as arguments. */
function pushAll(out: string[], items: readonly string[]): void {
  for (let i = 0; i < items.length; i++) out.push(items[i] as string);
}

const FAIRNESS_HEADINGS = ["Person", "Team", "Weight", "Shifts", "Share", "Before"];
const FAIRNESS_COLUMNS: Column[] = [
  { min: NAME_MIN },
  { min: 8, drop: 1 },
  { right: true, drop: 2 },
  { right: true },
  { right: true },
  { right: true },
];

function renderFairnessText(view: RotaView, style: Style, width: number | undefined): string[] {
  const out = [style.bold("Fairness")];
  for (const line of wrapText(
    "Shifts planned in this window against each person's fair share (each day's seats divided as evenly as roles, shift lists, availability, weights and min_gap_days allow); Before: shifts served before this window.",
    width,
    "  ",
  )) {
    out.push(style.dim(line));
  }
  const table = fairnessTableText(view, style, width);
  if (table !== undefined) out.push(table);
  else pushAll(out, fairnessTableLines(view, style, width));
  return out;
}

/**
 * The fairness table's lines as one text, when every cell is one-byte text
 * (see `OneByteLines`) and the table fits `width` whole: in two passes over
 * the rows, with no list of cells for each person. Undefined otherwise, for
 * `fairnessTableLines`, which makes the same lines.
 */
function fairnessTableText(
  view: RotaView,
  style: Style,
  width: number | undefined,
): string | undefined {
  const { fairness, me } = view;
  const header = FAIRNESS_HEADINGS.map((heading) => style.dim(heading));
  const headerWidths = header.map(oneByteWidth);
  if (headerWidths.some((each) => each < 0)) return undefined;
  // The widest cell of each column; each name's and team's width on screen
  // (the figures are digits, as wide as they are long); each share as shown.
  const natural = [...headerWidths];
  const nameWidths = new Int32Array(fairness.length);
  const teamWidths = new Int32Array(fairness.length);
  const shares = new Array<string>(fairness.length);
  for (let r = 0; r < fairness.length; r++) {
    const row = fairness[r] as FairnessRow;
    const name = oneByteWidth(row.id === me ? style.bold(row.name) : row.name);
    const team = oneByteWidth(row.team ?? "");
    if (name < 0 || team < 0) return undefined;
    nameWidths[r] = name;
    teamWidths[r] = team;
    const share = row.expected.toFixed(1);
    shares[r] = share;
    if (name > (natural[0] as number)) natural[0] = name;
    if (team > (natural[1] as number)) natural[1] = team;
    const weight = formatNumber(row.weight).length;
    if (weight > (natural[2] as number)) natural[2] = weight;
    const shifts = String(row.shifts).length;
    if (shifts > (natural[3] as number)) natural[3] = shifts;
    if (share.length > (natural[4] as number)) natural[4] = share.length;
    const served = String(row.served).length;
    if (served > (natural[5] as number)) natural[5] = served;
  }
  const indent = "  ";
  const gap = "  ";
  let total = gap.length * (natural.length - 1);
  for (const each of natural) total += each;
  if (width !== undefined && total > width - indent.length) return undefined;
  const [person, team, weight, shifts, share, before] = natural as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const lines = new OneByteLines(indent, gap, (fairness.length + 1) * (total + indent.length + 1));
  lines.line();
  header.forEach((cell, i) => {
    const right = FAIRNESS_COLUMNS[i]?.right === true;
    lines.cell(cell, headerWidths[i] as number, natural[i] as number, right, i === 5, i === 0);
  });
  lines.finish();
  for (let r = 0; r < fairness.length; r++) {
    const row = fairness[r] as FairnessRow;
    lines.line();
    lines.cell(
      row.id === me ? style.bold(row.name) : row.name,
      nameWidths[r] as number,
      person,
      false,
      false,
      true,
    );
    lines.cell(row.team ?? "", teamWidths[r] as number, team, false, false, false);
    // Figures: right-aligned, digits as wide as they are long.
    const weightText = formatNumber(row.weight);
    lines.cell(weightText, weightText.length, weight, true, false, false);
    const shiftsText = String(row.shifts);
    lines.cell(shiftsText, shiftsText.length, shifts, true, false, false);
    const shareText = shares[r] as string;
    lines.cell(shareText, shareText.length, share, true, false, false);
    const beforeText = String(row.served);
    lines.cell(beforeText, beforeText.length, before, true, true, false);
    lines.finish();
  }
  return lines.text();
}

/** The fairness table's lines through `fitColumns`: any text, narrowed to fit `width`. */
function fairnessTableLines(view: RotaView, style: Style, width: number | undefined): string[] {
  const { fairness } = view;
  // Column by column, the header first: a list for each of the six columns,
  // not a list of six cells for each of 50,000 people.
  const rowCount = fairness.length + 1;
  const [person, team, weight, shifts, share, before] = FAIRNESS_HEADINGS.map(
    () => new Array<string>(rowCount),
  ) as [string[], string[], string[], string[], string[], string[]];
  const columns = [person, team, weight, shifts, share, before];
  FAIRNESS_HEADINGS.forEach((heading, i) => {
    (columns[i] as string[])[0] = style.dim(heading);
  });
  for (let i = 0; i < fairness.length; i++) {
    const row = fairness[i] as FairnessRow;
    person[i + 1] = row.id === view.me ? style.bold(row.name) : row.name;
    team[i + 1] = row.team ?? "";
    weight[i + 1] = formatNumber(row.weight);
    shifts[i + 1] = String(row.shifts);
    share[i + 1] = row.expected.toFixed(1);
    before[i + 1] = String(row.served);
  }
  return fitColumns(columns, FAIRNESS_COLUMNS, { width, indent: "  " });
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** Changes against the previous schedule, one line each. */
export function renderChangesText(
  changes: readonly Change[],
  names: ReadonlyMap<string, string>,
): string[] {
  const who = (ids: string[] | null) =>
    ids === null
      ? "(none)"
      : ids.length === 0
        ? "nobody"
        : ids.map((id) => names.get(id) ?? id).join(", ");
  return changes.map((change) => {
    const because = change.reasons.length > 0 ? ` (${change.reasons.join("; ")})` : "";
    if (change.before === null) return `+ ${change.id}: ${who(change.after)}`;
    if (change.after === null) return `- ${change.id}: ${who(change.before)} removed${because}`;
    // The same people at other hours: the reasons say which.
    if (change.before.join() === change.after.join())
      return `~ ${change.id}: ${who(change.after)}${because}`;
    return `~ ${change.id}: ${who(change.before)} → ${who(change.after)}${because}`;
  });
}

/** What kept seats past the freeze window moved for, in the order of `MoveKind`. */
const MOVED_FOR: Record<Move["kind"], (takers: string) => string> = {
  share: (takers) =>
    `moved past the freeze window to even out shares, to ${takers}: each taken from whoever stands highest against their share of those who could give it`,
  quota: (takers) => `moved past the freeze window for a turn owed in a quota period, to ${takers}`,
  gap: (takers) => `moved past the freeze window so min_gap_days holds, to ${takers}`,
  trade: (takers) =>
    `traded past the freeze window so people added since the last plan or catching up to their share serve in the weeks ahead, not day after day at the plan's end, to ${takers}: each seat's holder serves their new day instead`,
  relay: (takers) =>
    `handed on past the freeze window, to ${takers}: someone catching up takes a seat, and its holder takes another's from someone further above their share`,
};

/**
 * The kept seats a plan moved, one line for each reason they moved for (the
 * changes list each move with its own).
 */
export function renderMovesText(
  moves: readonly Move[],
  names: ReadonlyMap<string, string>,
): string[] {
  const lines: string[] = [];
  for (const kind of Object.keys(MOVED_FOR) as Move["kind"][]) {
    const these = moves.filter((move) => move.kind === kind);
    if (these.length === 0) continue;
    const takers = [...new Set(these.map((move) => move.to))].map((id) => names.get(id) ?? id);
    lines.push(`${plural(these.length, "kept seat")} ${MOVED_FOR[kind](takers.join(", "))}`);
  }
  return lines;
}

/** The rota as markdown, for a pull-request comment or a job summary. */
export function renderRotaMarkdown(view: RotaView): string {
  const out: string[] = [];
  const md = escapeMarkdown;
  out.push(
    `## ${md(view.team)} support rota, ${formatDay(view.from)} to ${formatDay(view.until - 1)}`,
  );
  const modified = view.changes.filter((change) => change.before !== null);
  const added = view.changes.length - modified.length;
  if (modified.length > 0) {
    out.push("", `### Changes (${modified.length})`, "");
    for (const line of renderChangesText(modified, view.names)) {
      out.push(`- \`${line.slice(0, 1)}\` ${md(line.slice(2))}`);
    }
  }
  if (added > 0) out.push("", `${added} new occurrence${added === 1 ? "" : "s"} planned.`);
  if (view.gaps.length > 0) {
    out.push("", `### Gaps (${view.gaps.length})`, "");
    for (const gap of view.gaps)
      out.push(`- **${md(gap.id)}**, ${md(gap.role)} seat: ${md(gap.reason)}`);
  }
  if (view.warnings.length > 0) {
    out.push("", `### Warnings (${view.warnings.length})`, "");
    for (const warning of view.warnings) out.push(`- ${md(warning.message)}`);
  }
  const entries = entriesInView(view);
  const byWeek = entriesByWeek(entries);
  for (const [week, weekEntries] of byWeek) {
    out.push(
      "",
      `### Week of ${formatDay(week)}`,
      "",
      "| Day | Shift | Time | People |",
      "| --- | --- | --- | --- |",
    );
    for (const entry of weekEntries) {
      const shift = view.shifts.get(entry.shift);
      const other = otherZone(entry, shift, view.zone);
      const zone = other === undefined ? "" : ` ${other}`;
      const people = entry.people.map((id) => md(view.names.get(id) ?? id));
      if (entry.open) people.push(`**${entry.open} open**`);
      out.push(
        `| ${formatDay(toDay(entry.date), false)} | ${md(shift?.name ?? entry.shift)} | ${formatSpan(entry, shift)}${md(zone)} | ${people.join(", ") || "**nobody**"} |`,
      );
    }
  }
  out.push(
    "",
    "### Fairness",
    "",
    "| Person | Team | Weight | Shifts | Fair share | Before |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  );
  for (const row of view.fairness) {
    out.push(
      `| ${md(row.name)} | ${md(row.team ?? "")} | ${formatNumber(row.weight)} | ${row.shifts} | ${row.expected.toFixed(1)} | ${row.served} |`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** The shape scripts read (`rota plan --json`): stable. */
export function rotaJson(view: RotaView): {
  shifts: OccurrenceJson[];
  gaps: Gap[];
  warnings: PlanWarning[];
} {
  return {
    shifts: entriesInView(view).map(occurrenceJson),
    gaps: [...view.gaps],
    warnings: [...view.warnings],
  };
}

/**
 * An occurrence in `plan --json`, `who --json` and notify's webhooks: its id,
 * date, shift, times and the people who serve it (`servedBy`).
 */
export type OccurrenceJson = Pick<
  ScheduleEntry,
  "id" | "date" | "shift" | "start" | "end" | "people"
>;

/** One occurrence as the JSON contract has it: with whoever served it, where a cover says. */
export function occurrenceJson(entry: ScheduleEntry): OccurrenceJson {
  return {
    id: entry.id,
    date: entry.date,
    shift: entry.shift,
    start: entry.start,
    end: entry.end,
    people: [...servedBy(entry)],
  };
}
