import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { toDay, weekday } from "../core/dates.ts";
import { ClosedDays } from "../core/plan/holidays.ts";
import { type Explanation, planRota } from "../core/plan/planner.ts";
import { resolveShift } from "../core/plan/shifts.ts";
import { formatDay, formatSpan, offsetName, zoneCity } from "../core/render/rota.ts";
import { columns } from "../core/render/style.ts";
import { isRealDate } from "../core/roster/formats.ts";
import type { ScheduleEntry } from "../core/schedule/schedule.ts";
import { didYouMean } from "../core/suggest.ts";
import { InputError, UsageError } from "../errors.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";
import { paint } from "../io/terminal.ts";

export interface ExplainOptions {
  json?: boolean;
}

/** `rota explain <occurrence>`: why these people, who else could have served, and why not. */
export async function runExplain(
  ctx: Context,
  id: string,
  options: ExplainOptions,
): Promise<number> {
  const { roster, now } = await loadRoster(ctx);
  const scheduleFile = await readScheduleFile(ctx);
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  const plan = planRota({ roster, previous: scheduleFile.schedule, now, explain: id });
  const explanation = plan.explanation;
  if (!explanation) {
    const ids = plan.schedule.entries.map((e) => e.id);
    throw new UsageError(whyNotFound(id, roster, ids));
  }
  const entry = plan.schedule.entries.find((e) => e.id === id);
  if (options.json) {
    ctx.out(`${toJson(explanationJson(explanation))}\n`);
    return 0;
  }
  const c = paint(ctx.color.stdout);
  const shift = roster.shifts.find((s) => s.id === entry?.shift);
  const resolved = shift ? resolveShift(shift, roster.timezone) : undefined;
  const names = new Map(roster.people.map((p) => [p.id, p.name]));
  const nameOf = (person: string) => names.get(person) ?? person;
  const lines: string[] = [];
  const when = entry
    ? `${formatDay(toDay(entry.date))}, ${formatSpan(entry, resolved)}${resolved ? (resolved.allDay ? "" : ` ${zoneCity(resolved.zone)}`) : ` ${offsetName(entry.start)}`}`
    : "";
  // A shift since taken out of the roster has no name left: its id says which.
  const shiftName = resolved?.name ?? `${entry?.shift ?? id} (no longer in the roster)`;
  lines.push(c.bold(`${id}: ${shiftName}, ${when}`));
  if (explanation.past) {
    lines.push("", "This occurrence has started: it is recorded as served and never rewritten.");
  }
  const unrecorded = notYetRecorded(scheduleFile, id, entry?.people ?? []);
  if (unrecorded) lines.push("", c.yellow(unrecorded));
  lines.push("", c.bold("Seats"));
  lines.push(
    ...columns(
      explanation.seats.map((seat) => {
        const label = `  ${seat.role || "seat"}`;
        if (seat.servedBy !== undefined && seat.person !== undefined) {
          const why = seat.coverReason ? ` (${seat.coverReason})` : "";
          const planned = nameOf(seat.person);
          return [
            label,
            nameOf(seat.servedBy),
            `served, covering for ${planned}${why}; ${planned} was planned: ${seat.reason}`,
          ];
        }
        return [
          label,
          seat.person ? nameOf(seat.person) : c.red("open"),
          explanation.past ? `served; ${seat.reason}` : seat.reason,
        ];
      }),
    ),
  );
  if (!explanation.past) {
    lines.push(
      "",
      c.dim(
        "A seat is kept while it is valid. An open one goes to an eligible, available person: whoever owes a quota turn first (nearest deadline), then whoever is furthest below their fair share — their part of each day's seats, divided as evenly as roles, shift lists, availability, weights and min_gap_days allow, counting history; ties go by a stable hash, never by name. Seats beyond the freeze window move to someone more than a shift and a half below their share of the days past it, until they are within half a shift of it; the standings below count the whole plan.",
      ),
    );
    const candidates = explanation.people
      .filter((p) => p.status === "candidate")
      .sort(
        (a, b) =>
          Number(!!b.quotaDue) - Number(!!a.quotaDue) || (b.deficit ?? 0) - (a.deficit ?? 0),
      );
    lines.push("", c.bold(`Also eligible (${candidates.length}), most owed first`));
    lines.push(
      ...(candidates.length > 0
        ? columns(
            candidates.map((p) => [`  ${p.name}`, standingText(p.deficit ?? 0), p.quotaDue ?? ""]),
          )
        : ["  nobody"]),
    );
    const excluded = explanation.people.filter((p) => p.status === "excluded");
    lines.push("", c.bold(`Excluded (${excluded.length})`));
    lines.push(
      ...(excluded.length > 0
        ? columns(excluded.map((p) => [`  ${p.name}`, p.reason]))
        : ["  nobody"]),
    );
  }
  ctx.out(`${lines.join("\n")}\n`);
  return 0;
}

