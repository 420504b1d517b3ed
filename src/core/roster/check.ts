import { toDay, weekday as weekdayOfDay } from "../dates.ts";
import { HOLIDAY_REGIONS } from "../holidays/codes.generated.ts";
import { closestMatch, didYouMean, oneEditFrom } from "../suggest.ts";
import type { Path } from "../yaml.ts";
import { isDateText } from "../yaml-block.ts";
import {
  ANY_ROLE,
  checkTimeZone,
  DEFAULT_HORIZON_WEEKS,
  explainBadDate,
  isRealDate,
  isReservedFileName,
  MAX_URL,
  MAX_ZONE,
  SLUG,
} from "./formats.ts";
import { type SwapLike, seatHolderAfter, standingSwaps } from "./swaps.ts";

/**
 * The checks a schema cannot express: real dates, time zones, ranges in order,
 * duplicate ids and references between entries. They read the raw parsed data
 * defensively, so that they still run (and report) when other parts of the
 * roster have the wrong shape: the user sees every problem at once.
 */

export interface Finding {
  path: Path;
  /** Another place the message refers to ("first at line N"). */
  seeAlso?: Path;
  /** What that place is, when it is not the first of the same ("ada's email": "ada's email at line N"). */
  seeAlsoIs?: string;
  anchor?: "key" | "value";
  severity: "error" | "warning";
  message: string;
}

type Raw = Record<string, unknown>;

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asMap = (value: unknown): Raw | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Raw) : undefined;
/**
 * Text, when it is of a length the schema allows anywhere: longer text is
 * refused there already, and checking it here would only repeat that at length
 * (and compare megabytes against every time-zone name).
 */
const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value.length <= MAX_URL ? value : undefined;

/**
 * Drops the optional lists written as an empty key (`swaps:` with nothing
 * after it, as deleting the last entry leaves it): absent, as they mean none.
 * The schema allows null there (`noneWhenEmpty` in model.ts); the roster's
 * readers then never meet it. Changes `data` in place.
 */
export function dropEmptyLists(data: object): void {
  const root = data as Raw;
  const drop = (map: Raw | undefined, key: string) => {
    if (map && map[key] === null) delete map[key];
  };
  drop(root, "swaps");
  drop(asMap(root.holidays), "dates");
  for (const shift of asList(root.shifts)) drop(asMap(asMap(shift)?.holidays), "dates");
  for (const team of Object.values(asMap(root.teams) ?? {})) drop(asMap(team), "roles");
  for (const person of asList(root.people)) {
    drop(asMap(person), "roles");
    drop(asMap(person), "away");
  }
}

const DAY_TITLES: Record<string, string> = {
  mon: "Mondays",
  tue: "Tuesdays",
  wed: "Wednesdays",
  thu: "Thursdays",
  fri: "Fridays",
  sat: "Saturdays",
  sun: "Sundays",
};

/** A value of a date's shape (`DATE`), whose day may not exist; undefined for anything else. */
const dateText = (value: unknown): string | undefined =>
  typeof value === "string" && isDateText(value) ? value : undefined;

/**
 * Text in lower case. Most emails are lower case already: only text holding
 * an upper-case or non-ASCII character is converted (a new string each).
 */
/**
 * Help-desk aliases that are another person's id, email or name (a name only
 * when no one else has it, as the ticket join reads names): the alias would
 * take that person's tickets, so each is an error at the alias, pointing to
 * the other person's line. `aliases` holds each alias's first holder.
 */
