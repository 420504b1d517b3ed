import type { Day } from "../dates.ts";
import { availableIntervals, canFill, type Member, type Pool, type Team } from "./people.ts";

/** The seats of one occurrence: its shift and each seat's role. */
export interface SeatDay {
  day: Day;
  shift: string;
  roles: readonly string[];
}

/**
 * The fair-share model. Each seat is shared among the people who could fill
 * it that day, in proportion to their weights: a person's expected load is
 * their weight times the sum, over the days they are available, of their
 * pool's share rate. Days away, or before joining, earn nothing and owe
 * nothing, so nobody is "caught up" after time off.
 *
 * The planner picks, for each seat, the candidate furthest below their share:
 * `credit(pool, day) − (served / weight + creditWhileAway)`, a classic
 * virtual-time fair queue that costs O(log people) per seat.
 */
export class FairShare {
  /** Per pool: cumulative share rate, cum[i] = Σ rate over [origin, origin + i). */
  private readonly cum: Float64Array[];
  private readonly poolsBySeat = new Map<string, number[]>();

  constructor(
    private readonly team: Team,
    seatDays: readonly SeatDay[],
    readonly origin: Day,
    readonly end: Day,
  ) {
    const span = Math.max(0, end - origin);
    const pools = team.pools;
    // Available weight per pool per day, from difference arrays.
    const weight = pools.map(() => new Float64Array(span + 1));
    for (const member of team.members) {
      const diff = weight[member.pool] as Float64Array;
      for (const [from, until] of availableIntervals(member, origin, end)) {
        diff[from - origin] = (diff[from - origin] ?? 0) + member.weight;
        diff[until - origin] = (diff[until - origin] ?? 0) - member.weight;
      }
    }
    for (const diff of weight) {
      for (let i = 1; i <= span; i++) diff[i] = (diff[i] ?? 0) + (diff[i - 1] ?? 0);
    }
    const rate = pools.map(() => new Float64Array(span));
    for (const seatDay of seatDays) {
      const i = seatDay.day - origin;
      if (i < 0 || i >= span) continue;
      for (const role of seatDay.roles) {
        const eligible = this.poolsFor(seatDay.shift, role);
        let total = 0;
        for (const pool of eligible) total += (weight[pool] as Float64Array)[i] ?? 0;
        if (total <= 0) continue;
        for (const pool of eligible) {
          const poolRate = rate[pool] as Float64Array;
          poolRate[i] = (poolRate[i] ?? 0) + 1 / total;
        }
      }
    }
    this.cum = rate.map((poolRate) => {
      const cum = new Float64Array(span + 1);
      for (let i = 0; i < span; i++) cum[i + 1] = (cum[i] ?? 0) + (poolRate[i] ?? 0);
      return cum;
    });
  }

  /** The pools whose members can fill a seat of this role on this shift. */
  poolsFor(shift: string, role: string): number[] {
    const key = `${shift}\u0000${role}`;
    let pools = this.poolsBySeat.get(key);
    if (!pools) {
      pools = this.team.pools
        .filter((pool: Pool) => canFill(pool, shift, role))
        .map((pool) => pool.index);
      this.poolsBySeat.set(key, pools);
    }
    return pools;
  }

  /** Σ of a pool's share rate over the days before `day` (since the origin). */
  credit(pool: number, day: Day): number {
    const cum = this.cum[pool] as Float64Array;
    const i = Math.min(Math.max(day - this.origin, 0), cum.length - 1);
    return cum[i] ?? 0;
  }

  /** The share rate a person did not earn before `day` because they were unavailable. */
  creditWhileAway(member: Member, day: Day): number {
    let available = 0;
    for (const [from, until] of availableIntervals(member, this.origin, Math.min(day, this.end))) {
      available += this.credit(member.pool, until) - this.credit(member.pool, from);
    }
    return this.credit(member.pool, day) - available;
  }

  /** A person's expected number of shifts over [from, until): their fair share. */
  expected(member: Member, from: Day, until: Day): number {
    let sum = 0;
    for (const [start, end] of availableIntervals(member, from, until)) {
      sum += this.credit(member.pool, end) - this.credit(member.pool, start);
    }
    return sum * member.weight;
  }
}
