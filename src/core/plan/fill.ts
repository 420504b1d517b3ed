import type { Day } from "../dates.ts";
import { ANY_ROLE } from "../roster/formats.ts";
import type { Board, Slot } from "./board.ts";
import { type Member, periodOf, type Team } from "./people.ts";
import { type Entry, type EntryHeap, Queues } from "./queues.ts";
import { owedUntil } from "./quotas.ts";
import { reseat } from "./seating.ts";
import type { SeatDay, Shares } from "./shares.ts";
import type { SeatHow } from "./types.ts";

/** A candidate for a seat: the entry, the queue it came from, and what holds it back. */
interface Candidate {
  entry: Entry;
  pool: number;
  /** The queue it came from; none for a newcomer with no shift yet. */
  queue?: EntryHeap;
  /** Their occurrence within min_gap_days, when taking the seat relaxes it. */
  near?: string;
  /** How many of their occurrences are that close (0 when free). */
  conflicts: number;
}

/**
 * Fills every open seat, occurrence by occurrence in time order. From each
 * group of interchangeable people (a pool) the best candidate: whoever owes
 * a quota turn (nearest deadline first), else whoever is furthest below
 * their share. Then, across pools, the one furthest below their share of the
 * seats so far, counted seat by seat in the kinds of seat their pool shares
 * in — so a few regulars who must fill every `pro` seat do not also take the
 * seats anyone could fill while guests wait. Ties go by a stable hash.
 * min_gap_days is relaxed only when nobody eligible is free, and then for
 * whoever it is relaxed least for.
 */
export function fillSeats(
  board: Board,
  team: Team,
  shares: Shares,
  span: { today: Day; origin: Day },
  pairSeats: ReadonlyMap<string, number>,
  past: readonly SeatDay[],
  onProgress?: (done: number, total: number) => void,
): Queues {
  const today = span.today;
  const queues = new Queues(board, shares, team.pools.length, today, span.origin);
  // Each pool's share of the seats before the plan's first occurrence.
  const start = board.slots[0]?.o.day ?? today;
  for (const pool of team.pools) {
    queues.poolCredit[pool.index] = shares.poolCredit(pool.index, start);
    queues.unitCredit[pool.index] = shares.credit(pool.index, start);
  }
  for (const seatDay of past) {
    if (seatDay.day < start) continue;
    for (const role of seatDay.roles) {
      queues.accrue(shares.seatShare(seatDay.day, seatDay.shift, role), seatDay.day);
    }
  }
  const boundaries = quotaBoundaries(
    team,
    today,
    board.slots[board.slots.length - 1]?.o.day ?? today,
  );
  const pairPools = new Set(
    team.pools
      .filter((pool) => board.pairRole !== undefined && pool.roles.has(board.pairRole))
      .map((pool) => pool.index),
  );
  let next = 0;
  board.slots.forEach((slot, done) => {
    while (next < boundaries.length && (boundaries[next] as Day) <= slot.o.day) {
      queues.renewQuotas(boundaries[next] as Day);
      next++;
    }
    queues.release(slot.o.day);
    for (const role of slot.o.shift.seats) {
      queues.accrue(shares.seatShare(slot.o.day, slot.o.shift.id, role), slot.o.day);
    }
    for (const member of slot.seats) if (member) queues.count(member, slot.o.day);
    fillSlot(board, shares, queues, slot, pairSeats.get(slot.o.id), pairPools);
    if (onProgress && (done + 1) % 256 === 0) onProgress(done + 1, board.slots.length);
  });
  return queues;
}