function aliasesOfOthers(
  people: readonly unknown[],
  aliases: ReadonlyMap<string, { index: number; item: number }>,
  aliasPath: (index: number, item: number) => Path,
): Finding[] {
  const findings: Finding[] = [];
  const clash = (key: string, index: number, what: "id" | "email" | "name") => {
    const alias = aliases.get(key);
    if (alias === undefined || alias.index === index) return;
    const other = asString(asMap(people[index])?.id) ?? String(index + 1);
    findings.push({
      path: aliasPath(alias.index, alias.item),
      seeAlso: ["people", index, what],
      seeAlsoIs: `${other}'s ${what}`,
      severity: "error",
      message: `helpdesk alias ${key} is the ${what} of person "${other}": their tickets would be counted for someone else; remove the alias`,
    });
  };
  // Who has each name that is also an alias: a name names someone only when one person has it.
  const named = new Map<string, number[]>();
  for (let index = 0; index < people.length; index++) {
    const person = asMap(people[index]);
    if (!person) continue;
    const id = lowerCase(asString(person.id));
    if (id !== undefined) clash(id, index, "id");
    const email = lowerCase(asString(person.email));
    if (email !== undefined) clash(email, index, "email");
    const name = asString(person.name)?.trim().toLowerCase();
    if (name !== undefined && aliases.has(name))
      named.set(name, [...(named.get(name) ?? []), index]);
  }
  for (const [name, holders] of named) {
    if (holders.length === 1) clash(name, holders[0] as number, "name");
  }
  return findings;
}

function lowerCase(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return text.toLowerCase();
  }
  return text;
}

/**
 * Where each text of a list was first seen (ids, emails), asking one hash
 * lookup of each while none repeats (a Set's `add`, where a Map would need a
 * `get` and a `set`: 50,000 people have 100,000 of them). At the first
 * repeat, where every text before it was first seen is read once, and kept.
 */
/** Whether an id is one the roster may keep: a slug, and no reserved file name. */
const isKeptId = (id: string): boolean => SLUG.test(id) && !isReservedFileName(id);

/**
 * `; did you mean "x"?` for a role or team, when the closest is a slug: one
 * refused as written (`Pro`) is no suggestion, as that error says what to write.
 */
function didYouMeanSlug(word: string, candidates: Iterable<string>): string {
  const meant = closestMatch(word, candidates);
  return meant !== undefined && SLUG.test(meant) ? `; did you mean "${meant}"?` : "";
}

class FirstSeen {
  /** Every text seen, in the order first seen. */
  readonly texts = new Set<string>();
  private firsts: Map<string, number> | undefined;

  /** `textAt(index)` is the text at an index of the list (undefined: none there). */
  constructor(private readonly textAt: (index: number) => string | undefined) {}

  /** The index where `text` was first seen; undefined when it is new at `index`. */
  see(text: string, index: number): number | undefined {
    const count = this.texts.size;
    this.texts.add(text);
    if (this.firsts === undefined) {
      if (this.texts.size !== count) return undefined;
      this.firsts = new Map();
      for (let i = 0; i < index; i++) {
        const before = this.textAt(i);
        if (before !== undefined && !this.firsts.has(before)) this.firsts.set(before, i);
      }
    }
    const first = this.firsts.get(text);
    if (first === undefined) this.firsts.set(text, index);
    return first;
  }
}

/**
 * Notes are named `<date>-<shift>-<person>.md`: a shift whose id is another's
 * with `-x` after it, and people `x-y` and `y`, would write two people's
 * notes to one file (emea + late-ada, emea-late + ada). Each such pair once,
 * named by the person whose id holds the longer part.
 */
function noteNameClashes(
  shiftIds: ReadonlySet<string>,
  personIds: ReadonlySet<string>,
): { shift: string; person: string; otherShift: string; other: string }[] {
  const clashes: { shift: string; person: string; otherShift: string; other: string }[] = [];
  for (const shift of shiftIds) {
    for (const longer of shiftIds) {
      if (!longer.startsWith(`${shift}-`)) continue;
      const middle = `${longer.slice(shift.length + 1)}-`;
      for (const person of personIds) {
        if (!person.startsWith(middle)) continue;
        const other = person.slice(middle.length);
        if (personIds.has(other)) clashes.push({ shift, person, otherShift: longer, other });
      }
    }
  }
  return clashes;
}

/** "Now" in epoch milliseconds, or how to find it once the roster's zone is known. */
export type Now = number | ((zone: string) => number);

/**
 * Today's date (`YYYY-MM-DD`) on the roster's clock; undefined when "now" is
 * not known or the zone is not one (reported apart).
 */
