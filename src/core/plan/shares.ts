import type { Day } from "../dates.ts";
import { FlowNetwork } from "./flow.ts";
import { canFill, type Member, type Pool, someAvailableInterval, type Team } from "./people.ts";

/**
 * The seats of one occurrence: its shift and each seat's role, and when it
 * runs (epoch milliseconds), where known: nobody sits on two occurrences that
 * overlap, which bounds what a few people can take on a day.
 */
export interface SeatDay {
  day: Day;
  shift: string;
  roles: readonly string[];
  start?: number;
  end?: number;
  /**
   * The local day it ends on, where that is later than `day` (it runs past
   * midnight): someone away on that day cannot take it (`availableFor`).
   */
  lastDay?: Day;
}

/** One kind of seat on one day: how many, and the pools (by position) that can fill it. */
export interface SeatKind {
  shift: string;
  role?: string;
  count: number;
  pools: number[];
}

const EPSILON = 1e-9;

/**
 * Divides one day's seats among pools of interchangeable people as evenly as
 * eligibility allows: the largest-minimum ("water-filling") division, where
 * each pool's load per unit of weight is its level. Returns the level of each
 * pool (0 for a pool with no weight or no seat it can fill).
 *
 * First, seats that cannot be filled at all (more seats of a shift than
 * people who could take them: nobody sits twice on one occurrence) are set
 * aside. Then, from the bottom: the lowest level is the smallest ratio of
 * "seats only this set of pools touches" to "the set's weight" over every set
 * of pools — such a set can get no more, so its pools sit at that level and
 * take those seats whole — and the rest is divided the same way. The smallest
 * ratio is found by Dinkelbach's iteration over minimum cuts.
 *
 * Also returns, for each kind, how one of its seats is shared among the
 * pools (`perSeat[k][g]`): the planner credits each pool that much as it
 * reaches each seat, so a pool is owed seats only of the kinds it shares in.
 */
export function divideDay(
  weights: readonly number[],
  people: readonly number[],
  kinds: readonly SeatKind[],
  caps: readonly number[] = [],
): { levels: number[]; perSeat: number[][] } {
  const levels = weights.map(() => 0);
  const counts = fillableCounts(people, kinds);
  // Kinds with the same pools are one kind from here on.
  const merged = new Map<string, { count: number; pools: number[] }>();
  const mergedOf: (string | undefined)[] = [];
  kinds.forEach((kind, k) => {
    const count = counts[k] as number;
    const pools = kind.pools.filter((g) => (weights[g] as number) > 0);
    if (count <= EPSILON || pools.length === 0) return;
    const key = pools.join(",");
    mergedOf[k] = key;
    const existing = merged.get(key);
    if (existing) existing.count += count;
    else merged.set(key, { count, pools });
  });
  const seats = [...merged.values()];
  // Every pool rises from nothing; the caps are min_gap_days' (nobody serves
  // more than once per so many days) and the overlaps'.
  const active = [...new Set(seats.flatMap((kind) => kind.pools))].sort((a, b) => a - b);
  fillLevels(weights, active, new Map(), seats, caps, levels);
  const split = splitSeats(weights, levels, merged);
  const perSeat = kinds.map((kind, k) => {
    const key = mergedOf[k];
    const shares = weights.map(() => 0);
    if (key === undefined || kind.count === 0) return shares;
    const total = (merged.get(key) as { count: number }).count;
    const fill = (counts[k] as number) / kind.count;
    (split.get(key) as number[]).forEach((amount, g) => {
      shares[g] = (fill * amount) / total;
    });
    return shares;
  });
  return { levels, perSeat };
}

/**
 * Progressive filling: raises the levels of the `rising` pools together; a
 * pool stops at the level where its seats run out (a bottleneck set) or
 * where its cap binds, while the pools in `fixed` keep the seats given.
 * Sets each stopped pool's level in `levels`.
 */
function fillLevels(
  weights: readonly number[],
  rising: readonly number[],
  fixed: Map<number, number>,
  seats: readonly { count: number; pools: number[] }[],
  caps: readonly number[],
  levels: number[],
): void {
  let active = rising;
  while (active.length > 0) {
    const { set, level } = lowestLevel(weights, active, fixed, seats);
    let capped: number | undefined;
    let capLevel = level;
    for (const g of active) {
      const bound = (caps[g] ?? Number.POSITIVE_INFINITY) / (weights[g] as number);
      if (bound < capLevel - EPSILON) {
        capLevel = bound;
        capped = g;
      }
    }
    const done = capped !== undefined ? [capped] : set;
    for (const g of done) {
      const at = capped !== undefined ? capLevel : level;
      levels[g] = at;
      fixed.set(g, at * (weights[g] as number));
    }
    active = active.filter((g) => !done.includes(g));
  }
}

/**
 * Which pool takes how much of each (merged) kind, given the levels: a flow
 * from the kinds' seats to the pools, each pool taking level × weight.
 */
