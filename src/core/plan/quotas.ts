import { type Day, fromDay } from "../dates.ts";
import type { Board, PersonState } from "./board.ts";
import { FlowNetwork } from "./flow.ts";
import { availableIn, describePeriod, type Member, periodOf, type Team } from "./people.ts";
import type { Shares } from "./shares.ts";
import type { PlanWarning } from "./types.ts";

/**
 * The deadline of a person's quota turn in the period `day` is in: the day
 * after their last available day in it (so leave from the 18th brings the
 * deadline to the 17th). Undefined when they are not available at all in it.
 */
export function quotaDeadline(member: Member, day: Day): Day | undefined {
  if (!member.quota) return undefined;
  const period = periodOf(member.quota, day);
  return lastAvailableEnd(member, period.start, period.end);
}

/** The end of the last of `availableIntervals(member, from, until)`, without listing them. */
function lastAvailableEnd(member: Member, from: Day, until: Day): Day | undefined {
  let start = Math.max(from, member.joined ?? from);
  const end = Math.min(until, member.left === undefined ? until : member.left + 1);
  let last: Day | undefined;
  for (const range of member.away) {
    if (range.to < start) continue;
    if (range.from >= end) break;
    if (range.from > start) last = range.from;
    start = Math.max(start, range.to + 1);
  }
  return start < end ? end : last;
}

/**
 * The deadline of the turn a person owes in the period `day` is in, or
 * undefined when they owe none: no quota, the period began before the
 * record (before rota ran the rota), they already hold an occurrence in it,
 * or they are not available in it.
 */
export function owedUntil(state: PersonState, day: Day, origin: Day): Day | undefined {
  const quota = state.member.quota;
  if (!quota) return undefined;
  return owedIn(state, periodOf(quota, day), origin);
}

/** `owedUntil` for a day in `period`, the period of the person's quota already found. */
export function owedIn(
  state: PersonState,
  period: { start: Day; end: Day },
  origin: Day,
): Day | undefined {
  if (period.start < Math.max(origin, state.since ?? origin)) return undefined;
  if (state.book.anyBetween(period.start, period.end)) return undefined;
  // quotaDeadline(member, day), with the period already found.
  return lastAvailableEnd(state.member, period.start, period.end);
}

/** The days quota periods are judged in: whole periods from the record's start to the horizon. */
export interface QuotaSpan {
  today: Day;
  /** The first day of the record: a period that began before rota did is not judged. */
  origin: Day;
  until: Day;
}

/**
 * Whether a period is judged: it began with the record (not before rota ran
 * the rota) and ends inside the plan (a later plan can still meet the others).
 */
export function isJudged(period: { start: Day; end: Day }, span: QuotaSpan): boolean {
  return period.start >= span.origin && period.end <= span.until;
}

/** The judged periods of a quota from today's on. */
export function judgedPeriods(
  quota: NonNullable<Member["quota"]>,
  span: QuotaSpan,
): { start: Day; end: Day }[] {
  const periods: { start: Day; end: Day }[] = [];
  for (let day = span.today; day < span.until; day = periodOf(quota, day).end) {
    const period = periodOf(quota, day);
    if (isJudged(period, span)) periods.push(period);
  }
  return periods;
}

/** A quota turn that the plan does not give: who, and which period. */
export interface QuotaMiss {
  state: PersonState;
  period: { start: Day; end: Day };
}

/**
 * Turns owed and not planned, in judged periods, by people available in them,
 * person by person in the order of `people` (the board's, unless given).
 */
export function findQuotaMisses(
  board: Board,
  span: QuotaSpan,
  people: readonly PersonState[] = board.people,
): QuotaMiss[] {
  const misses: QuotaMiss[] = [];
  const periodsOf = new Map<string, { start: Day; end: Day }[]>();
  // People of a team share one quota object: its periods are found by it,
  // without a key made per person (this runs after every round of repairs).
  const periodsByQuota = new Map<Member["quota"], { start: Day; end: Day }[]>();
  // Indexed loops: this runs a few times a plan, over every person, often
  // before it is optimized, where iterating an array makes an object a step.
  for (let i = 0; i < people.length; i++) {
    const state = people[i] as PersonState;
    const quota = state.member.quota;
    if (!quota) continue;
    let periods = periodsByQuota.get(quota);
    if (!periods) {
      const key = `${quota.count} ${quota.unit}`;
      periods = periodsOf.get(key);
      if (!periods) {
        periods = judgedPeriods(quota, span);
        periodsOf.set(key, periods);
      }
      periodsByQuota.set(quota, periods);
    }
    for (let p = 0; p < periods.length; p++) {
      const period = periods[p] as { start: Day; end: Day };
      if (state.since !== undefined && period.start < state.since) continue;
      if (state.book.anyBetween(period.start, period.end)) continue;
      const from = Math.max(period.start, span.today);
      if (!availableIn(state.member, from, period.end)) continue;
      misses.push({ state, period });
    }
  }
  return misses;
}

