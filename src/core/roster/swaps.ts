/**
 * Swaps on one occurrence apply in the order the roster lists them: each
 * puts `in` where `out` is at that point, after the swaps above it. So a
 * swap back (ada → grace, then grace → ada) leaves ada on the shift, and a
 * chain (ada → grace, grace → linus) leaves linus on it.
 */

/** The fields of a swap these functions read (a roster's swaps, or a raw one's). */
export interface SwapLike {
  date: string;
  shift: string;
  out: string;
  in: string;
}

/** The occurrence a swap is for: `<date>/<shift>`. */
export function swapOccurrence(swap: SwapLike): string {
  return `${swap.date}/${swap.shift}`;
}

/** The swaps of each occurrence, in the order the roster lists them. */
export function swapsByOccurrence<S extends SwapLike>(swaps: readonly S[]): Map<string, S[]> {
  const byOccurrence = new Map<string, S[]>();
  for (const swap of swaps) {
    const id = swapOccurrence(swap);
    const list = byOccurrence.get(id);
    if (list) list.push(swap);
    else byOccurrence.set(id, [swap]);
  }
  return byOccurrence;
}

/**
 * Where one occurrence's swaps leave each person they name: `out` maps those
 * swapped out of it (and not back onto it since) to the swap that took them
 * out; `in` maps those swapped onto it (and not off it since) to the swap
 * that put them there.
 */
export function standingSwaps<S extends SwapLike>(
  swaps: readonly S[],
): { out: Map<string, S>; in: Map<string, S> } {
  const out = new Map<string, S>();
  const on = new Map<string, S>();
  for (const swap of swaps) {
    on.delete(swap.out);
    out.set(swap.out, swap);
    out.delete(swap.in);
    on.set(swap.in, swap);
  }
  return { out, in: on };
}

/**
 * Who holds the seat a swap gave `in`, after the swaps listed after it: a
 * later swap of that person passes the seat on. `index` is the swap's place
 * in `swaps`, one occurrence's swaps in order.
 */
export function seatHolderAfter(swaps: readonly SwapLike[], index: number): string | undefined {
  let holder = swaps[index]?.in;
  for (let i = index + 1; i < swaps.length; i++) {
    if (swaps[i]?.out === holder) holder = swaps[i]?.in;
  }
  return holder;
}

/**
 * One seat's swaps taken together: the seat went from `chain[0]` through the
 * others in `chain` to `swap.in`, and `swap` is the last of them (its `out`
 * handed the seat on). A swap back makes `swap.in` one of `chain`.
 */
export interface SeatSwaps<S extends SwapLike> {
  swap: S;
  chain: string[];
  /** The seat's first swap: its `out` is `chain[0]`, who held the seat before any of them. */
  first: S;
}

/**
 * One occurrence's swaps (in order) as seats: each swap of someone a swap put
 * there continues that seat's chain, so the plan can apply the result once,
 * whether it holds the first person, one in between, or the last already.
 */
export function seatSwaps<S extends SwapLike>(swaps: readonly S[]): SeatSwaps<S>[] {
  const seats: SeatSwaps<S>[] = [];
  for (const swap of swaps) {
    const seat = seats.find((s) => s.swap.in === swap.out);
    if (!seat) {
      seats.push({ swap, chain: [swap.out], first: swap });
      continue;
    }
    if (!seat.chain.includes(swap.out)) seat.chain.push(swap.out);
    seat.swap = swap;
  }
  return seats;
}

/** A swap that gives away a seat its `out` does not hold. */
export interface SwapOffShift<S extends SwapLike> {
  swap: S;
  /** Who is on the occurrence: `on it: …`. */
  people: readonly string[];
}

/**
 * The swaps whose `out` is not on their occurrence: nobody of the seat's
 * chain, and not the `in` of its last swap, is among `peopleOn(occurrence)`
 * (the people schedule.yaml has on it, swaps already applied), so the swap
 * gives away a turn its `out` never had. Occurrences `peopleOn` does not know
 * (not planned yet, or started) are skipped. Of a chain, its first swap is
 * named: the others take the seat from the person it put there.
 */
export function swapsOffShift<S extends SwapLike>(
  swaps: readonly S[],
  peopleOn: (occurrence: string) => readonly string[] | undefined,
): SwapOffShift<S>[] {
  const found: SwapOffShift<S>[] = [];
  for (const [occurrence, list] of swapsByOccurrence(swaps)) {
    const people = peopleOn(occurrence);
    if (people === undefined) continue;
    for (const seat of seatSwaps(list)) {
      if (!people.includes(seat.swap.in) && !seat.chain.some((id) => people.includes(id)))
        found.push({ swap: seat.first, people });
    }
  }
  return found;
}

/**
 * The swaps whose `in` is already on their occurrence beside the seat's
 * holder: someone of the seat's chain is still among `peopleOn(occurrence)`,
 * so the swap would put `in` in a second seat of it (`rota swap` refuses
 * it). Such a swap does nothing; its seat's holder stays. Occurrences
 * `peopleOn` does not know are skipped. Named is the swap whose `in` it is.
 */
export function swapsOntoShift<S extends SwapLike>(
  swaps: readonly S[],
  peopleOn: (occurrence: string) => readonly string[] | undefined,
): (SwapOffShift<S> & { first: S })[] {
  const found: (SwapOffShift<S> & { first: S })[] = [];
  for (const [occurrence, list] of swapsByOccurrence(swaps)) {
    const people = peopleOn(occurrence);
    if (people === undefined) continue;
    for (const seat of seatSwaps(list)) {
      const holder = seat.chain.some((id) => id !== seat.swap.in && people.includes(id));
      if (holder && people.includes(seat.swap.in))
        found.push({ swap: seat.swap, people, first: seat.first });
    }
  }
  return found;
}

/**
 * The swaps schedule.yaml does not show applied: someone of the seat's chain
 * is among `peopleOn(occurrence)` and the `in` of its last swap is not, so
 * the next plan puts them there, if it can. Named is the seat's last swap
 * (the one whose `in` would serve). Occurrences `peopleOn` does not know are
 * skipped.
 */
export function swapsNotApplied<S extends SwapLike>(
  swaps: readonly S[],
  peopleOn: (occurrence: string) => readonly string[] | undefined,
): S[] {
  const found: S[] = [];
  for (const [occurrence, list] of swapsByOccurrence(swaps)) {
    const people = peopleOn(occurrence);
    if (people === undefined) continue;
    for (const seat of seatSwaps(list)) {
      if (!people.includes(seat.swap.in) && seat.chain.some((id) => people.includes(id)))
        found.push(seat.swap);
    }
  }
  return found;
}

/** What to say of a swap whose `in` is already on its occurrence. */
export function ontoShiftMessage(onto: SwapOffShift<SwapLike>): string {
  const { swap, people } = onto;
  return `${swap.in} is already on ${swapOccurrence(swap)} (on it: ${people.join(", ")}): the swap from ${swap.out} does nothing; fix its in or remove it`;
}

/** What to say of a swap whose `out` is not on its occurrence. */
export function offShiftMessage(off: SwapOffShift<SwapLike>): string {
  const { swap, people } = off;
  const on = people.length > 0 ? people.join(", ") : "nobody";
  return `${swap.out} is not on ${swapOccurrence(swap)} (on it: ${on}): the swap to ${swap.in} does nothing; fix its out or remove it`;
}