function splitSeats(
  weights: readonly number[],
  levels: readonly number[],
  merged: ReadonlyMap<string, { count: number; pools: number[] }>,
): Map<string, number[]> {
  const kinds = [...merged];
  const network = new FlowNetwork(2 + kinds.length + weights.length);
  const edges: [string, number, number][] = [];
  kinds.forEach(([key, kind], k) => {
    network.addEdge(0, 2 + k, kind.count);
    for (const g of kind.pools) {
      const edge = network.addEdge(2 + k, 2 + kinds.length + g, Number.POSITIVE_INFINITY);
      edges.push([key, g, edge]);
    }
  });
  weights.forEach((weight, g) => {
    const load = (levels[g] as number) * weight;
    if (load > 0) network.addEdge(2 + kinds.length + g, 1, load);
  });
  network.maxFlow(0, 1);
  const split = new Map(kinds.map(([key]) => [key, weights.map(() => 0)]));
  for (const [key, g, edge] of edges) (split.get(key) as number[])[g] = network.flowOn(edge);
  return split;
}

/**
 * The seats a division left to nobody although someone can fill them, owed
 * all the same: where min_gap_days stopped every pool that can take a seat
 * (two regulars alone on the `pro` seat of every day, with a gap of three
 * days), the seat is still filled, by someone the gap then binds less, and
 * it counts in their share rather than in nobody's. Given the pools' loads
 * (seats) from the division, returns the level each pool rises by to take
 * what is left, divided again as evenly as weights allow up to `hard` (what
 * each pool's people can take at all: overlapping occurrences and one seat
 * of each); undefined where nothing fillable was left.
 */
export function leftoverLevels(
  weights: readonly number[],
  people: readonly number[],
  kinds: readonly SeatKind[],
  loads: readonly number[],
  hard: readonly number[],
): number[] | undefined {
  const counts = fillableCounts(people, kinds);
  let left = 0;
  for (const count of counts) left += count;
  for (const load of loads) left -= load;
  if (left <= EPSILON) return undefined;
  // Each pool's seats from the division stand as a pool of their own (index
  // + size), stopped where they are and taking the kinds their pool takes:
  // the pools then rise from there, and a maximum flow (not one way of
  // seating the division) says which seats are left.
  const size = weights.length;
  const fixed = new Map<number, number>();
  loads.forEach((load, g) => {
    if (load > EPSILON) fixed.set(size + g, load);
  });
  const seats: { count: number; pools: number[] }[] = [];
  kinds.forEach((kind, k) => {
    const count = counts[k] as number;
    const pools = kind.pools.filter((g) => (weights[g] as number) > 0);
    if (count <= EPSILON || pools.length === 0) return;
    const standing = pools.filter((g) => fixed.has(size + g)).map((g) => size + g);
    seats.push({ count, pools: [...pools, ...standing] });
  });
  const room = hard.map((most, g) => Math.max(0, most - (loads[g] ?? 0)));
  const rising = [...new Set(seats.flatMap((kind) => kind.pools))]
    .filter((g) => g < size && (room[g] as number) > EPSILON)
    .sort((a, b) => a - b);
  const levels = weights.map(() => 0);
  fillLevels([...weights, ...weights.map(() => 0)], rising, fixed, seats, room, levels);
  return levels.some((level) => level > EPSILON) ? levels : undefined;
}

/** How many seats of each kind can be filled at all, by a maximum flow. */
function fillableCounts(people: readonly number[], kinds: readonly SeatKind[]): number[] {
  const wanted = new Map<string, number>();
  for (const kind of kinds) wanted.set(kind.shift, (wanted.get(kind.shift) ?? 0) + kind.count);
  // Enough when each kind alone has people for every seat of its shift (Hall's
  // condition then holds for any set of kinds); otherwise a flow decides.
  const enough = kinds.every((kind) => {
    let available = 0;
    for (const g of kind.pools) available += people[g] as number;
    return available >= (wanted.get(kind.shift) as number);
  });
  if (enough) return kinds.map((kind) => kind.count);
  // source → kind (its seats) → (pool, shift) → sink (the pool's people on that shift).
  const slots = new Map<string, number>();
  let nodes = 2 + kinds.length;
  const slotOf = (g: number, shift: string) => {
    const key = `${g}\u0000${shift}`;
    let node = slots.get(key);
    if (node === undefined) {
      node = nodes++;
      slots.set(key, node);
    }
    return node;
  };
  const edges: [number, number, number][] = [];
  const kindEdges: number[] = [];
  kinds.forEach((kind, k) => {
    for (const g of kind.pools)
      edges.push([2 + k, slotOf(g, kind.shift), Number.POSITIVE_INFINITY]);
  });
  const network = new FlowNetwork(nodes);
  kinds.forEach((kind, k) => {
    kindEdges.push(network.addEdge(0, 2 + k, kind.count));
  });
  for (const [from, to, cap] of edges) network.addEdge(from, to, cap);
  for (const [key, node] of slots) {
    const g = Number(key.slice(0, key.indexOf("\u0000")));
    network.addEdge(node, 1, people[g] as number);
  }
  network.maxFlow(0, 1);
  return kindEdges.map((edge) => network.flowOn(edge));
}

