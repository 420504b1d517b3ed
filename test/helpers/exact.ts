import type { Highs, InitOptions } from "highs";
import { stringify } from "yaml";
import { absenceOn, canFill, type Member, periodOf } from "../../src/core/plan/people.ts";
import { planRota } from "../../src/core/plan/planner.ts";
import { Shares } from "../../src/core/plan/shares.ts";
import type { Occurrence } from "../../src/core/plan/shifts.ts";
import { type PlanWindow, planWindow } from "../../src/core/plan/window.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import type { ScheduleEntry } from "../../src/core/schedule/schedule.ts";

/**
 * An exact reference for the planner: the same model as a mixed-integer
 * program, solved by HiGHS, and one set of metrics computed the same way for
 * the planner's plan and for the exact one, so that the two compare like for
 * like. Fresh plans only (no previous schedule, no swaps, no newcomers rule).
 */

/** What the metrics read of a schedule entry: its occurrence and its people in seat order. */
export type PlanEntry = Pick<ScheduleEntry, "id" | "date" | "shift" | "start" | "end" | "people">;

export interface PlanMetrics {
  /** Seats filled in the window. */
  filled: number;
  /** Seats in the window. */
  seats: number;
  /** Pairs of one person's occurrences whose local days are closer than their min_gap_days. */
  relaxations: number;
  /** (person, quota period) pairs the person could have served in but did not. */
  quotaMisses: number;
  /** Per person: occurrences held minus fair share. */
  deviations: Record<string, number>;
  /** max |count − share| over everyone. */
  maxDeviation: number;
  /** Σ |count − share| over everyone. */
  sumDeviation: number;
  /** People whose share is at least 1 and who hold nothing. */
  atZero: string[];
  /** Breaches of the hard rules (seats, roles, availability, overlaps): empty for a valid plan. */
  invalid: string[];
}

const EPSILON = 1e-9;

/** The fresh plan's window and everyone's fair share in it. */
interface Model {
  window: PlanWindow;
  byId: Map<string, Occurrence>;
  shares: Map<string, number>;
}

function modelOf(roster: Roster, now: number): Model {
  const window = planWindow(roster, now);
  const seatDays = window.occurrences.map((o) => ({
    day: o.day,
    shift: o.shift.id,
    roles: o.shift.seats,
    start: o.start,
    end: o.end,
    lastDay: o.lastDay,
  }));
  const shares = new Shares(window.team, seatDays, window.today - 1, window.until + 1);
  return {
    window,
    byId: new Map(window.occurrences.map((o) => [o.id, o])),
    shares: new Map(
      window.team.members.map((m) => [
        m.id,
        shares.expected(m, window.today - 1, window.until + 1),
      ]),
    ),
  };
}

const available = (member: Member, o: Occurrence) =>
  absenceOn(member, o.day) === undefined && absenceOn(member, o.lastDay) === undefined;

/** The seats of an occurrence a person may fill (roles and shift list), by index. */
const seatsFor = (member: Member, o: Occurrence) =>
  o.shift.seats.flatMap((role, s) => (canFill(member, o.shift.id, role) ? [s] : []));

/** Whether a person could take an occurrence at all: some seat, and available on its days. */
const couldTake = (member: Member, o: Occurrence) =>
  available(member, o) && seatsFor(member, o).length > 0;

/**
 * The quota periods a fresh plan answers for: those that begin with the plan
 * (a period already under way when rota began is not judged) and end by its
 * last day. Each with its days [start, end).
 */
function quotaPeriods(member: Member, window: PlanWindow): { start: number; end: number }[] {
  if (!member.quota) return [];
  const periods: { start: number; end: number }[] = [];
  for (let day = window.today; day < window.until; ) {
    const { start, end } = periodOf(member.quota, day);
    if (start >= window.today && end <= window.until) periods.push({ start, end });
    day = end;
  }
  return periods;
}

/**
 * A seat for each person (each in a seat their roles and shift list allow),
 * by a bipartite matching; undefined where the people cannot all sit.
 */
