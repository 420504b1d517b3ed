import { toDay } from "../dates.ts";
import type { Roster } from "../roster/model.ts";
import { standingSwaps } from "../roster/swaps.ts";
import { type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { parseIsoInstant } from "../time.ts";
import { unavailableFor } from "./board.ts";
import { describeAbsence, whyNotEligible } from "./explain.ts";
import { resolveTeam } from "./people.ts";
import { occurrenceOn, resolveShift } from "./shifts.ts";

/**
 * Why `coverer` cannot be recorded as having served `entry` in `absent`'s
 * seat, in the words `swap` and `explain` use; undefined when the cover is
 * possible. A cover is for an occurrence that has started: the plan is not
 * changed, only who served. `entries` are the schedule's, for clashes.
 */
export function whyCannotCover(
  roster: Roster,
  entries: readonly ScheduleEntry[],
  entry: ScheduleEntry,
  absent: string,
  coverer: string,
  now: number,
): string | undefined {
  const start = parseIsoInstant(entry.start) ?? Number.NaN;
  if (!(start <= now)) {
    return `${entry.id} has not started yet (it starts ${entry.start}): record a swap instead, \`rota swap ${entry.id} ${absent} ${coverer}\``;
  }
  const served = servedBy(entry);
  const seat = served.indexOf(absent);
  if (seat === -1) {
    return `${absent} did not serve ${entry.id} (served by: ${served.length > 0 ? served.join(", ") : "nobody"})`;
  }
  if (served.includes(coverer)) return `${coverer} already served ${entry.id}`;
  // The roster's swaps of it apply in order: one that swapped someone back settles nothing here.
  const standing = standingSwaps(
    (roster.swaps ?? []).filter((s) => `${s.date}/${s.shift}` === entry.id),
  );
  if (standing.out.has(absent) || standing.in.has(coverer)) {
    return `a swap or cover for ${entry.id} with ${absent} or ${coverer} is already in the roster; edit \`swaps:\` there`;
  }
  const shift = roster.shifts.find((s) => s.id === entry.shift);
  const member = resolveTeam(roster).byId.get(coverer);
  if (!shift || !member) return undefined;
  const o = occurrenceOn(resolveShift(shift, roster.timezone), toDay(entry.date));
  const role = o.shift.seats[seat];
  const ineligible = whyNotEligible(member, o, role);
  if (ineligible) return `${coverer} ${ineligible}`;
  const absence = unavailableFor(member, o);
  if (absence) return `${coverer} ${describeAbsence(absence)}`;
  const end = parseIsoInstant(entry.end) ?? start;
  const clash = entries.find(
    (e) =>
      e.id !== entry.id &&
      servedBy(e).includes(coverer) &&
      (parseIsoInstant(e.start) ?? 0) < end &&
      start < (parseIsoInstant(e.end) ?? 0),
  );
  if (clash) return `${coverer} is on ${clash.id} at the same time`;
  return undefined;
}