/**
 * The set of still-rising pools at the lowest level, and the level, with the
 * pools already stopped taking their fixed loads: Dinkelbach's iteration on
 * min over S (rising) and T (stopped) of c(N(S ∪ T)) − L(T) − λ·w(S), each a
 * minimum cut in source → pool (λ·weight, or the fixed load) → seat kind (∞)
 * → sink (seats).
 */
function lowestLevel(
  weights: readonly number[],
  active: readonly number[],
  fixed: ReadonlyMap<number, number>,
  seats: readonly { count: number; pools: number[] }[],
): { set: number[]; level: number } {
  const ratio = (rising: readonly number[], stopped: readonly number[]) => {
    const inSet = new Set([...rising, ...stopped]);
    let count = 0;
    for (const kind of seats) if (kind.pools.some((g) => inSet.has(g))) count += kind.count;
    for (const g of stopped) count -= fixed.get(g) ?? 0;
    let weight = 0;
    for (const g of rising) weight += weights[g] as number;
    return { count, weight, level: Math.max(0, count) / weight };
  };
  let set = [...active];
  let level = ratio(set, [...fixed.keys()]).level;
  for (let round = 0; round < 64; round++) {
    const cut = minimumCut(weights, active, fixed, seats, level);
    if (cut.rising.length === 0) break;
    const r = ratio(cut.rising, cut.stopped);
    const value = r.count - level * r.weight;
    if (value < -EPSILON * Math.max(1, Math.abs(r.count))) {
      set = cut.rising;
      level = r.level;
      continue;
    }
    // No set does better: the largest set at this level sits there together.
    if (Math.abs(value) <= EPSILON * Math.max(1, Math.abs(r.count))) set = cut.rising;
    break;
  }
  return { set, level };
}

/** The pools on the source side of the maximal minimum cut, rising and stopped. */
function minimumCut(
  weights: readonly number[],
  active: readonly number[],
  fixed: ReadonlyMap<number, number>,
  seats: readonly { count: number; pools: number[] }[],
  level: number,
): { rising: number[]; stopped: number[] } {
  const pools = [...active, ...fixed.keys()];
  const position = new Map(pools.map((g, i) => [g, i]));
  const network = new FlowNetwork(2 + pools.length + seats.length);
  pools.forEach((g, i) => {
    const demand = fixed.has(g) ? (fixed.get(g) as number) : level * (weights[g] as number);
    network.addEdge(0, 2 + i, demand);
  });
  seats.forEach((kind, k) => {
    const node = 2 + pools.length + k;
    for (const g of kind.pools) {
      const i = position.get(g);
      if (i !== undefined) network.addEdge(2 + i, node, Number.POSITIVE_INFINITY);
    }
    network.addEdge(node, 1, kind.count);
  });
  network.maxFlow(0, 1);
  const reach = network.reachesSink(1);
  const source = (g: number) => !reach[2 + (position.get(g) as number)];
  return { rising: active.filter(source), stopped: [...fixed.keys()].filter(source) };
}

/**
 * Fair shares. Each day's seats are divided among the people available that
 * day as evenly as roles, shift lists, weights and min_gap_days allow
 * (`divideDay`, with `GapCaps` for the last); a
 * person's share is their weight times their pool's level, summed over the
 * days they are available. Days away, or before joining, earn nothing and
 * owe nothing, so nobody is "caught up" after time off. Where everyone can
 * fill every seat, a day's share is simply seats × weight / total weight.
 */
export class Shares {
  /** Per pool: cumulative level, cum[i] = Σ level over [origin, origin + i). */
  private readonly cumLevel: Float64Array[];
  /**
   * Per member index: the cumulative level of their part of the pool, the
   * pool's own where its people are owed alike. A pool whose people differ in
   * weight or min_gap_days is divided part by part on the days where what one
   * person can take binds it (see `divideByPart`): there a heavier person
   * is owed no more than they can take, and the rest goes to the others.
   */
  private readonly memberLevel: Float64Array[];
  /** `memberLevel` with the seats left to nobody taken by those who can fill them (see `owed`). */
  private readonly owedLevel: Float64Array[];
  /** Per pool: cumulative load (level × available weight): the pool's seats so far. */
  private readonly cumLoad: Float64Array[];
  private readonly poolsBySeat = new Map<string, number[]>();
  private readonly seatKeys = new Map<string, Map<string, string>>();
  /** Per pool: the weight of its members available on each day (index from the origin). */
  private readonly weight: Float64Array[];
  /** Per day (index from the origin): how one seat of each kind is shared among the pools. */
  private readonly perSeat: (Map<string, readonly number[]> | undefined)[];
  /**
   * Per pool, the days (index from the origin) on which every seat its people
   * can fill runs past midnight, marked 1 (see `nightsOnlyOf`); undefined
   * where no seat does. See `offFrom`.
   */
  private readonly nightsOnly: Uint8Array[] | undefined;