function seatPeople(members: readonly Member[], o: Occurrence): number[] | undefined {
  const holderOf = new Map<number, number>();
  const tryPlace = (i: number, seen: Set<number>): boolean => {
    for (const s of seatsFor(members[i] as Member, o)) {
      if (seen.has(s)) continue;
      seen.add(s);
      const holder = holderOf.get(s);
      if (holder === undefined || tryPlace(holder, seen)) {
        holderOf.set(s, i);
        return true;
      }
    }
    return false;
  };
  if (!members.every((_, i) => tryPlace(i, new Set()))) return undefined;
  const seats = members.map(() => -1);
  for (const [s, i] of holderOf) seats[i] = s;
  return seats;
}

/**
 * The metrics of a fresh plan at `now`, from its entries: the planner's, or
 * the exact plan's. Entries outside the window (already started) are ignored.
 */
export function planMetrics(
  roster: Roster,
  now: number,
  entries: readonly PlanEntry[],
): PlanMetrics {
  return metricsOf(modelOf(roster, now), entries);
}

function metricsOf(model: Model, entries: readonly PlanEntry[]): PlanMetrics {
  const { window, byId, shares } = model;
  const team = window.team;
  const invalid: string[] = [];
  const held = new Map<string, Occurrence[]>(team.members.map((m) => [m.id, []]));
  let filled = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    const o = byId.get(entry.id);
    if (!o) continue;
    if (seen.has(entry.id)) invalid.push(`${entry.id}: listed twice`);
    seen.add(entry.id);
    if (new Set(entry.people).size !== entry.people.length) {
      invalid.push(`${entry.id}: someone twice`);
    }
    const members: Member[] = [];
    for (const id of new Set(entry.people)) {
      const member = team.byId.get(id);
      if (!member) {
        invalid.push(`${entry.id}: unknown person ${id}`);
        continue;
      }
      if (!available(member, o)) invalid.push(`${entry.id}: ${id} is not available`);
      members.push(member);
      held.get(id)?.push(o);
    }
    if (members.length > o.shift.seats.length) invalid.push(`${entry.id}: more people than seats`);
    else if (!seatPeople(members, o)) invalid.push(`${entry.id}: people cannot fill the seats`);
    filled += members.length;
  }
  let relaxations = 0;
  let quotaMisses = 0;
  let maxDeviation = 0;
  let sumDeviation = 0;
  const deviations: Record<string, number> = {};
  const atZero: string[] = [];
  for (const member of team.members) {
    const list = (held.get(member.id) ?? []).sort((a, b) => a.start - b.start);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as Occurrence;
        const b = list[j] as Occurrence;
        if (b.start < a.end) invalid.push(`${member.id}: on overlapping ${a.id} and ${b.id}`);
        if (Math.abs(a.day - b.day) < member.gapDays) relaxations++;
      }
    }
    for (const { start, end } of quotaPeriods(member, window)) {
      const inPeriod = (o: Occurrence) => o.day >= start && o.day < end;
      if (list.some(inPeriod)) continue;
      if (window.occurrences.some((o) => inPeriod(o) && couldTake(member, o))) quotaMisses++;
    }
    const share = shares.get(member.id) ?? 0;
    const deviation = list.length - share;
    deviations[member.id] = deviation;
    maxDeviation = Math.max(maxDeviation, Math.abs(deviation));
    sumDeviation += Math.abs(deviation);
    if (share >= 1 - EPSILON && list.length === 0) atZero.push(member.id);
  }
  const seats = window.occurrences.reduce((n, o) => n + o.shift.seats.length, 0);
  return {
    filled,
    seats,
    relaxations,
    quotaMisses,
    deviations,
    maxDeviation,
    sumDeviation,
    atZero,
    invalid,
  };
}

/** A linear program in CPLEX LP format, written as it is built. */
class LinearProgram {
  private readonly rows: string[] = [];
  private readonly bounds: string[] = [];
  private readonly binaries: string[] = [];

  binary(name: string): string {
    this.binaries.push(name);
    return name;
  }