/** Why a person has no turn in a period, as a clause: "they join on …". */
function whyNot(member: Member, start: Day, end: Day, today: Day): string {
  const from = Math.max(start, today);
  const away = member.away.find((range) => range.to >= from && range.from < end);
  const reason = away?.reason ? ` (${away.reason})` : "";
  if (!availableIn(member, from, end)) {
    if (member.joined !== undefined && member.joined >= end) return "they have not joined yet";
    if (member.left !== undefined && member.left < from) return "they have left";
    return away ? `they are away${reason} for all of it` : "they are not available in it";
  }
  if (member.joined !== undefined && member.joined > from) {
    return `they join on ${fromDay(member.joined)} and no seat they can fill was free after that`;
  }
  if (member.left !== undefined && member.left < end - 1) {
    return `they leave on ${fromDay(member.left)} and no seat they can fill was free before that`;
  }
  return away
    ? `they are away${reason} from ${fromDay(away.from)} to ${fromDay(away.to)} and no seat they can fill was free on the other days`
    : "no seat they can fill was free";
}

function missWarning(member: Member, period: { start: Day; end: Day }, today: Day): PlanWarning {
  const quota = member.quota as NonNullable<Member["quota"]>;
  return {
    person: member.id,
    message: `${member.id} has no turn in ${describePeriod(quota, period.start)} (every ${member.quotaText}): ${whyNot(member, period.start, period.end, today)}`,
  };
}

/**
 * Warnings for quota turns the plan cannot give, each naming the person and
 * the period; where the seats cannot meet the quota at all (said up front by
 * `quotaFeasibility`), one warning for the period naming the first few.
 */
export function quotaWarnings(
  misses: readonly QuotaMiss[],
  today: Day,
  crowded: ReadonlySet<string>,
): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  const summarized = new Map<string, QuotaMiss[]>();
  // Misses come person by person, most of a team's for the same period: the
  // key in words is made again only when the quota or the period changes.
  let lastText: string | undefined;
  let lastStart: Day | undefined;
  let key = "";
  for (let i = 0; i < misses.length; i++) {
    const miss = misses[i] as QuotaMiss;
    const text = miss.state.member.quotaText;
    if (lastStart === undefined || text !== lastText || miss.period.start !== lastStart) {
      key = crowdKey(miss.state.member, miss.period.start);
      lastText = text;
      lastStart = miss.period.start;
    }
    const group = summarized.get(key);
    if (group) group.push(miss);
    else if (crowded.has(key)) summarized.set(key, [miss]);
    else warnings.push(missWarning(miss.state.member, miss.period, today));
  }
  // Period by period, as the warnings before them.
  const groups = [...summarized.values()].sort(
    (a, b) => (a[0] as QuotaMiss).period.start - (b[0] as QuotaMiss).period.start,
  );
  for (const group of groups) {
    const { state, period } = group[0] as QuotaMiss;
    const quota = state.member.quota as NonNullable<Member["quota"]>;
    const names = group.slice(0, 5).map((miss) => miss.state.member.id);
    const more = group.length > 5 ? ` and ${(group.length - 5).toLocaleString("en-US")} more` : "";
    warnings.push({
      message: `${group.length.toLocaleString("en-US")} ${group.length === 1 ? "person has" : "people have"} no turn in ${describePeriod(quota, period.start)} (every ${state.member.quotaText}), as the seats cannot meet the quota: ${names.join(", ")}${more}`,
    });
  }
  return warnings;
}

function crowdKey(member: Member, periodStart: Day): string {
  return `${member.quotaText ?? ""}|${periodStart}`;
}

/**
 * People in the company who owe a turn in a judged period in which they are
 * not available at all from today on (they join late in it, leave early, or
 * are away throughout) and have no turn in it yet: a warning naming them and
 * the period.
 */
export function unreachableQuotas(people: readonly PersonState[], span: QuotaSpan): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  // People of a team share their quota: its periods are listed once.
  const periodsOf = new Map<Member["quota"], { start: Day; end: Day }[]>();
  for (let i = 0; i < people.length; i++) {
    const { member, since, book } = people[i] as PersonState;
    if (!member.quota) continue;
    let periods = periodsOf.get(member.quota);
    if (!periods) {
      periods = judgedPeriods(member.quota, span);
      periodsOf.set(member.quota, periods);
    }
    for (let p = 0; p < periods.length; p++) {
      const period = periods[p] as { start: Day; end: Day };
      if (since !== undefined && period.start < since) continue;
      // A turn served (or planned) in it already: nothing is owed.
      if (book.anyBetween(period.start, period.end)) continue;
      const from = Math.max(period.start, span.today);
      const inCompany =
        (member.joined === undefined || member.joined < period.end) &&
        (member.left === undefined || member.left >= from);
      if (!inCompany || availableIn(member, from, period.end)) continue;
      warnings.push(missWarning(member, period, span.today));
    }
  }
  return warnings;
}

/**
 * Quotas that the seats cannot meet, said up front with the numbers: in a
 * period, more people owe a turn than there are seats they could fill.
 */