  /**
   * @param countedFrom people whose share starts later than their
   * availability says (added to a roster whose schedule already had a past),
   * by member index.
   */
  constructor(
    private readonly team: Team,
    seatDays: readonly SeatDay[],
    readonly origin: Day,
    readonly end: Day,
    private readonly countedFrom: ReadonlyMap<number, Day> = new Map(),
  ) {
    const span = Math.max(0, end - origin);
    const pools = team.pools;
    const byDay = new Map<number, SeatDay[]>();
    for (const seatDay of seatDays) {
      const i = seatDay.day - origin;
      if (i < 0 || i >= span) continue;
      const list = byDay.get(i);
      if (list) list.push(seatDay);
      else byDay.set(i, [seatDay]);
    }
    this.nightsOnly = this.nightsOnlyOf(byDay, span);
    const weight = pools.map(() => new Float64Array(span + 1));
    const people = pools.map(() => new Float64Array(span + 1));
    // Available people per pool and min_gap_days (0: no gap), for the caps.
    const byGap = pools.map(() => new Map<number, Float64Array>());
    // Parts of pools: people of one pool with one weight and min_gap_days.
    const parts = new Parts(team);
    const partPeople = parts.list.map(() => new Float64Array(span + 1));
    // The intervals visited in order, with no list of them made per person,
    // by one visitor made once: it adds to the arrays of the person at hand.
    let w = weight[0] as Float64Array;
    let n = people[0] as Float64Array;
    let g: Float64Array = new Float64Array(0);
    let p: Float64Array = new Float64Array(0);
    let personWeight = 0;
    const visit = (from: Day, until: Day) => {
      w[from - origin] = (w[from - origin] ?? 0) + personWeight;
      w[until - origin] = (w[until - origin] ?? 0) - personWeight;
      n[from - origin] = (n[from - origin] ?? 0) + 1;
      n[until - origin] = (n[until - origin] ?? 0) - 1;
      g[from - origin] = (g[from - origin] ?? 0) + 1;
      g[until - origin] = (g[until - origin] ?? 0) - 1;
      p[from - origin] = (p[from - origin] ?? 0) + 1;
      p[until - origin] = (p[until - origin] ?? 0) - 1;
      return false;
    };
    let pool = 0;
    const awayFrom = (day: Day) => this.offFrom(pool, day);
    for (let i = 0; i < team.members.length; i++) {
      const member = team.members[i] as Member;
      w = weight[member.pool] as Float64Array;
      n = people[member.pool] as Float64Array;
      p = partPeople[parts.of[member.index] as number] as Float64Array;
      const gaps = byGap[member.pool] as Map<number, Float64Array>;
      let gap = gaps.get(member.gapDays);
      if (!gap) {
        gap = new Float64Array(span + 1);
        gaps.set(member.gapDays, gap);
      }
      g = gap;
      personWeight = member.weight;
      pool = member.pool;
      someAvailableInterval(member, this.countedStart(member, origin), end, visit, awayFrom);
    }
    const rate = byGap.flatMap((gaps) => [...gaps.values()]);
    for (const list of [...weight, ...people, ...rate, ...partPeople]) {
      for (let i = 1; i <= span; i++) list[i] = (list[i] ?? 0) + (list[i - 1] ?? 0);
    }
    const kindsByDay = new Map([...byDay].map(([i, list]) => [i, this.kindsOf(list)] as const));
    const caps = new GapCaps(span, byGap, kindsByDay);
    const level = pools.map(() => new Float64Array(span));
    // Per pool: its seats each day (level × weight, or the parts' sum).
    const load = pools.map(() => new Float64Array(span));
    // Per part of a pool with several: its level each day (its pool's where unbound).
    const partLevel = parts.list.map(() => new Float64Array(span));
    const cache = new Map<string, { levels: number[]; perSeat: number[][] }>();
    const partCache = new Map<string, ReturnType<typeof divideByPart>>();
    // Per pool, its rise on each day with seats left to nobody (see `leftoverLevels`).
    let rise: Float64Array[] | undefined;
    const leftCache = new Map<string, number[] | null>();
    // Per day, looked up by position: asked for every seat the fill and the repair weigh.
    const perSeat = new Array<Map<string, readonly number[]> | undefined>(span).fill(undefined);
    for (const i of byDay.keys()) {
      const w = pools.map((pool) =>
        Math.max(0, round((weight[pool.index] as Float64Array)[i] ?? 0)),
      );
      const n = pools.map((pool) =>
        Math.max(0, Math.round((people[pool.index] as Float64Array)[i] ?? 0)),
      );
      const kinds = kindsByDay.get(i) as SeatKind[];
      const apart = mostApart(byDay.get(i) as SeatDay[], kinds, pools.length);
      const cap = pools.map((pool) => {
        const most = apart[pool.index];
        const gapCap = caps.on(pool.index, i);
        return round(
          most === undefined ? gapCap : Math.min(gapCap, (n[pool.index] as number) * most),
        );
      });
      const key = `${w.join(",")}|${n.join(",")}|${cap.join(",")}|${kinds.map((k) => `${k.shift}:${k.count}:${k.pools.join(".")}`).join(";")}`;
      let divided = cache.get(key);
      if (!divided) {
        divided = divideDay(w, n, kinds, cap);
        cache.set(key, divided);
      }
      // Each part's people available this day, where some pool has parts.
      const counts =
        parts.mixed.length === 0
          ? []
          : parts.list.map((_, c) =>
              Math.max(0, Math.round((partPeople[c] as Float64Array)[i] ?? 0)),
            );
      // Pools of several parts where one part's people would be owed more
      // than one person can take (the pool's level times their weight).
      const bound = parts.mixed.filter((pool) => {
        const level = divided.levels[pool] as number;
        if (!(level > 0)) return false;
        const most = apart[pool] ?? Number.POSITIVE_INFINITY;
        return (parts.byPool[pool] as number[]).some((c) => {
          const part = parts.list[c] as Part;
          if ((counts[c] as number) <= 0) return false;
          const one = Math.min(most, caps.forPeople(pool, i, part.gapDays, 1));
          return Number.isFinite(one) && level * part.weight > one * (1 + 1e-9) + EPSILON;
        });
      });
      let byPart: ReturnType<typeof divideByPart> | undefined;
      let partKey = "";
      if (bound.length > 0) {
        const partCaps = parts.list.map((part, c) => {
          const most = apart[part.pool];
          const gapCap = caps.forPeople(part.pool, i, part.gapDays, counts[c] as number);
          return round(
            most === undefined ? gapCap : Math.min(gapCap, (counts[c] as number) * most),
          );
        });
        partKey = `${counts.join(",")}|${partCaps.join(",")}`;
        const fullKey = `${key}|${partKey}`;
        byPart = partCache.get(fullKey);
        if (!byPart) {
          byPart = divideByPart(parts, bound, counts, partCaps, kinds);
          partCache.set(fullKey, byPart);
        }
      }
      const levels = byPart?.levels ?? divided.levels;
      let seated = 0;
      levels.forEach((value, g) => {
        (level[g] as Float64Array)[i] = value;
        const seats = byPart?.loads[g] ?? value * ((weight[g] as Float64Array)[i] ?? 0);
        (load[g] as Float64Array)[i] = seats;
        seated += seats;
      });
      // Seats left to nobody: owed to whoever the gap binds less, in the shares shown.
      let seats = 0;
      for (const kind of kinds) seats += kind.count;
      if (seated < seats - 1e-6) {
        const leftKey = `${key}|${partKey}`;
        let left = leftCache.get(leftKey);
        if (left === undefined) {
          const loads = pools.map((pool) => (load[pool.index] as Float64Array)[i] ?? 0);
          const hard = pools.map((pool) => {
            const most = apart[pool.index];
            return most === undefined ? Number.POSITIVE_INFINITY : (n[pool.index] as number) * most;
          });
          left = leftoverLevels(w, n, kinds, loads, hard) ?? null;
          leftCache.set(leftKey, left);
        }
        if (left) {
          rise ??= pools.map(() => new Float64Array(span));
          for (let g = 0; g < left.length; g++) (rise[g] as Float64Array)[i] = left[g] as number;
        }
      }
      for (const pool of parts.mixed) {
        for (const c of parts.byPool[pool] as number[]) {
          (partLevel[c] as Float64Array)[i] = byPart?.partLevels[c] ?? (levels[pool] as number);
        }
      }
      const shares = byPart?.perSeat ?? divided.perSeat;
      perSeat[i] = new Map(
        kinds.map((kind, k) => [
          this.seatKey(kind.shift, kind.role ?? "undefined"),
          shares[k] as number[],
        ]),
      );
    }
    this.perSeat = perSeat;
    this.weight = weight;
    this.cumLoad = load.map((values) => cumulate(values));
    // Each person's cumulative level: their part's, where their pool has
    // several, else their pool's (`rise`: what each pool rose by each day).
    const perMember = (rise?: readonly Float64Array[]) => {
      const risen = (values: Float64Array, pool: number) => {
        const by = rise?.[pool];
        return cumulate(by ? values.map((value, i) => value + (by[i] ?? 0)) : values);
      };
      const cumPool = level.map(risen);
      const cumPart = partLevel.map((values, c) => {
        const pool = (parts.list[c] as Part).pool;
        return parts.byPool[pool]?.length === 1 ? undefined : risen(values, pool);
      });
      const members = team.members.map((member) => {
        const part = parts.of[member.index] as number;
        return cumPart[part] ?? (cumPool[member.pool] as Float64Array);
      });
      return { cumPool, members };
    };
    const steered = perMember();
    this.cumLevel = steered.cumPool;
    this.memberLevel = steered.members;
    this.owedLevel = rise ? perMember(rise).members : this.memberLevel;
  }

