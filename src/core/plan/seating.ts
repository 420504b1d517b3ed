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
  return matchHolders(roles, people, shift).map((p) => (p === undefined ? undefined : people[p]));
}

/** `matchSeats`, as the position in `people` of each seat's holder. */
function matchHolders(
  roles: readonly string[],
  people: readonly Member[],
  shift: string,
): (number | undefined)[] {
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
  for (let p = 0; p < people.length; p++) {
    let free = -1;
    for (let s = 0; s < roles.length; s++) {
      if (holder[s] === undefined && fits(p, s)) {
        free = s;
        break;
      }
    }
    if (free !== -1) holder[free] = p;
    else augment(p, new Set());
  }
  return holder;
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
  const people: Member[] = [];
  for (let s = 0; s < slot.seats.length; s++) {
    const member = slot.seats[s];
    if (member !== undefined) people.push(member);
  }
  // What is recorded about each person (at their first seat), read before any seat is rewritten.
  const how: (SeatHow | undefined)[] = [];
  const relaxed: (string | undefined)[] = [];
  const kept: boolean[] = [];
  for (let p = 0; p < people.length; p++) {
    const s = slot.seats.indexOf(people[p]);
    how.push(slot.how[s]);
    relaxed.push(slot.relaxed[s]);
    kept.push(slot.kept[s] === true);
  }
  const holder = matchHolders(roles, people, shift);
  let changed = false;
  for (let s = 0; s < holder.length; s++) {
    const p = holder[s];
    const member = p === undefined ? undefined : people[p];
    if (member !== slot.seats[s]) changed = true;
    slot.seats[s] = member;
    slot.how[s] = (p === undefined ? undefined : how[p]) ?? "open";
    slot.relaxed[s] = p === undefined ? undefined : relaxed[p];
    slot.kept[s] = p === undefined ? false : (kept[p] as boolean);
  }
  return changed;
}