function todayIn(now: Now | undefined, zone: unknown): string | undefined {
  const name = typeof zone === "string" && !checkTimeZone(zone) ? zone : "UTC";
  if (now === undefined) return undefined;
  const ms = typeof now === "function" ? now(name) : now;
  if (!Number.isFinite(ms)) return undefined;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: name,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/**
 * Every problem in a parsed roster that its schema does not catch. `now`
 * tells the swaps of days gone by (history, which may name people who have
 * since left the roster) from those still ahead; without it every swap is
 * checked as one ahead.
 */
export function checkRoster(data: unknown, now?: Now): Finding[] {
  const root = asMap(data);
  if (!root) return [];
  const findings: Finding[] = [];
  const error = (path: Path, message: string, anchor: Finding["anchor"] = "value") =>
    findings.push({ path, message, severity: "error", anchor });
  const warn = (path: Path, message: string, anchor: Finding["anchor"] = "value") =>
    findings.push({ path, message, severity: "warning", anchor });

  const checkDate = (path: Path, value: unknown): string | undefined => {
    const text = dateText(value);
    if (text === undefined || isRealDate(text)) return text;
    error(path, explainBadDate(text));
    return undefined;
  };
  /**
   * A person's date (`joined`, `left`, or an away range's `from` and `to`):
   * checked 50,000 times over, its path made only for a problem.
   */
  const checkPersonDate = (
    value: unknown,
    index: number,
    key: string,
    awayIndex = -1,
  ): string | undefined => {
    const text = dateText(value);
    if (text === undefined || isRealDate(text)) return text;
    return checkDate(
      awayIndex === -1 ? ["people", index, key] : ["people", index, "away", awayIndex, key],
      text,
    );
  };
  const checkZone = (path: Path, value: unknown) => {
    const zone = asString(value);
    if (zone === undefined || zone === "" || zone.length > MAX_ZONE) return;
    const problem = checkTimeZone(zone);
    if (problem) error(path, problem);
  };
  /**
   * An unknown person or shift named at `at`, with the id it most likely
   * meant. Where that id is one refused as written (`Linus`, not a slug), the
   * message points at it rather than suggest writing it here; `otherwise` is
   * the advice when no id is close.
   */
  const unknownId = (
    at: Path,
    kind: "person" | "shift",
    id: string,
    list: { entries: unknown[]; key: string; ids: ReadonlySet<string> },
    otherwise = "",
  ) => {
    const meant = closestMatch(id, list.ids);
    if (meant === undefined || isKeptId(meant)) {
      error(
        at,
        `unknown ${kind} "${id}"${meant === undefined ? otherwise : `; did you mean "${meant}"?`}`,
      );
      return;
    }
    const index = list.entries.findIndex((entry) => asMap(entry)?.id === meant);
    findings.push({
      path: at,
      seeAlso: [list.key, index, "id"],
      seeAlsoIs: "that id",
      severity: "error",
      message: `unknown ${kind} "${id}": it most likely means "${meant}", whose id is refused`,
    });
  };
  const checkIds = (kind: string, entries: unknown[], listKey: string) => {
    const idAt = (index: number) => asString(asMap(entries[index])?.id);
    const seen = new FirstSeen(idAt);
    for (let index = 0; index < entries.length; index++) {
      const id = idAt(index);
      if (id === undefined) continue;
      if (isReservedFileName(id)) {
        error(
          [listKey, index, "id"],
          `${kind} id "${id}" is a reserved file name on Windows; choose another id`,
        );
      }
      const first = seen.see(id, index);
      if (first !== undefined) {
        findings.push({
          path: [listKey, index, "id"],
          seeAlso: [listKey, first, "id"],
          severity: "error",
          message: `duplicate ${kind} id "${id}"`,
        });
      }
    }
    return seen.texts;
  };

  /** A `holidays` mapping, the roster's or a shift's own (which replaces it as a whole). */
  const checkHolidays = (at: Path, value: unknown) => {
    const holidays = asMap(value);
    if (!holidays) return;
    const country = asString(holidays.country);
    const region = asString(holidays.region);
    if (country !== undefined && /^[A-Z]{2}$/.test(country)) {
      const regions = HOLIDAY_REGIONS[country];
      if (regions === undefined) {
        error(
          [...at, "country"],
          `no public-holiday data for country "${country}": use an ISO 3166 code such as DE, US or GB`,
        );
      } else if (region !== undefined && !regions.split(" ").includes(region)) {
        const known = regions === "" ? [] : regions.split(" ");
        error(
          [...at, "region"],
          known.length === 0
            ? `country "${country}" has no regions in the holiday data; remove holidays.region`
            : `unknown region "${region}" of ${country}${didYouMean(region, known)} (known: ${known.join(", ")})`,
        );
      }
    }
    if (region !== undefined && country === undefined) {
      // A shift's holidays do not inherit the roster's country: they replace them.
      const own = at[0] === "shifts" ? " (a shift's holidays replace the roster's as a whole)" : "";
      error([...at, "region"], `holidays.region needs holidays.country${own}`, "key");
    }
    asList(holidays.dates).forEach((date, index) => {
      checkDate([...at, "dates", index], date);
    });
  };

  checkZone(["timezone"], root.timezone);
  checkHolidays(["holidays"], root.holidays);

  // Shifts.
  const shifts = asList(root.shifts);
  const shiftIds = checkIds("shift", shifts, "shifts");
  const shiftList = { entries: shifts, key: "shifts", ids: shiftIds };
  const shiftDays = new Map<string, string[]>();
  /** Each shift's seat roles, for the people whose shift lists name it. */
  const seatRoles = new Map<string, string[]>();
  shifts.forEach((entry, index) => {
    const shift = asMap(entry);
    if (!shift) return;
    const id = asString(shift.id);
    const days = asList(shift.days).filter((day): day is string => typeof day === "string");
    if (id !== undefined) {
      shiftDays.set(id, days);
      seatRoles.set(
        id,
        asList(shift.seats).map((seat) => asString(asMap(seat)?.role) ?? ANY_ROLE),
      );
    }
    const seenDays = new Set<string>();
    asList(shift.days).forEach((day, dayIndex) => {
      if (typeof day !== "string") return;
      if (seenDays.has(day)) warn(["shifts", index, "days", dayIndex], `"${day}" is listed twice`);
      seenDays.add(day);
    });
    checkZone(["shifts", index, "timezone"], shift.timezone);
    checkHolidays(["shifts", index, "holidays"], shift.holidays);
    if (shift.all_day === true) {
      for (const key of ["start", "end"] as const) {
        if (key in shift) {
          error(
            ["shifts", index, key],
            `an all-day shift has no ${key}; remove "${key}" or "all_day"`,
            "key",
          );
        }
      }
    } else {
      for (const key of ["start", "end"] as const) {
        if (!(key in shift)) {
          error(
            ["shifts", index],
            `shift "${id ?? index}" is missing "${key}" (or set all_day: true)`,
          );
        }
      }
    }
  });

  // People, with the roles they hold (their own and their team's).
  const teams = asMap(root.teams) ?? {};
  const people = asList(root.people);
  const personIds = checkIds("person", people, "people");
  for (const clash of noteNameClashes(shiftIds, personIds)) {
    const index = people.findIndex((person) => asMap(person)?.id === clash.person);
    error(
      ["people", index, "id"],
      `person "${clash.person}" on shift "${clash.shift}" and person "${clash.other}" on shift "${clash.otherShift}" would write their notes to the same file (<date>-${clash.shift}-${clash.person}.md): rename one of these ids`,
    );
  }
  const rolesHeld = new Set<string>([ANY_ROLE]);
  const teamsUsed = new Set<string>();
  /** A shift list none of whose seats the person can fill: the plan gives them nothing. */
  const seatless = (person: Record<string, unknown>, index: number, own: string[]): void => {
    const team = asString(person.team);
    const holds = new Set([
      ANY_ROLE,
      ...asList(person.roles),
      ...(team === undefined ? [] : asList(asMap(teams[team])?.roles)),
    ]);
    const roles = [...new Set(own.flatMap((id) => seatRoles.get(id) ?? []))];
    if (roles.some((role) => holds.has(role))) return;
    const listed = own.join(", ");
    warn(
      ["people", index, "shifts"],
      `${String(person.id)} serves only on ${listed}, whose seats (${roles.join(", ")}) they cannot fill: they will get no shift; give them role ${roles[0]}, or list a shift with a seat they can fill`,
    );
  };
  const emails = new FirstSeen((index) => lowerCase(asString(asMap(people[index])?.email)));
  // Each alias's first holder, and its place in their list (-1: the only one).
  const helpdeskAliases = new Map<string, { index: number; item: number }>();
  const aliasPath = (index: number, item: number): Path =>
    item === -1 ? ["people", index, "helpdesk"] : ["people", index, "helpdesk", item];
  // Plain loops, and paths made only for a problem: these run once per person.
  // A team's roles are added once, when the team is first seen.
  for (let index = 0; index < people.length; index++) {
    const person = asMap(people[index]);
    if (!person) continue;
    if (person.roles !== undefined) {
      for (const role of asList(person.roles)) if (typeof role === "string") rolesHeld.add(role);
    }
    const team = asString(person.team);
    if (team !== undefined && !teamsUsed.has(team)) {
      teamsUsed.add(team);
      for (const role of asList(asMap(teams[team])?.roles)) {
        if (typeof role === "string") rolesHeld.add(role);
      }
    }
  }

  for (let index = 0; index < people.length; index++) {
    const person = asMap(people[index]);
    if (!person) continue;
    if (person.timezone !== undefined) checkZone(["people", index, "timezone"], person.timezone);
    const email = lowerCase(asString(person.email));
    if (email !== undefined) {
      const first = emails.see(email, index);
      if (first !== undefined) {
        findings.push({
          path: ["people", index, "email"],
          seeAlso: ["people", first, "email"],
          severity: "error",
          message: `duplicate email ${email}: emails identify people`,
        });
      }
    }
    // A help-desk alias names one person: the same alias twice would count
    // one person's conversations for another.
    const helpdesk = person.helpdesk;
    if (helpdesk !== undefined) {
      const list = Array.isArray(helpdesk);
      const aliases = list ? helpdesk : [helpdesk];
      for (let i = 0; i < aliases.length; i++) {
        const alias = aliases[i];
        if (typeof alias !== "string" && typeof alias !== "number") continue;
        const key = String(alias).trim().toLowerCase();
        const item = list ? i : -1;
        const first = helpdeskAliases.get(key);
        if (first !== undefined && first.index !== index) {
          findings.push({
            path: aliasPath(index, item),
            seeAlso: aliasPath(first.index, first.item),
            severity: "error",
            message: `helpdesk alias ${key} is also another person's: a help-desk agent is one person`,
          });
        } else {
          helpdeskAliases.set(key, { index, item });
        }
      }
    }
    const joined = checkPersonDate(person.joined, index, "joined");
    const left =
      person.left === undefined ? undefined : checkPersonDate(person.left, index, "left");
    if (joined !== undefined && left !== undefined && left < joined) {
      error(["people", index, "left"], `left (${left}) is before joined (${joined})`);
    }
    const aways = person.away;
    if (Array.isArray(aways)) {
      for (let awayIndex = 0; awayIndex < aways.length; awayIndex++) {
        const range = asMap(aways[awayIndex]);
        if (!range) continue;
        const from = checkPersonDate(range.from, index, "from", awayIndex);
        const to = checkPersonDate(range.to, index, "to", awayIndex);
        if (from !== undefined && to !== undefined && to < from) {
          error(
            ["people", index, "away", awayIndex, "to"],
            `away ends (${to}) before it starts (${from})`,
          );
        }
      }
    }
    const own = person.shifts;
    if (Array.isArray(own) && shiftIds.size > 0) {
      let known = own.length > 0;
      for (let shiftIndex = 0; shiftIndex < own.length; shiftIndex++) {
        const shiftId = own[shiftIndex];
        if (asString(shiftId) !== undefined && !shiftIds.has(shiftId as string)) {
          unknownId(["people", index, "shifts", shiftIndex], "shift", shiftId as string, shiftList);
          known = false;
        }
      }
      if (known) seatless(person, index, own as string[]);
    }
  }
  if (helpdeskAliases.size > 0) {
    findings.push(...aliasesOfOthers(people, helpdeskAliases, aliasPath));
  }

  // Seat roles that nobody can fill.
  shifts.forEach((entry, index) => {
    asList(asMap(entry)?.seats).forEach((seat, seatIndex) => {
      const role = asString(asMap(seat)?.role);
      if (role !== undefined && !rolesHeld.has(role)) {
        warn(
          ["shifts", index, "seats", seatIndex, "role"],
          `nobody holds role "${role}"${didYouMeanSlug(role, rolesHeld)}: this seat will stay empty`,
        );
      }
    });
  });
  const pairWith = asString(asMap(asMap(root.rules)?.newcomers)?.pair_with);
  if (pairWith !== undefined && !rolesHeld.has(pairWith)) {
    warn(
      ["rules", "newcomers", "pair_with"],
      `nobody holds role "${pairWith}"${didYouMeanSlug(pairWith, rolesHeld)}: newcomers cannot be paired`,
    );
  }

  // A plan can only be checked for being as far ahead as it is ever planned.
  const planAhead = asMap(root.rules)?.plan_ahead_weeks;
  const horizon =
    typeof root.horizon_weeks === "number" ? root.horizon_weeks : DEFAULT_HORIZON_WEEKS;
  if (typeof planAhead === "number" && planAhead > horizon) {
    error(
      ["rules", "plan_ahead_weeks"],
      `plan_ahead_weeks (${planAhead}) is more than horizon_weeks (${horizon}): \`rota plan\` never plans that far ahead, so \`rota plan --check\` would always fail; lower it or raise horizon_weeks`,
    );
  }

  // Teams with rules must be somebody's team.
  for (const team of Object.keys(teams)) {
    if (!teamsUsed.has(team) && people.length > 0) {
      error(
        ["teams", team],
        `no person is in team "${team}", so its rules apply to nobody${didYouMeanSlug(team, teamsUsed)}`,
        "key",
      );
    }
  }

  // A team one edit from a defined one is most likely a typo of it: valid,
  // but the person gets none of that team's rules (quota, roles, weight).
  // Teams refused as written (`Support`) are no suggestion.
  const defined = Object.keys(teams).filter((team) => SLUG.test(team));
  // Asked once per team name, not once per person (50,000 people, a few teams);
  // the people are read again only when some team is such a typo.
  const nearTeam = new Map<string, string | undefined>();
  let typos = false;
  for (const team of teamsUsed) {
    const near = oneEditFrom(team, defined);
    nearTeam.set(team, near);
    if (near !== undefined && teamsUsed.has(near)) typos = true;
  }
  for (let index = 0; typos && index < people.length; index++) {
    const person = asMap(people[index]);
    const team = asString(person?.team);
    if (team === undefined) continue;
    const near = nearTeam.get(team);
    // A defined team nobody is in is an error of its own, with the suggestion.
    if (near === undefined || !teamsUsed.has(near)) continue;
    const who = asString(person?.id) ?? "this person";
    warn(
      ["people", index, "team"],
      `team "${team}" is not in teams:, so none of its rules apply to ${who}; did you mean "${near}"?`,
    );
  }

  // Swaps.
  const swapsSoFar = new Map<string, (SwapLike & { index: number })[]>();
  /** Today on the roster's clock ("" when not known), found at the first swap that asks. */
  let today: string | undefined;
  asList(root.swaps).forEach((entry, index) => {
    const swap = asMap(entry);
    if (!swap) return;
    const at = (key: string): Path => ["swaps", index, key];
    const date = checkDate(at("date"), swap.date);
    // schedule.yaml holds who served a day gone by: removing someone from
    // people:, a shift from shifts: or a day from a shift's days leaves the
    // old swaps as the record of it, not as mistakes.
    const past = (): boolean => {
      today ??= todayIn(now, root.timezone) ?? "";
      return date !== undefined && date < today;
    };
    const shift = asString(swap.shift);
    if (shift !== undefined && shiftIds.size > 0 && !shiftIds.has(shift) && !past()) {
      unknownId(
        at("shift"),
        "shift",
        shift,
        shiftList,
        ": remove this swap, or move it to a shift in shifts:",
      );
    }
    for (const key of ["out", "in"] as const) {
      const id = asString(swap[key]);
      if (id === undefined || personIds.size === 0 || personIds.has(id)) continue;
      if (past()) continue;
      unknownId(
        at(key),
        "person",
        id,
        { entries: people, key: "people", ids: personIds },
        `: remove this swap, or keep ${id} under people: with \`left:\` set (a swap still to come names people in the roster)`,
      );
    }
    if (asString(swap.out) !== undefined && swap.out === swap.in) {
      error(at("in"), `"${String(swap.in)}" cannot swap with themselves`);
    }
    if (date !== undefined && shift !== undefined) {
      const days = shiftDays.get(shift);
      const weekday = weekdayOfDay(toDay(date));
      if (days !== undefined && !days.includes(weekday) && !past()) {
        error(
          at("date"),
          `shift "${shift}" does not run on ${DAY_TITLES[weekday]} (${date}): move this swap to a day it runs, or remove it`,
        );
      }
      // Swaps of one occurrence apply in order: a swap's out must be on it
      // then, so someone swapped out (and not back on since) cannot be again.
      const occurrence = `${date}/${shift}`;
      const earlier = swapsSoFar.get(occurrence) ?? [];
      const out = asString(swap.out);
      const incoming = asString(swap.in);
      const standing = out === undefined ? undefined : standingSwaps(earlier).out.get(out);
      if (standing !== undefined) {
        const holder = seatHolderAfter(earlier, earlier.indexOf(standing));
        const fix =
          holder === undefined || holder === incoming
            ? `${holder ?? "someone else"} serves in that seat already: remove this swap`
            : `${holder} serves in that seat: make ${holder} this swap's out, or remove this swap`;
        findings.push({
          path: at("out"),
          seeAlso: ["swaps", standing.index, "out"],
          seeAlsoIs: "swapped out",
          severity: "error",
          message: `"${out}" is already swapped out of ${occurrence}, and ${fix}`,
        });
      } else if (out !== undefined && incoming !== undefined) {
        earlier.push({ date, shift, out, in: incoming, index });
        swapsSoFar.set(occurrence, earlier);
      }
    }
  });

  // Notify channels.
  const channels = asList(asMap(root.notify)?.channels);
  const channelIds = new Map<string, number>();
  channels.forEach((entry, index) => {
    const channel = asMap(entry);
    if (!channel) return;
    const at = (key: string): Path => ["notify", "channels", index, key];
    const id = asString(channel.id);
    if (id !== undefined) {
      const first = channelIds.get(id);
      if (first !== undefined) {
        findings.push({
          path: at("id"),
          seeAlso: ["notify", "channels", first, "id"],
          severity: "error",
          message: `duplicate channel id "${id}"`,
        });
      } else {
        channelIds.set(id, index);
      }
    }
    const type = asString(channel.type);
    if (type === "email") {
      if (channel.from === undefined) {
        error(["notify", "channels", index], 'an email channel needs "from": the sender address');
      }
    } else if (type !== undefined) {
      for (const key of ["from", "to"]) {
        if (channel[key] !== undefined) {
          error(
            at(key),
            `"${key}" is for email channels; a ${type} channel posts to its webhook`,
            "key",
          );
        }
      }
      const events = asList(channel.events);
      const invites = events.indexOf("invites");
      if (invites !== -1) {
        error(
          ["notify", "channels", index, "events", invites],
          "invites go by email only: list them on an email channel",
        );
      }
    }
  });

  return findings;
}