  /**
   * `nightsOnly`: per pool, 1 on each day whose seats the pool can fill all
   * run past midnight (a night desk alone, say), 2 on a day where some seat
   * does not, 0 on a day with none. Undefined where no seat runs past
   * midnight, as on most teams.
   */
  private nightsOnlyOf(
    byDay: ReadonlyMap<number, SeatDay[]>,
    span: number,
  ): Uint8Array[] | undefined {
    let nights: Uint8Array[] | undefined;
    for (const list of byDay.values()) {
      if (list.some((seatDay) => (seatDay.lastDay ?? seatDay.day) > seatDay.day)) {
        nights = this.team.pools.map(() => new Uint8Array(span));
        break;
      }
    }
    if (!nights) return undefined;
    // 1: every seat so far runs past midnight; 2: some seat does not.
    for (const [i, list] of byDay) {
      for (const seatDay of list) {
        const night = (seatDay.lastDay ?? seatDay.day) > seatDay.day ? 1 : 2;
        for (const role of seatDay.roles) {
          for (const pool of this.poolsFor(seatDay.shift, role)) {
            const days = nights[pool] as Uint8Array;
            if (days[i] !== 2) days[i] = night;
          }
        }
      }
    }
    return nights;
  }

  /**
   * Where a person of this pool is away from `day` on (their time away
   * starts then, or they left the day before), the first day their share
   * counts them away for: `day`, or the day before it where every seat they
   * could fill that day runs past midnight into `day`. The planner seats nobody on an occurrence
   * whose first or last day they are away on (`availableFor`), so a share
   * counting that day would be owed for seats nobody could give them: with
   * two regulars on a night desk, the one whose holiday starts the next
   * morning would be owed a seat only the other can take, and the other
   * left a seat short for it.
   */
  private offFrom(pool: number, day: Day): Day {
    const nights = this.nightsOnly?.[pool];
    return nights?.[day - 1 - this.origin] === 1 ? day - 1 : day;
  }

