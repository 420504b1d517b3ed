import { canFill, type Member } from "./people.ts";
import type { SeatHow } from "./types.ts";

/**
 * Maximum matching of people to seats by role. Each person first takes the
 * first free seat they can fill, in order, so that an unchanged entry keeps
 * its seat order; only when none is free does a seat change hands
 * (augmenting path) to seat everyone who can be seated.
 */
export function matchSeats(
  roles: readonly string[],
  people: readonly Member[],
  shift: string,
): (Member | undefined)[] {
  const holder: (number | undefined)[] = roles.map(() => undefined);
  const fits = (p: number, s: number) => canFill(people[p] as Member, shift, roles[s] as string);
  const augment = (p: number, seen: Set<number>): boolean => {
    for (let s = 0; s < roles.length; s++) {
      if (seen.has(s) || !fits(p, s)) continue;
      seen.add(s);
      const current = holder[s];
      if (current === undefined || augment(current, seen)) {
        holder[s] = p;
        return true;
      }
    }
    return false;
  };
  people.forEach((_, p) => {
    const free = roles.findIndex((_, s) => holder[s] === undefined && fits(p, s));
    if (free !== -1) holder[free] = p;
    else augment(p, new Set());
  });
  return holder.map((p) => (p === undefined ? undefined : people[p]));
}

/** The seats of an occurrence: people, and what is recorded about each. */
export interface Seats {
  seats: (Member | undefined)[];
  how: SeatHow[];
  relaxed: (string | undefined)[];
  kept: boolean[];
}

/**
 * Re-seats the people of an occurrence the way matchSeats would from their
 * seat order, keeping what is recorded about each. Run after every change,
 * it makes the arrangement the one a replan reproduces, so that replanning
 * the same inputs changes nothing. Returns whether any seat changed.
 */
export function reseat(roles: readonly string[], slot: Seats, shift: string): boolean {
  const people = slot.seats.filter((m): m is Member => m !== undefined);
  const record = new Map(
    people.map((m) => {
      const s = slot.seats.indexOf(m);
      return [
        m,
        { how: slot.how[s] as SeatHow, relaxed: slot.relaxed[s], kept: slot.kept[s] === true },
      ];
    }),
  );
  const next = matchSeats(roles, people, shift);
  let changed = false;
  next.forEach((member, s) => {
    if (member !== slot.seats[s]) changed = true;
    slot.seats[s] = member;
    const kept = member ? record.get(member) : undefined;
    slot.how[s] = kept?.how ?? "open";
    slot.relaxed[s] = kept?.relaxed;
    slot.kept[s] = kept?.kept ?? false;
  });
  return changed;
}
