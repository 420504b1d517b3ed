import { isRealDate } from "../roster/formats.ts";
import { type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { didYouMean } from "../suggest.ts";
import { parseIsoInstant } from "../time.ts";

export type NotesShift =
  | {
      ok: true;
      entry: ScheduleEntry /** Whether the person served it (covers count) in the schedule. */;
      onIt: boolean;
    }
  | { ok: false; message: string };

/**
 * The shift occurrence a person writes notes for: the one named (`--shift`),
 * or else their most recent one that has started by `now` (one in progress
 * counts). A named one must have started; whether the person worked it is
 * returned, not judged (a colleague may have covered).
 */
export function findNotesShift(
  entries: readonly ScheduleEntry[],
  person: string,
  now: number,
  occurrence?: string,
): NotesShift {
  if (occurrence !== undefined) {
    const entry = entries.find((e) => e.id === occurrence);
    if (!entry) {
      // A typo (2026-12-0l/emea, 2026-12-01/emae): the occurrence meant, if
      // one is close. A real day without the shift gets no guess.
      const [date = "", shift = ""] = occurrence.split("/");
      const typo = !isRealDate(date) || !entries.some((e) => e.shift === shift);
      const suggestion = typo
        ? didYouMean(
            occurrence,
            entries.map((e) => e.id),
          )
        : "";
      return {
        ok: false,
        message: suggestion
          ? `${occurrence} is not in the schedule${suggestion}`
          : `${occurrence} is not in the schedule: use an occurrence id such as ${entries[0]?.id ?? "2026-11-23/emea"} (see \`rota plan\`)`,
      };
    }
    if ((parseIsoInstant(entry.start) ?? 0) > now) {
      return {
        ok: false,
        message: `${occurrence} has not started yet (it starts ${entry.start}); notes are written after a shift`,
      };
    }
    return { ok: true, entry, onIt: servedBy(entry).includes(person) };
  }
  let best: ScheduleEntry | undefined;
  let bestStart = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    if (!servedBy(entry).includes(person)) continue;
    const start = parseIsoInstant(entry.start) ?? Number.NaN;
    if (!(start <= now)) continue;
    if (start > bestStart || (start === bestStart && best !== undefined && entry.id > best.id)) {
      best = entry;
      bestStart = start;
    }
  }
  if (!best) {
    return {
      ok: false,
      message: `${person} has no shift in the schedule that has started: pass --shift <occurrence> (and --force for a shift you covered without a recorded swap)`,
    };
  }
  return { ok: true, entry: best, onIt: true };
}