  private kindsOf(list: readonly SeatDay[]): SeatKind[] {
    const byKey = new Map<string, SeatKind>();
    for (const { shift, roles } of list) {
      for (const role of roles) {
        const key = this.seatKey(shift, role);
        const kind = byKey.get(key);
        if (kind) kind.count++;
        else byKey.set(key, { shift, role, count: 1, pools: this.poolsFor(shift, role) });
      }
    }
    return [...byKey.values()];
  }

  /** `from`, or the day a person added after the schedule began is counted from, if later. */
  private countedStart(member: Member, from: Day): Day {
    const start = this.countedFrom.get(member.index);
    return start === undefined ? from : Math.max(from, start);
  }

  /**
   * The key of a kind of seat, `${shift}\u0000${role}`, made once per kind:
   * asked for every seat the fill and the repair look at, where a new string
   * each time would be made, hashed and thrown away.
   */
  private seatKey(shift: string, role: string): string {
    let byRole = this.seatKeys.get(shift);
    if (!byRole) {
      byRole = new Map();
      this.seatKeys.set(shift, byRole);
    }
    let key = byRole.get(role);
    if (key === undefined) {
      key = `${shift}\u0000${role}`;
      byRole.set(role, key);
    }
    return key;
  }

  /** The pools whose members can fill a seat of this role on this shift. */
  poolsFor(shift: string, role: string): number[] {
    const key = this.seatKey(shift, role);
    let pools = this.poolsBySeat.get(key);
    if (!pools) {
      pools = this.team.pools
        .filter((pool: Pool) => canFill(pool, shift, role))
        .map((pool) => pool.index);
      this.poolsBySeat.set(key, pools);
    }
    return pools;
  }

  private at(list: Float64Array[], pool: number, day: Day): number {
    const cum = list[pool] as Float64Array;
    const i = Math.min(Math.max(day - this.origin, 0), cum.length - 1);
    return cum[i] ?? 0;
  }

  /** The weight of a pool's members available on a day. */
  weightOn(pool: number, day: Day): number {
    return (this.weight[pool] as Float64Array)[day - this.origin] ?? 0;
  }

  /** How one seat of this shift and role on this day is shared among the pools (by pool index). */
  seatShare(day: Day, shift: string, role: string): readonly number[] | undefined {
    const i = day - this.origin;
    if (!(i >= 0 && i < this.perSeat.length)) return undefined;
    return this.perSeat[i]?.get(this.seatKey(shift, role));
  }

  /** Σ of a pool's level over the days before `day`: one unit of weight's share so far. */
  credit(pool: number, day: Day): number {
    return this.at(this.cumLevel, pool, day);
  }

  /** The seats a whole pool is due before `day`: Σ of its members' shares. */
  poolCredit(pool: number, day: Day): number {
    return this.at(this.cumLoad, pool, day);
  }

  /** The share rate a person did not earn before `day` because they were unavailable. */
  creditWhileAway(member: Member, day: Day): number {
    const available = this.availableCredit(member, this.origin, Math.min(day, this.end));
    return this.memberCredit(member, day) - available;
  }

  /** Σ of the level of a person's part of their pool over the days before `day`. */
  private memberCredit(member: Member, day: Day): number {
    const cum = this.memberLevel[member.index] as Float64Array;
    const i = Math.min(Math.max(day - this.origin, 0), cum.length - 1);
    return cum[i] ?? 0;
  }

  /**
   * How much more one unit of a person's weight has been owed than one of
   * their pool's, over the days before `day`: 0 where the pool's people are
   * owed alike; more for a lighter person where what the others can take
   * binds (min_gap_days lets a full-timer one turn a week, so a half-timer
   * beside them is owed as much), less for a heavier one.
   */
  partCredit(member: Member, day: Day): number {
    const pool = this.cumLevel[member.pool] as Float64Array;
    const own = this.memberLevel[member.index] as Float64Array;
    if (own === pool) return 0;
    return this.cumAt(own, day) - this.cumAt(pool, day);
  }