  /** A continuous variable in [lower, upper]. */
  continuous(name: string, lower: number, upper?: number): string {
    this.bounds.push(
      upper === undefined
        ? `${name} >= ${num(lower)}`
        : `${num(lower)} <= ${name} <= ${num(upper)}`,
    );
    return name;
  }

  /** Adds `Σ terms sense rhs`; terms are [coefficient, variable]. */
  row(all: readonly Term[], sense: "<=" | ">=" | "=", rhs: number): void {
    const terms = all.filter(([coefficient]) => coefficient !== 0);
    if (terms.length === 0) return;
    this.rows.push(` c${this.rows.length}: ${expression(terms)} ${sense} ${num(rhs)}`);
  }

  get size(): { variables: number; rows: number } {
    return { variables: this.binaries.length + this.bounds.length, rows: this.rows.length };
  }

  text(direction: "Maximize" | "Minimize", objective: readonly Term[]): string {
    return [
      direction,
      ` obj: ${expression(objective)}`,
      "Subject To",
      ...this.rows,
      "Bounds",
      ...this.bounds,
      ...(this.binaries.length > 0 ? ["Binary"] : []),
      ...chunk(this.binaries, 20).map((names) => ` ${names.join(" ")}`),
      "End",
      "",
    ].join("\n");
  }
}

type Term = readonly [number, string];

const num = (value: number) => (Object.is(value, -0) ? "0" : String(value));

function expression(terms: readonly Term[]): string {
  // Long rows are split over lines, which the LP format allows.
  return chunk(
    terms.map(([coefficient, name], i) => {
      const sign = coefficient < 0 ? "-" : i === 0 ? "" : "+";
      return `${sign} ${num(Math.abs(coefficient))} ${name}`;
    }),
    12,
  )
    .map((part) => part.join(" "))
    .join("\n   ");
}