export function quotaFeasibility(
  team: Team,
  shares: Shares,
  board: Board,
  from: Day,
  until: Day,
): { warnings: PlanWarning[]; crowded: Set<string> } {
  const warnings: PlanWarning[] = [];
  const crowded = new Set<string>();
  const groups = new Map<string, Member[]>();
  // In the roster's order: the warnings come in the order people wrote the quotas.
  for (let i = 0; i < team.listed.length; i++) {
    const member = team.listed[i] as Member;
    if (!member.quota) continue;
    const key = member.quotaText ?? "";
    const group = groups.get(key);
    if (group) group.push(member);
    else groups.set(key, [member]);
  }
  for (const [text, members] of groups) {
    const quota = (members[0] as Member).quota;
    if (!quota) continue;
    // Only whole periods inside the planned window can be judged.
    for (let day = periodOf(quota, from).start; day < until; day = periodOf(quota, day).end) {
      const period = periodOf(quota, day);
      if (period.start < from || period.end > until) continue;
      const owing = members.filter((member) => availableIn(member, period.start, period.end));
      const short = shortfall(owing, period, board, shares);
      if (short) {
        crowded.add(`${text}|${period.start}`);
        warnings.push({
          message: `quota "every ${text}" cannot be met in ${describePeriod(quota, period.start)}: ${short.people} people owe a turn but there are only ${short.seats} seats they can fill`,
        });
      }
    }
  }
  return { warnings, crowded };
}

/**
 * The most people owing a turn in a period who outnumber the seats they can
 * fill, with those seats, or undefined when each of them can have a seat of
 * their own: a maximum flow from their pools to the period's kinds of seat
 * (those free or held by someone who owes a turn), whose minimum cut is the
 * shortfall. The whole team may be short (40 people, 4 seats), or a part of
 * it: 14 guests for 8 guest seats beside plenty of seats for the regulars.
 */
function shortfall(
  owing: readonly Member[],
  period: { start: Day; end: Day },
  board: Board,
  shares: Shares,
): { people: number; seats: number } | undefined {
  if (owing.length === 0) return undefined;
  const owingSet = new Set(owing);
  const nodeOfPool = new Map<number, number>();
  const peopleIn: number[] = [];
  for (const member of owing) {
    const node = nodeOfPool.get(member.pool);
    if (node === undefined) {
      nodeOfPool.set(member.pool, peopleIn.length);
      peopleIn.push(1);
    } else peopleIn[node] = (peopleIn[node] as number) + 1;
  }
  // Kinds of seat by shift, then role: how many, and which of the pools fill them.
  const kinds: { count: number; pools: number[] }[] = [];
  const byShift = new Map<string, Map<string, { count: number; pools: number[] }>>();
  for (const slot of board.slots) {
    const o = slot.o;
    if (o.day < period.start || o.day >= period.end) continue;
    let byRole = byShift.get(o.shift.id);
    if (!byRole) {
      byRole = new Map();
      byShift.set(o.shift.id, byRole);
    }
    for (let s = 0; s < o.shift.seats.length; s++) {
      const holder = slot.seats[s];
      if (holder && !owingSet.has(holder)) continue;
      const role = o.shift.seats[s] as string;
      let kind = byRole.get(role);
      if (!kind) {
        const pools = shares.poolsFor(o.shift.id, role).flatMap((pool) => {
          const node = nodeOfPool.get(pool);
          return node === undefined ? [] : [node];
        });
        kind = { count: 0, pools };
        byRole.set(role, kind);
        if (pools.length > 0) kinds.push(kind);
      }
      kind.count++;
    }
  }
  const first = 2 + peopleIn.length;
  const network = new FlowNetwork(first + kinds.length);
  peopleIn.forEach((people, node) => {
    network.addEdge(0, 2 + node, people);
  });
  kinds.forEach((kind, k) => {
    for (const node of kind.pools) network.addEdge(2 + node, first + k, Number.POSITIVE_INFINITY);
    network.addEdge(first + k, 1, kind.count);
  });
  if (network.maxFlow(0, 1) >= owing.length - 0.5) return undefined;
  const reach = network.reachesSink(1);
  let people = 0;
  let seats = 0;
  peopleIn.forEach((count, node) => {
    if (!reach[2 + node]) people += count;
  });
  kinds.forEach((kind, k) => {
    if (!reach[first + k]) seats += kind.count;
  });
  return { people, seats };
}

/**
 * Whether a person owes a turn in the judged quota period `day` is in and has
 * none there yet: a seat given to them in it meets a turn.
 */
export function owesTurn(state: PersonState, day: Day, span: QuotaSpan): boolean {
  const quota = state.member.quota;
  if (!quota) return false;
  const period = periodOf(quota, day);
  if (!isJudged(period, span) || (state.since !== undefined && period.start < state.since)) {
    return false;
  }
  return !state.book.anyBetween(period.start, period.end);
}

/**
 * Whether giving up an occurrence leaves a person's quota met: true unless it
 * is their only one in a judged period.
 */
export function keepsQuota(state: PersonState, day: Day, id: string, span: QuotaSpan): boolean {
  const quota = state.member.quota;
  if (!quota) return true;
  const period = periodOf(quota, day);
  if (!isJudged(period, span) || (state.since !== undefined && period.start < state.since)) {
    return true;
  }
  return state.book.anyBetween(period.start, period.end, id);
}