  /** A person's fair share of the seats on days [from, until). */
  expected(member: Member, from: Day, until: Day): number {
    return this.availableCredit(member, from, until) * member.weight;
  }

  /**
   * A person's fair share as shown (the fairness table, `rota report`):
   * `expected`, with the seats min_gap_days left to nobody counted in the
   * shares of those who can fill them (see `leftoverLevels`). The plan
   * steers by `expected`, in which those seats are nobody's, so that nobody
   * is handed more seats the gap would have kept from them.
   */
  owed(member: Member, from: Day, until: Day): number {
    const cum = this.owedLevel[member.index] as Float64Array;
    return this.availableCredit(member, from, until, cum) * member.weight;
  }

  /**
   * Σ of the level of the person's part of their pool (or another cumulative
   * level, `cum`) over the days in [from, until) the person is available and
   * counted, interval by interval in order (so the same sum to
   * the last bit), without making a list of them: it is asked for every
   * person several times a plan.
   */
  private availableCredit(
    member: Member,
    from: Day,
    until: Day,
    cum: Float64Array = this.memberLevel[member.index] as Float64Array,
  ): number {
    let sum = 0;
    // someAvailableInterval's walk (with `offFrom`), written out: no callback made per call.
    const counted = this.countedStart(member, from);
    let start = Math.max(counted, member.joined ?? counted);
    let end =
      member.left === undefined
        ? until
        : Math.min(until, this.offFrom(member.pool, member.left + 1));
    const away = member.away;
    for (let i = 0; i < away.length; i++) {
      const range = away[i] as Member["away"][number];
      if (range.to < start) continue;
      const stop = this.offFrom(member.pool, range.from);
      if (range.from >= end) {
        end = Math.min(end, stop);
        break;
      }
      if (stop > start) sum += this.cumAt(cum, stop) - this.cumAt(cum, start);
      start = Math.max(start, range.to + 1);
    }
    if (start < end) sum += this.cumAt(cum, end) - this.cumAt(cum, start);
    return sum;
  }

  /** A cumulative level (from the origin) before `day`. */
  private cumAt(cum: Float64Array, day: Day): number {
    const i = Math.min(Math.max(day - this.origin, 0), cum.length - 1);
    return cum[i] ?? 0;
  }
}

/**
 * Per pool, the most occurrences of a day one of its people can serve: the
 * most that do not overlap one another among those the pool can fill
 * (earliest end first); nobody sits twice on one occurrence either. Without
 * it, a person alone on a day with two overlapping desks would be owed both
 * seats, and be seated on everything once others are back, to catch up on a
 * seat they never could have taken; and two people sharing a three-seat desk
 * with a third of half their weight would be owed 1.2 seats each on it, and
 * the third 0.6, where each can take one.
 */
function mostApart(
  occurrences: readonly SeatDay[],
  kinds: readonly SeatKind[],
  pools: number,
): number[] {
  const timed = occurrences.filter(
    (o) => o.start !== undefined && o.end !== undefined,
  ) as (SeatDay & { start: number; end: number })[];
  timed.sort((a, b) => a.end - b.end || a.start - b.start);
  const fills = new Map<string, Set<number>>();
  for (const kind of kinds) {
    const set = fills.get(kind.shift) ?? new Set<number>();
    for (const g of kind.pools) set.add(g);
    fills.set(kind.shift, set);
  }
  const apart: number[] = [];
  for (let g = 0; g < pools; g++) {
    let count = 0;
    let free = Number.NEGATIVE_INFINITY;
    for (const o of timed) {
      if (!fills.get(o.shift)?.has(g) || o.start < free) continue;
      count++;
      free = o.end;
    }
    // Occurrences with no time known are not bounded.
    apart[g] = count + occurrences.length - timed.length;
  }
  return apart;
}

/**
 * What min_gap_days lets a pool take on a day: each person at most one seat
 * in any run of that many days, so on a day with seats, one over the number
 * of days with seats for the pool in the run of that many days around it (a
 * Tuesday-and-Friday shift with a 7-day gap: half a seat each on each of
 * them). People with no gap are no bound.
 */
class GapCaps {
  /** Per pool: how many days with seats for it before each day (prefix sums). */
  private readonly seatDaysBefore: Int32Array[];

  constructor(
    private readonly span: number,
    /** Per pool, per min_gap_days: available people on each day. */
    private readonly byGap: Map<number, Float64Array>[],
    kindsByDay: ReadonlyMap<number, readonly SeatKind[]>,
  ) {
    this.seatDaysBefore = byGap.map((_, g) => {
      const before = new Int32Array(span + 1);
      for (let i = 0; i < span; i++) {
        const fills = kindsByDay.get(i)?.some((kind) => kind.pools.includes(g)) === true;
        before[i + 1] = (before[i] ?? 0) + (fills ? 1 : 0);
      }
      return before;
    });
  }

  on(pool: number, i: number): number {
    let cap = 0;
    for (const [gap, available] of this.byGap[pool] ?? []) {
      const people = Math.round(available[i] ?? 0);
      if (people <= 0) continue;
      if (gap <= 0) return Number.POSITIVE_INFINITY;
      cap += this.forPeople(pool, i, gap, people);
    }
    return cap;
  }