function chunk<T>(list: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

/** Seconds each stage may take; the exact model is meant to solve in well under one. */
const STAGE_LIMIT = 60;
const STAGE_LIMIT_LAST = 5;

let solver: Promise<Highs> | undefined;

/** HiGHS, loaded once per test file (each model gets its own native instance). */
export function loadSolver(): Promise<Highs> {
  // The package's types are read as CommonJS, where the loader would be
  // `default.default`; Node loads its ES module, whose default is the loader.
  solver ??= import("highs").then((module) =>
    (module.default as unknown as (options?: InitOptions) => Promise<Highs>)(),
  );
  return solver;
}

export interface ExactPlan {
  entries: PlanEntry[];
  metrics: PlanMetrics;
  /** The optimum of each stage of the lexicographic objective, in order. */
  optimum: {
    filled: number;
    missesAndRelaxations: number;
    maxDeviation: number;
    atZero: number;
    sumDeviation: number;
  };
  /** Whether the last stage was proven optimal (the others always are). */
  proven: boolean;
  /** Size of the model. */
  size: { variables: number; rows: number };
  /** Milliseconds spent building and solving, and in each stage's solve. */
  ms: number;
  stageMs: number[];
}

/**
 * The exact optimum of the planner's model for a fresh plan at `now`: a
 * binary x[person][occurrence][seat role] for each role a person may fill
 * (roles, shift list) on an occurrence they are available for (on its first
 * and last local day); each role at most its number of seats, each person at
 * most one seat per occurrence and never on two occurrences that overlap in
 * time; min_gap_days and quotas soft, each breach counted. Solved lexicographically, each
 * optimum fixed before the next stage: (1) most seats filled, (2) fewest
 * quota misses plus min_gap_days relaxations, (3) the smallest largest
 * |count − share|, (4) fewest people with a share of at least 1 at 0, (5) the
 * smallest Σ |count − share|.
 *
 * `start`, a valid plan's entries (the planner's), only speeds the search: it
 * is the first plan in hand, from which the solver improves.
 */
export async function exactPlan(
  roster: Roster,
  now: number,
  start?: readonly PlanEntry[],
): Promise<ExactPlan> {
  const started = performance.now();
  const highs = await loadSolver();
  const model = modelOf(roster, now);
  const { window, shares } = model;
  const occurrences = window.occurrences;
  const members = window.team.members;
  const lp = new LinearProgram();

  // x: who sits where. Seats of one role on one occurrence are
  // interchangeable, so there is one variable per person, occurrence and
  // role, and the role's seats bound their sum: the same model as one per
  // seat, without its symmetric copies. `takes` lists, per person, the
  // occurrences they could take with the terms that say whether they do.
  const roleTerms = occurrences.map(
    (o) => new Map(o.shift.seats.map((role) => [role, [] as Term[]])),
  );
  const xs: { name: string; member: Member; o: number; role: string }[] = [];
  const xByKey = new Map<string, string>();
  const takes = members.map(() => [] as { o: Occurrence; terms: Term[] }[]);
  members.forEach((member, p) => {
    occurrences.forEach((o, k) => {
      if (!available(member, o)) return;
      const roles = [...new Set(o.shift.seats)].filter((role) => canFill(member, o.shift.id, role));
      if (roles.length === 0) return;
      const terms: Term[] = roles.map((role, r) => {
        const name = lp.binary(`x${p}_${k}_${r}`);
        xs.push({ name, member, o: k, role });
        xByKey.set(`${p} ${k} ${role}`, name);
        roleTerms[k]?.get(role)?.push([1, name]);
        return [1, name] as const;
      });
      takes[p]?.push({ o, terms });
      // One seat per occurrence.
      if (terms.length > 1) lp.row(terms, "<=", 1);
    });
  });
  // No more people in a role than it has seats.
  occurrences.forEach((o, k) => {
    for (const [role, terms] of roleTerms[k] ?? []) {
      const seats = o.shift.seats.filter((r) => r === role).length;
      if (terms.length > seats) lp.row(terms, "<=", seats);
    }
  });

  const relaxations: Term[] = [];
  const misses: Term[] = [];
  const deviationTerms: Term[] = [];
  const zeroTerms: Term[] = [];
  const maxDeviation = lp.continuous("dmax", 0);
  members.forEach((member, p) => {
    const list = takes[p] ?? [];
    // Never on two occurrences at once: the occurrences running at any one
    // instant, a clique of the interval graph, hold the person at most once.
    // Every overlap shows at the start of the later of the two.
    const cliques = new Set<string>();
    for (const { o } of list) {
      const running = list.filter((t) => t.o.start <= o.start && o.start < t.o.end);
      if (running.length < 2) continue;
      const key = running.map((t) => t.o.id).join(",");
      if (cliques.has(key)) continue;
      cliques.add(key);
      lp.row(
        running.flatMap((t) => t.terms),
        "<=",
        1,
      );
    }
    // min_gap_days, soft: r ≥ y_a + y_b − 1 for each pair closer than the gap.
    if (member.gapDays > 0) {
      const pairOf = new Map<string, string>();
      list.forEach((a, i) => {
        for (const b of list.slice(i + 1)) {
          if (Math.abs(a.o.day - b.o.day) >= member.gapDays) continue;
          if (a.o.start < b.o.end && b.o.start < a.o.end) continue; // never both anyway
          const r = lp.continuous(`g${p}_${pairOf.size}`, 0, 1);
          pairOf.set(`${a.o.id} ${b.o.id}`, r);
          lp.row([...a.terms, ...b.terms, [-1, r]], "<=", 1);
          relaxations.push([1, r]);
        }
      });
      // The pairwise rows alone leave the relaxation loose (half a shift each
      // costs nothing), and the search then takes minutes. Within any gap's
      // span of days, k shifts make k(k−1)/2 pairs, which lies above each
      // line through two neighbouring integers: pairs ≥ j·k − j(j+1)/2.
      const days = [...new Set(list.map((t) => t.o.day))];
      for (const first of days) {
        const span = list.filter((t) => t.o.day >= first && t.o.day < first + member.gapDays);
        const pairs: Term[] = [];
        span.forEach((a, i) => {
          for (const b of span.slice(i + 1)) {
            const r = pairOf.get(`${a.o.id} ${b.o.id}`);
            if (r) pairs.push([1, r]);
          }
        });
        if (pairs.length === 0) continue;
        const count = span.flatMap((t) => t.terms);
        for (let j = 1; j < Math.min(span.length, 4); j++) {
          lp.row([...pairs, ...count.map(([c, x]): Term => [-j * c, x])], ">=", (-j * (j + 1)) / 2);
        }
      }
    }
    // Quotas, soft: m ≥ 1 − Σ y over the period, where the person could serve.
    quotaPeriods(member, window).forEach(({ start, end }, q) => {
      const inPeriod = list.filter((t) => t.o.day >= start && t.o.day < end);
      if (inPeriod.length === 0) return;
      const m = lp.continuous(`m${p}_${q}`, 0, 1);
      lp.row([...inPeriod.flatMap((t) => t.terms), [1, m]], ">=", 1);
      misses.push([1, m]);
    });
    // The count, one-hot: k[p][n] says the person holds n occurrences. Then
    // d = Σ |n − share|·k[p][n] is the deviation exactly at every integer
    // point, and the relaxation sees that a share of 2.5 costs half a shift
    // whatever the plan (with d ≥ |count − share| alone it sees nothing, and
    // the search for the smallest largest deviation takes seconds).
    const share = shares.get(member.id) ?? 0;
    const count = list.flatMap((t) => t.terms);
    const d = lp.continuous(`d${p}`, 0);
    const held = Array.from({ length: list.length + 1 }, (_, n) => lp.binary(`k${p}_${n}`));
    lp.row(
      held.map((name): Term => [1, name]),
      "=",
      1,
    );
    lp.row([...count, ...held.map((name, n): Term => [-n, name])], "=", 0);
    lp.row([[1, d], ...held.map((name, n): Term => [-Math.abs(n - share), name])], "=", 0);
    lp.row(
      [
        [1, maxDeviation],
        [-1, d],
      ],
      ">=",
      0,
    );
    deviationTerms.push([1, d]);
    // At zero, for a share of at least 1: k[p][0].
    if (share >= 1 - EPSILON) zeroTerms.push([1, held[0] as string]);
  });

  /** The x variables a plan sets, or undefined where it does not fit the model. */
  const startOf = (entries: readonly PlanEntry[]): Set<string> | undefined => {
    const index = new Map(occurrences.map((o, k) => [o.id, k]));
    const names = new Set<string>();
    for (const entry of entries) {
      const k = index.get(entry.id);
      if (k === undefined) continue;
      const o = occurrences[k] as Occurrence;
      const seated = entry.people.map((id) => window.team.byId.get(id));
      if (seated.some((m) => !m)) return undefined;
      const seats = seatPeople(seated as Member[], o);
      if (!seats) return undefined;
      for (const [i, member] of (seated as Member[]).entries()) {
        const name = xByKey.get(`${member.index} ${k} ${o.shift.seats[seats[i] as number]}`);
        if (!name) return undefined;
        names.add(name);
      }
    }
    return names;
  };
  const fillTerms: Term[] = xs.map((x) => [1, x.name]);
  const startNames = start && startOf(start);
  const soft = [...misses, ...relaxations];
  const mip = highs.createModel({ format: "lp", data: lp.text("Maximize", fillTerms) });
  let values: Float64Array | undefined;
  let chosen: typeof xs = [];
  const optimum = { filled: 0, soft: 0, max: 0, zero: 0, sum: 0 };
  let proven = true;
  const stageMs: number[] = [];
  try {
    mip.options.set({
      output_flag: false,
      mip_rel_gap: 1e-6,
    });
    const columns = mip.getDimensions().numCols;
    const index = new Map<string, number>();
    const indexOf = (name: string) => {
      let i = index.get(name);
      if (i === undefined) {
        i = mip.getColByName(name);
        index.set(name, i);
      }
      return i;
    };
    const entriesOf = (terms: readonly Term[]) => ({
      indices: terms.map(([, name]) => indexOf(name)),
      values: terms.map(([coefficient]) => coefficient),
    });
    const status = highs.constants.modelStatus;
    /**
     * One stage: its objective on the same model, started from the last
     * stage's optimum (feasible for this one, so the search starts with a
     * plan in hand). The last stage only picks among plans equal on the
     * others and the bar does not depend on it, so it may stop at its time
     * limit with the best plan found.
     */
    const stage = (sense: "maximize" | "minimize", terms: readonly Term[], last = false) => {
      if (terms.length === 0) {
        stageMs.push(0);
        return 0;
      }
      const begun = performance.now();
      const costs = new Float64Array(columns);
      for (const [coefficient, name] of terms) costs[indexOf(name)] = coefficient;
      mip.changeColsCost({ kind: "range", from: 0, to: columns - 1 }, costs);
      mip.changeObjectiveSense(highs.constants.objectiveSense[sense]);
      if (values) mip.setSolution({ colValue: values });
      else if (startNames) {
        // A partial start (x alone): HiGHS completes the rest.
        mip.setSolution({
          indices: xs.map((x) => indexOf(x.name)),
          values: xs.map((x) => (startNames.has(x.name) ? 1 : 0)),
        });
      }
      mip.options.set({ time_limit: last ? STAGE_LIMIT_LAST : STAGE_LIMIT });
      mip.run();
      const outcome = mip.getModelStatus();
      const found = mip.getSolution().colValue;
      if (
        outcome !== status.optimal &&
        !(last && outcome === status.timeLimit && found.length > 0)
      ) {
        throw new Error(
          `the exact model ended with status ${outcome} (see highs.constants.modelStatus)`,
        );
      }
      if (outcome !== status.optimal) proven = false;
      values = found;
      stageMs.push(performance.now() - begun);
      return mip.getObjectiveValue();
    };
    // Each optimum is kept as a constraint before the next stage: counts with
    // a margin below one, the fractional deviation with a small tolerance.
    optimum.filled = Math.round(stage("maximize", fillTerms));
    mip.addRow(optimum.filled - 0.5, highs.infinity, entriesOf(fillTerms));
    optimum.soft = Math.round(stage("minimize", soft));
    if (soft.length > 0) mip.addRow(-highs.infinity, optimum.soft + 0.5, entriesOf(soft));
    optimum.max = stage("minimize", [[1, maxDeviation]]);
    mip.addRow(-highs.infinity, optimum.max + 1e-6, entriesOf([[1, maxDeviation]]));
    optimum.zero = Math.round(stage("minimize", zeroTerms));
    if (zeroTerms.length > 0) mip.addRow(-highs.infinity, optimum.zero + 0.5, entriesOf(zeroTerms));
    optimum.sum = stage("minimize", deviationTerms, true);
    const final = values ?? new Float64Array(columns);
    chosen = xs.filter((x) => (final[indexOf(x.name)] ?? 0) > 0.5);
  } finally {
    mip.dispose();
  }

  // Each person chosen for a role takes that role's first free seat.
  const people = occurrences.map((o) => o.shift.seats.map((): string | undefined => undefined));
  for (const x of chosen) {
    const seats = people[x.o] as (string | undefined)[];
    const roles = (occurrences[x.o] as Occurrence).shift.seats;
    const seat = roles.findIndex((role, s) => role === x.role && seats[s] === undefined);
    seats[seat] = x.member.id;
  }
  const entries = occurrences.map((o, k) => ({
    id: o.id,
    date: o.date,
    shift: o.shift.id,
    start: o.startIso,
    end: o.endIso,
    people: (people[k] ?? []).filter((id): id is string => id !== undefined),
  }));
  return {
    entries,
    metrics: metricsOf(model, entries),
    optimum: {
      filled: optimum.filled,
      missesAndRelaxations: optimum.soft,
      maxDeviation: optimum.max,
      atZero: optimum.zero,
      sumDeviation: optimum.sum,
    },
    proven,
    size: lp.size,
    ms: performance.now() - started,
    stageMs,
  };
}

export interface Comparison {
  planner: PlanMetrics;
  exact: PlanMetrics;
  /** The exact plan's optima as the solver reported them, and whether the last was proven. */
  optimum: ExactPlan["optimum"];
  proven: boolean;
  /** The parts of the bar the planner misses, each in words. */
  failures: Failure[];
  /** Milliseconds: the planner's, the exact model's, and each of its stages. */
  ms: { planner: number; exact: number; stages: number[] };
}

export type BarPart = "coverage" | "quota" | "gap" | "zero" | "deviation";

export interface Failure {
  part: BarPart;
  message: string;
}

/**
 * Plans a fresh rota at `now` with the planner and with the exact model, and
 * lists where the planner misses the bar: fewer seats filled than the exact
 * plan; more quota misses; more min_gap_days relaxations; more people at 0;
 * someone further than max(1, the exact plan's largest deviation) from their
 * share.
 */
export async function compareWithExact(roster: Roster, now: number): Promise<Comparison> {
  const started = performance.now();
  const plan = planRota({ roster, previous: { entries: [] }, now });
  const plannerMs = performance.now() - started;
  const model = modelOf(roster, now);
  const planner = metricsOf(model, plan.schedule.entries);
  const exact = await exactPlan(
    roster,
    now,
    planner.invalid.length === 0 ? plan.schedule.entries : undefined,
  );
  const e = exact.metrics;
  const failures: Failure[] = [];
  if (planner.filled < e.filled) {
    failures.push({
      part: "coverage",
      message: `fills ${planner.filled} seats, the exact plan ${e.filled} of ${e.seats}`,
    });
  }
  if (planner.quotaMisses > e.quotaMisses) {
    failures.push({
      part: "quota",
      message: `misses ${planner.quotaMisses} quota periods, the exact plan ${e.quotaMisses} (with ${e.relaxations} relaxations against the planner's ${planner.relaxations})`,
    });
  }
  if (planner.relaxations > e.relaxations) {
    failures.push({
      part: "gap",
      message: `relaxes min_gap_days ${planner.relaxations} times, the exact plan ${e.relaxations} (with ${e.quotaMisses} quota misses against the planner's ${planner.quotaMisses})`,
    });
  }
  if (planner.atZero.length > e.atZero.length) {
    failures.push({
      part: "zero",
      message: `leaves ${planner.atZero.length} at 0 (${planner.atZero.join(", ")}), the exact plan ${e.atZero.length}`,
    });
  }
  const bound = Math.max(1, e.maxDeviation);
  if (planner.maxDeviation > bound + 1e-6) {
    const worst = Object.entries(planner.deviations)
      .filter(([, d]) => Math.abs(d) > bound + 1e-6)
      .map(([id, d]) => `${id} ${d > 0 ? "+" : ""}${round(d)}`);
    failures.push({
      part: "deviation",
      message: `is ${round(planner.maxDeviation)} from a share (${worst.join(", ")}), the exact plan at most ${round(e.maxDeviation)}`,
    });
  }
  return {
    planner,
    exact: e,
    optimum: exact.optimum,
    proven: exact.proven,
    failures,
    ms: { planner: plannerMs, exact: exact.ms, stages: exact.stageMs },
  };
}

/** Three decimals, and no "-0". */
const round = (value: number) => Math.round(value * 1000) / 1000 || 0;

/** A case in words, to replay it: `now`, the roster as YAML, and both sets of metrics. */
export function describeCase(roster: Roster, now: number, comparison?: Comparison): string {
  const metrics = (m: PlanMetrics) => ({
    filled: `${m.filled}/${m.seats}`,
    quotaMisses: m.quotaMisses,
    relaxations: m.relaxations,
    atZero: m.atZero,
    maxDeviation: round(m.maxDeviation),
    sumDeviation: round(m.sumDeviation),
    deviations: Object.fromEntries(Object.entries(m.deviations).map(([id, d]) => [id, round(d)])),
    ...(m.invalid.length > 0 ? { invalid: m.invalid } : {}),
  });
  return stringify(
    {
      now: new Date(now).toISOString(),
      ...(comparison
        ? {
            failures: comparison.failures.map((f) => `${f.part}: ${f.message}`),
            planner: metrics(comparison.planner),
            exact: metrics(comparison.exact),
          }
        : {}),
      roster,
    },
    { aliasDuplicateObjects: false },
  );
}