/** The days a quota period starts within the plan, for every quota in the roster. */
function quotaBoundaries(team: Team, today: Day, last: Day): Day[] {
  // People of a group share one quota object: its text is made once per
  // object, not once per person.
  const seen = new Set<NonNullable<Member["quota"]>>();
  const specs = new Map<string, NonNullable<Member["quota"]>>();
  for (let i = 0; i < team.members.length; i++) {
    const quota = (team.members[i] as Member).quota;
    if (!quota || seen.has(quota)) continue;
    seen.add(quota);
    specs.set(`${quota.count} ${quota.unit}`, quota);
  }
  const starts = new Set<Day>();
  for (const quota of specs.values()) {
    for (let day = periodOf(quota, today).end; day <= last; day = periodOf(quota, day).end) {
      starts.add(day);
    }
  }
  return [...starts].sort((a, b) => a - b);
}

function fillSlot(
  board: Board,
  shares: Shares,
  queues: Queues,
  slot: Slot,
  pairSeat: number | undefined,
  pairPools: ReadonlySet<number>,
): void {
  const o = slot.o;
  // The pair beside a newcomer: someone with the role who is not a newcomer too.
  if (pairSeat !== undefined && !slot.seats[pairSeat] && !board.isPaired(slot)) {
    const role = o.shift.seats[pairSeat] as string;
    const pools = shares.poolsFor(o.shift.id, role).filter((pool) => pairPools.has(pool));
    const share = shares.seatShare(o.day, o.shift.id, role);
    const pick = pickFor(board, queues, slot, pairSeat, pools, true, share);
    if (pick) seat(board, queues, slot, pairSeat, pick, "pair");
  }
  // Seats for a specific role first, so `any` seats see who the pair is.
  const order = seatOrder(o.shift.seats);
  reseat(o.shift.seats, slot, o.shift.id);
  // Re-seating may open a seat of another role, so try again.
  for (let round = 0; round <= slot.seats.length; round++) {
    let filled = false;
    for (const { role, s } of order) {
      if (slot.seats[s]) continue;
      const pools = shares.poolsFor(o.shift.id, role);
      const share = shares.seatShare(o.day, o.shift.id, role);
      const pick = pickFor(board, queues, slot, s, pools, false, share);
      if (!pick) continue;
      seat(
        board,
        queues,
        slot,
        s,
        pick,
        queues.dueUntil(pick.entry.member) !== undefined ? "quota" : "share",
      );
      filled = true;
    }
    if (!reseat(o.shift.seats, slot, o.shift.id) || !slot.seats.includes(undefined)) break;
    if (!filled && round > 0) break;
  }
}

/** A shift's seats for a specific role first, then `any` seats, each in seat order. */
const seatOrders = new WeakMap<readonly string[], readonly { role: string; s: number }[]>();

function seatOrder(seats: readonly string[]): readonly { role: string; s: number }[] {
  let order = seatOrders.get(seats);
  if (!order) {
    order = seats
      .map((role, s) => ({ role, s }))
      .sort((a, b) => Number(a.role === ANY_ROLE) - Number(b.role === ANY_ROLE) || a.s - b.s);
    seatOrders.set(seats, order);
  }
  return order;
}

function seat(
  board: Board,
  queues: Queues,
  slot: Slot,
  s: number,
  pick: Candidate,
  how: SeatHow,
): void {
  const member = pick.entry.member;
  board.place(slot, s, member, how, pick.near);
  queues.count(member, slot.o.day);
}

/**
 * The person for one seat: from each eligible pool its best free candidate
 * (owers first), then the pool furthest below its share. Candidates held
 * back only by min_gap_days are the last resort.
 */