  /** What `people` of a pool with this min_gap_days may take on a day. */
  forPeople(pool: number, i: number, gap: number, people: number): number {
    if (people <= 0) return 0;
    if (gap <= 0) return Number.POSITIVE_INFINITY;
    const before = this.seatDaysBefore[pool] as Int32Array;
    const from = Math.max(0, i - Math.floor((gap - 1) / 2));
    const until = Math.min(this.span, from + gap);
    const days = Math.max(1, (before[until] ?? 0) - (before[from] ?? 0));
    return people / days;
  }
}

interface Part {
  pool: number;
  weight: number;
  gapDays: number;
}

/** The parts of each pool: its people of one weight and one min_gap_days. */
class Parts {
  readonly list: Part[] = [];
  /** Per member index: their part. */
  readonly of: Int32Array;
  /** Per pool: its parts, in order. */
  readonly byPool: number[][];
  /** The pools with more than one part. */
  readonly mixed: number[];

  constructor(team: Team) {
    this.of = new Int32Array(team.members.length);
    this.byPool = team.pools.map(() => []);
    const index = new Map<string, number>();
    for (const member of team.members) {
      const key = `${member.pool}|${member.weight}|${member.gapDays}`;
      let part = index.get(key);
      if (part === undefined) {
        part = this.list.length;
        this.list.push({ pool: member.pool, weight: member.weight, gapDays: member.gapDays });
        index.set(key, part);
        (this.byPool[member.pool] as number[]).push(part);
      }
      this.of[member.index] = part;
    }
    this.mixed = this.byPool.flatMap((list, pool) => (list.length > 1 ? [pool] : []));
  }
}

/**
 * A day divided again where a pool of several parts reached what its people
 * can take: each part of those pools stands as a pool of its own, with the
 * bound of its own people, so a heavier person is owed no more than they can
 * take and the rest is owed to the others. Other pools keep their place.
 * Returns each pool's level (its seats over its weight), seats and share of
 * each kind of seat, and each part's level.
 */
function divideByPart(
  parts: Parts,
  bound: readonly number[],
  counts: readonly number[],
  caps: readonly number[],
  kinds: readonly SeatKind[],
): { levels: number[]; loads: number[]; perSeat: number[][]; partLevels: number[] } {
  // Units: each bound pool's parts, and each other pool whole.
  const split = new Set(bound);
  const units: { pool: number; part?: number }[] = [];
  const unitsOf: number[][] = parts.byPool.map(() => []);
  parts.byPool.forEach((list, pool) => {
    for (const part of split.has(pool) ? list : [undefined]) {
      (unitsOf[pool] as number[]).push(units.length);
      units.push(part === undefined ? { pool } : { pool, part });
    }
  });
  const poolWeight = (pool: number) =>
    (parts.byPool[pool] as number[]).reduce(
      (sum, c) => sum + (counts[c] as number) * (parts.list[c] as Part).weight,
      0,
    );
  const weights = units.map((unit) =>
    unit.part === undefined
      ? round(poolWeight(unit.pool))
      : round((counts[unit.part] as number) * (parts.list[unit.part] as Part).weight),
  );
  const people = units.map((unit) =>
    unit.part === undefined
      ? (parts.byPool[unit.pool] as number[]).reduce((sum, c) => sum + (counts[c] as number), 0)
      : (counts[unit.part] as number),
  );
  const unitCaps = units.map((unit) =>
    unit.part === undefined
      ? (parts.byPool[unit.pool] as number[]).reduce((sum, c) => sum + (caps[c] as number), 0)
      : (caps[unit.part] as number),
  );
  const unitKinds = kinds.map((kind) => ({
    ...kind,
    pools: kind.pools.flatMap((pool) => unitsOf[pool] as number[]),
  }));
  const divided = divideDay(weights, people, unitKinds, unitCaps);
  const pools = parts.byPool.length;
  const levels = new Array<number>(pools).fill(0);
  const loads = new Array<number>(pools).fill(0);
  const partLevels = parts.list.map(() => 0);
  const perSeat = kinds.map(() => new Array<number>(pools).fill(0));
  units.forEach((unit, u) => {
    const level = divided.levels[u] as number;
    loads[unit.pool] = (loads[unit.pool] as number) + level * (weights[u] as number);
    if (unit.part !== undefined) partLevels[unit.part] = level;
    else for (const c of parts.byPool[unit.pool] as number[]) partLevels[c] = level;
    kinds.forEach((_, k) => {
      const row = perSeat[k] as number[];
      row[unit.pool] = (row[unit.pool] as number) + ((divided.perSeat[k] as number[])[u] as number);
    });
  });
  levels.forEach((_, pool) => {
    const weight = poolWeight(pool);
    levels[pool] = weight > 0 ? (loads[pool] as number) / weight : 0;
  });
  return { levels, loads, perSeat, partLevels };
}

function cumulate(values: ArrayLike<number>): Float64Array {
  const cum = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) cum[i + 1] = (cum[i] ?? 0) + (values[i] ?? 0);
  return cum;
}

/** Weights summed day by day drift in the last bits; a cache key needs them exact. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