/**
 * Where the plan explained is not what schedule.yaml holds for the
 * occurrence (no schedule yet, the occurrence not planned in it, or other
 * people there): a line saying the explanation is of the plan `rota plan`
 * would write now. Undefined where the two agree.
 */
function notYetRecorded(
  scheduleFile: { file: string; exists: boolean; schedule?: { entries: readonly ScheduleEntry[] } },
  id: string,
  people: readonly string[],
): string | undefined {
  const { file } = scheduleFile;
  const run = "this is what `rota plan` would plan now; run it to record the rota";
  if (!scheduleFile.exists) {
    return `${file} does not exist yet: ${run}.`;
  }
  const recorded = scheduleFile.schedule?.entries.find((entry) => entry.id === id);
  if (!recorded) {
    return `${file} does not plan this occurrence yet: ${run}.`;
  }
  const same =
    recorded.people.length === people.length &&
    recorded.people.every((person, seat) => person === people[seat]);
  if (same) return undefined;
  return `${file} lists other people here (the roster changed since): ${run}.`;
}

/**
 * The explanation as `--json` prints it: each deficit to 2 decimals, as every
 * other output shows shares, so that a script reads 0.5, not 0.5000000000000036
 * (the sum of a plan's fractional shares), and never -0.
 */
function explanationJson(explanation: Explanation): Explanation {
  return {
    ...explanation,
    people: explanation.people.map((person) =>
      person.deficit === undefined ? person : { ...person, deficit: hundredths(person.deficit) },
    ),
  };
}

/**
 * A deficit to 2 decimals, rounded the same way above and below the share
 * (half away from zero: -0.375 is -0.38, as the text's "0.38 above"), never -0.
 */
function hundredths(deficit: number): number {
  return Math.sign(deficit) * Number(Math.abs(deficit).toFixed(2)) + 0;
}

/** "0.82 below their share", "at their share", "0.18 above their share". */
function standingText(deficit: number): string {
  const shown = hundredths(deficit);
  if (shown === 0) return "at their share";
  return `${Math.abs(shown).toFixed(2)} ${shown > 0 ? "below" : "above"} their share`;
}

function whyNotFound(
  id: string,
  roster: import("../core/roster/model.ts").Roster,
  ids: readonly string[],
): string {
  const match = /^(\d{4}-\d{2}-\d{2})\/(.+)$/.exec(id);
  if (!match || !isRealDate(match[1] as string)) {
    // A typo (2026-12-0l/emea): the occurrence meant, if one is close.
    const suggestion = didYouMean(id, ids);
    if (suggestion) return `${id} is not in the schedule${suggestion}`;
    return `"${id}" is not an occurrence id; use <date>/<shift>, e.g. 2026-12-03/${roster.shifts[0]?.id ?? "emea"}`;
  }
  const [, date, shiftId] = match as unknown as [string, string, string];
  const shift = roster.shifts.find((s) => s.id === shiftId);
  if (!shift) {
    return `unknown shift "${shiftId}"${didYouMean(
      shiftId,
      roster.shifts.map((s) => s.id),
    )}`;
  }
  const day = toDay(date);
  if (!shift.days.includes(weekday(day))) return `shift ${shiftId} does not run on ${date}`;
  const closed = new ClosedDays(roster).reason(day, shiftId);
  if (closed) return `shift ${shiftId} does not run on ${date}: ${closed}`;
  return `${id} is not in the schedule: it is outside the planned window`;
}

export type { Explanation };