function pickFor(
  board: Board,
  queues: Queues,
  slot: Slot,
  s: number,
  pools: readonly number[],
  pair: boolean,
  share: readonly number[] | undefined,
): Candidate | undefined {
  // Entries that stand but cannot sit here, and the pools they go back to.
  const asideEntries: Entry[] = [];
  const asidePools: number[] = [];
  const free: Candidate[] = [];
  const blocked: Candidate[] = [];
  for (let p = 0; p < pools.length; p++) {
    const pool = pools[p] as number;
    // An ower stands before anyone else of the pool: the fair queue only when no ower is free.
    let queue = queues.due[pool] as EntryHeap;
    let found = bestOf(
      board,
      queues,
      queue,
      slot,
      s,
      pair,
      pool,
      asideEntries,
      asidePools,
      blocked,
    );
    if (!found) {
      queue = queues.fair[pool] as EntryHeap;
      found = bestOf(board, queues, queue, slot, s, pair, pool, asideEntries, asidePools, blocked);
    }
    if (found) free.push({ entry: found, pool, queue, conflicts: 0 });
    const newcomer = pendingNewcomer(board, queues, slot, s, pool, pair);
    if (newcomer) (newcomer.near === undefined ? free : blocked).push(newcomer);
  }
  let best: Candidate | undefined;
  const among = free.length > 0 ? free : blocked;
  for (let i = 0; i < among.length; i++) {
    const candidate = among[i] as Candidate;
    if (!best || better(queues, share, candidate, best)) best = candidate;
  }
  // Free candidates were left on top of their queues; those held back were popped.
  for (let i = 0; i < blocked.length; i++) {
    const candidate = blocked[i] as Candidate;
    if (candidate !== best && candidate.queue) {
      asideEntries.push(candidate.entry);
      asidePools.push(candidate.pool);
    }
  }
  if (best?.queue && best.near === undefined) best.queue.pop();
  for (let i = 0; i < asideEntries.length; i++) {
    queues.putBack(asidePools[i] as number, asideEntries[i] as Entry);
  }
  return best;
}

/**
 * Whether candidate `a` goes before `b`: fewer occurrences near, then a pool
 * the day's division gave part of this kind of seat, then further below
 * their share, then the queues' order.
 */
function better(
  queues: Queues,
  share: readonly number[] | undefined,
  a: Candidate,
  b: Candidate,
): boolean {
  if (a.conflicts !== b.conflicts) return a.conflicts < b.conflicts;
  // A pool the division of the day gave none of this kind of seat (the
  // regulars, for a seat anyone could fill) takes it only when nobody else can.
  const outsideA = (share?.[a.pool] ?? 0) > 1e-9 ? 0 : 1;
  const outsideB = (share?.[b.pool] ?? 0) > 1e-9 ? 0 : 1;
  if (outsideA !== outsideB) return outsideA < outsideB;
  const da = standing(queues, a);
  const db = standing(queues, b);
  if (Math.abs(da - db) > 1e-9) return da > db;
  return compareEntries(a.entry, b.entry) < 0;
}

/**
 * How far below their share a candidate is: their own deficit, but no more
 * than their pool's. A pool's members take turns at its seats, so one who
 * has not had their turn yet looks owed although the pool as a whole is
 * not; counting the pool keeps the regulars of a `pro` seat from the seats
 * anyone could fill, and counting the person lets someone far behind in a
 * pool that is not (weight 2, back from leave) go first.
 */
function standing(queues: Queues, c: Candidate): number {
  return Math.min(queues.poolDeficit(c.pool), queues.deficit(c.entry));
}

/**
 * The first newcomer with no shift yet who can sit here: in their window only
 * beside a pair, so where no pair sits (yet) only those past it are looked at.
 */
function pendingNewcomer(
  board: Board,
  queues: Queues,
  slot: Slot,
  s: number,
  pool: number,
  pair: boolean,
): Candidate | undefined {
  const pending = queues.pending[pool];
  if (!pending || pending.size === 0 || pair) return undefined;
  const paired = board.isPaired(slot, s);
  // With no pair beside the seat where one could serve, every first shift waits for one.
  if (!paired && board.pairCould(slot)) return undefined;
  let blocked: Candidate | undefined;
  const day = slot.o.day;
  for (let i = 0; i < pending.size; i++) {
    const member = pending.at(i);
    // By joining day: from one who joins after this day on, nobody here can sit.
    if (member.joined !== undefined && member.joined > day) break;
    // Left before this day, so before every seat still to fill (the fill goes
    // in time order): no longer looked at.
    if (member.left !== undefined && member.left < day) {
      pending.removeAt(i);
      i--;
      continue;
    }
    // In their window only beside a pair (as `canTake` says). Every window
    // is as long, so by joining day, from the first still in theirs on, all are.
    if (!paired && day < (board.stateOf(member).pairedBy ?? Number.POSITIVE_INFINITY)) break;
    if (!board.canTake(member, slot, s)) continue;
    const near = board.nearby(member, slot);
    const candidate = { entry: queues.entryFor(member), pool, conflicts: 0 };
    if (!near) return candidate;
    blocked ??= { ...candidate, near, conflicts: board.conflicts(member, slot) };
  }
  return blocked;
}

