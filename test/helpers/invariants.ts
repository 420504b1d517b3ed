import { toDay } from "../../src/core/dates.ts";
import { ClosedDays } from "../../src/core/plan/holidays.ts";
import { absenceOn, canFill, resolveTeam } from "../../src/core/plan/people.ts";
import type { PlanResult } from "../../src/core/plan/planner.ts";
import { resolveShift } from "../../src/core/plan/shifts.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import { dayOf } from "../../src/core/time.ts";

/**
 * Checks a plan against the rules of "fair and stable" that hold for every
 * plan, independently of how the planner works. Returns what is violated.
 */
export function violations(roster: Roster, plan: PlanResult, now: number): string[] {
  const found: string[] = [];
  const team = resolveTeam(roster);
  const shifts = new Map(roster.shifts.map((s) => [s.id, resolveShift(s, roster.timezone)]));
  const closed = new ClosedDays(roster);
  const gapsById = new Map<string, number>();
  for (const gap of plan.gaps) gapsById.set(gap.id, (gapsById.get(gap.id) ?? 0) + 1);
  const future = plan.schedule.entries.filter((e) => Date.parse(e.start) >= now);
  // An occurrence is one line of the schedule, past or planned.
  const seen = new Set<string>();
  for (const entry of plan.schedule.entries) {
    if (seen.has(entry.id)) found.push(`${entry.id}: listed twice`);
    seen.add(entry.id);
  }
  const byPerson = new Map<string, { start: number; end: number; day: number; id: string }[]>();

  for (const entry of future) {
    const shift = shifts.get(entry.shift);
    if (!shift) {
      found.push(`${entry.id}: unknown shift`);
      continue;
    }
    const day = toDay(entry.date);
    if (closed.reason(day, entry.shift)) found.push(`${entry.id}: planned on a closed day`);
    // Coverage: every seat filled, or listed as a gap.
    const open = shift.seats.length - entry.people.length;
    if ((entry.open ?? 0) !== open)
      found.push(`${entry.id}: open ${entry.open} but ${open} seats empty`);
    if ((gapsById.get(entry.id) ?? 0) !== open)
      found.push(`${entry.id}: ${open} empty seats, gaps say ${gapsById.get(entry.id) ?? 0}`);
    if (new Set(entry.people).size !== entry.people.length)
      found.push(`${entry.id}: someone twice`);
    // Roles: the people can be seated (a matching exists).
    const members = entry.people.map((id) => team.byId.get(id));
    if (members.some((m) => !m)) found.push(`${entry.id}: unknown person`);
    if (
      !seatable(
        shift.seats,
        members.filter((m) => m !== undefined),
        entry.shift,
      )
    ) {
      found.push(`${entry.id}: people cannot fill the seats' roles`);
    }
    const start = Date.parse(entry.start);
    const end = Date.parse(entry.end);
    const lastDay = dayOf(end - 1, shift.zone);
    for (const member of members) {
      if (!member) continue;
      // Availability: away (inclusive), before joining, after leaving.
      for (const d of new Set([day, lastDay])) {
        const absence = absenceOn(member, d);
        if (absence) found.push(`${entry.id}: ${member.id} is ${absence.kind}`);
      }
      if (member.shifts && !member.shifts.has(entry.shift)) {
        found.push(`${entry.id}: ${member.id} does not take ${entry.shift}`);
      }
      const list = byPerson.get(member.id) ?? [];
      list.push({ start, end, day, id: entry.id });
      byPerson.set(member.id, list);
    }
  }
  // Never on two overlapping shifts, across zones too (past entries count as well).
  for (const entry of plan.schedule.entries.filter((e) => Date.parse(e.start) < now)) {
    for (const id of entry.people) {
      const list = byPerson.get(id);
      if (list)
        list.push({
          start: Date.parse(entry.start),
          end: Date.parse(entry.end),
          day: toDay(entry.date),
          id: entry.id,
        });
    }
  }
  // min_gap_days holds for every seat this plan chose, unless it says it relaxed it.
  const choiceOf = (occurrence: string, person: string) =>
    plan.choices.get(occurrence)?.find((choice) => choice.person === person);
  for (const [id, list] of byPerson) {
    list.sort((a, b) => a.start - b.start);
    const member = team.byId.get(id);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as (typeof list)[number];
      const b = list[i] as (typeof list)[number];
      if (b.start < a.end) found.push(`${id}: ${a.id} and ${b.id} overlap`);
      if (!member || member.gapDays === 0 || Math.abs(b.day - a.day) >= member.gapDays) continue;
      const choices = [choiceOf(a.id, id), choiceOf(b.id, id)];
      if (choices.some((choice) => choice?.relaxed !== undefined)) continue;
      if (choices.some((c) => c?.how === "share" || c?.how === "quota" || c?.how === "moved")) {
        found.push(`${id}: ${a.id} and ${b.id} within min_gap_days ${member.gapDays}, not relaxed`);
      }
    }
  }
  return found;
}

function seatable(
  roles: readonly string[],
  people: { roles: ReadonlySet<string>; shifts?: ReadonlySet<string> }[],
  shift: string,
): boolean {
  const holder: (number | undefined)[] = roles.map(() => undefined);
  const augment = (p: number, seen: Set<number>): boolean => {
    for (let s = 0; s < roles.length; s++) {
      if (seen.has(s) || !canFill(people[p] as never, shift, roles[s] as string)) continue;
      seen.add(s);
      const current = holder[s];
      if (current === undefined || augment(current, seen)) {
        holder[s] = p;
        return true;
      }
    }
    return false;
  };
  return people.every((_, p) => augment(p, new Set()));
}

/** How many shifts each person has among entries on days [from, until). */
export function counts(plan: PlanResult, from?: number, until?: number): Map<string, number> {
  const result = new Map<string, number>();
  for (const entry of plan.schedule.entries) {
    const day = toDay(entry.date);
    if ((from !== undefined && day < from) || (until !== undefined && day >= until)) continue;
    for (const id of entry.people) result.set(id, (result.get(id) ?? 0) + 1);
  }
  return result;
}