/** Owers by deadline, then virtual time, then the stable hash. */
function compareEntries(a: Entry, b: Entry): number {
  return a.deadline - b.deadline || a.key - b.key || a.hash - b.hash || a.index - b.index;
}

/**
 * Pops what cannot take this seat from one queue. Returns the best who can
 * (left on top of the queue). Those held back only by min_gap_days are
 * popped and added to `blocked`; entries that stand but cannot sit here are
 * popped and set aside (with their pool) to be put back.
 */
function bestOf(
  board: Board,
  queues: Queues,
  queue: EntryHeap,
  slot: Slot,
  s: number,
  pair: boolean,
  pool: number,
  asideEntries: Entry[],
  asidePools: number[],
  blocked: Candidate[],
): Entry | undefined {
  while (queue.length > 0) {
    const entry = queue.peek() as Entry;
    if (!queues.current(entry, slot.o.day)) {
      queue.pop();
      continue;
    }
    const member = entry.member;
    if (!board.canTake(member, slot, s) || (pair && !board.canPair(member))) {
      asideEntries.push(queue.pop() as Entry);
      asidePools.push(pool);
      continue;
    }
    const near = board.nearby(member, slot);
    if (near) {
      queue.pop();
      blocked.push({ entry, pool, queue, near, conflicts: board.conflicts(member, slot) });
      continue;
    }
    return entry;
  }
  return undefined;
}

/**
 * Seats left open that someone can take now the whole plan is known (a move
 * freed them, or a newcomer's first shift turned out earlier). Filled here,
 * so that planning again from this plan keeps it as it is: whoever would not
 * break min_gap_days first, then whoever owes a quota turn (nearest deadline
 * first), then whoever is furthest below their share, then the stable hash.
 * Returns how many seats it filled.
 */
export function fillOpenings(
  board: Board,
  team: Team,
  shares: Shares,
  origin: Day,
  dev: (member: Member) => number,
): number {
  let filled = 0;
  for (const slot of board.slots) {
    if (!slot.seats.includes(undefined)) continue;
    for (let s = 0; s < slot.seats.length; s++) {
      if (slot.seats[s]) continue;
      const role = slot.o.shift.seats[s] as string;
      let best: { member: Member; rank: number[] } | undefined;
      const share = shares.seatShare(slot.o.day, slot.o.shift.id, role);
      for (const pool of shares.poolsFor(slot.o.shift.id, role)) {
        const outside = (share?.[pool] ?? 0) > 1e-9 ? 0 : 1;
        for (const member of team.pools[pool]?.members ?? []) {
          if (!board.canTake(member, slot, s)) continue;
          const owes =
            owedUntil(board.stateOf(member), slot.o.day, origin) ?? Number.POSITIVE_INFINITY;
          const rank = [
            board.nearby(member, slot) ? 1 : 0,
            outside,
            owes,
            dev(member),
            member.hash,
            member.index,
          ];
          if (!best || lexLess(rank, best.rank)) best = { member, rank };
        }
      }
      if (!best) continue;
      const owes = best.rank[2] !== Number.POSITIVE_INFINITY;
      board.place(slot, s, best.member, owes ? "quota" : "share");
      filled++;
    }
    reseat(slot.o.shift.seats, slot, slot.o.shift.id);
  }
  return filled;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  }
  return false;
}

/** How many free people of one group `fillByMakingWay` weighs for a seat given up. */
const TAKERS_PER_GROUP = 32;

/** A seat filled by making way: who came to it, and whose seat at the same time they gave up. */
export interface MadeWay {
  /** The seat that was open, now theirs. */
  id: string;
  member: string;
  /** Their seat at the same time, and who took it. */
  gave: string;
  to: string;
}

/**
 * Seats `fillOpenings` left open where someone who could take one is kept
 * off only by a seat of theirs at the same time (planned now, or kept and
 * past the freeze window) that someone else free then can take: they make way, serving the open
 * seat, and the other takes theirs (coverage first: two people on, one gap
 * fewer). Never a swap's, a newcomer's, a pair's or a first shift's seat,
 * nor the only `pair_with` person's beside a first shift unless another takes it.
 * Of the ways, the one that keeps min_gap_days for both, then gives the
 * seat to whoever is furthest below their share (of the first few free in
 * each group); then the stable hash.
 * Planning again keeps it: both seats are then kept, and valid.
 */
export function fillByMakingWay(
  board: Board,
  shares: Shares,
  team: Team,
  freezeUntil: Day,
  dev: (member: Member) => number,
): MadeWay[] {
  const made: MadeWay[] = [];
  for (const slot of board.slots) {
    if (!slot.seats.includes(undefined)) continue;
    for (let s = 0; s < slot.seats.length; s++) {
      if (slot.seats[s]) continue;
      const role = slot.o.shift.seats[s] as string;
      let best:
        | { member: Member; taker: Member; gave: Slot; seat: number; rank: number[] }
        | undefined;
      for (const pool of shares.poolsFor(slot.o.shift.id, role)) {
        for (const member of team.pools[pool]?.members ?? []) {
          const clash = board.stateOf(member).book.overlapping(slot.o.start, slot.o.end);
          const gave = clash?.slot;
          if (!clash || !gave || !board.canTake(member, slot, s, clash.id)) continue;
          const seat = gave.seats.indexOf(member);
          // A kept seat in the freeze window stays as people expect it.
          if (gave.kept[seat] && gave.o.day < freezeUntil) continue;
          const how = gave.how[seat];
          if (how === "swap" || how === "newcomer" || how === "pair") continue;
          if (board.isFirstShift(member, gave)) continue;
          const gaveRole = gave.o.shift.seats[seat] as string;
          // The pair beside a newcomer's first shift makes way only for another pair.
          const pairNeeded =
            !board.isPaired(gave, seat) &&
            gave.seats.some((m) => m !== undefined && board.isFirstShift(m, gave));
          for (const takerPool of shares.poolsFor(gave.o.shift.id, gaveRole)) {
            // Of a big group, the first few free (in the stable hash's order) will do:
            // a company of thousands would otherwise be read whole for each way.
            let free = 0;
            for (const taker of team.pools[takerPool]?.members ?? []) {
              if (taker === member || !board.canTake(taker, gave, seat)) continue;
              if (pairNeeded && !board.canPair(taker)) continue;
              if (++free > TAKERS_PER_GROUP) break;
              const rank = [
                (board.nearby(member, slot, clash.id) ? 1 : 0) +
                  (board.nearby(taker, gave) ? 1 : 0),
                dev(taker),
                dev(member),
                taker.hash,
                member.hash,
                taker.index,
                member.index,
              ];
              if (!best || lexLess(rank, best.rank)) best = { member, taker, gave, seat, rank };
            }
          }
        }
      }
      if (!best) continue;
      const { member, taker, gave, seat } = best;
      board.vacate(gave, seat);
      board.place(gave, seat, taker, "share");
      board.place(slot, s, member, "share");
      reseat(gave.o.shift.seats, gave, gave.o.shift.id);
      made.push({ id: slot.o.id, member: member.id, gave: gave.o.id, to: taker.id });
    }
    reseat(slot.o.shift.seats, slot, slot.o.shift.id);
  }
  return made;
}
