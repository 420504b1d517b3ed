import { toDay } from "../dates.ts";
import { plural } from "../problems.ts";
import { ANY_ROLE } from "../roster/formats.ts";
import type { CheckGap, ScheduleCheck } from "../schedule/check.ts";
import { wrapText } from "./fit.ts";
import { formatDay, renderChangesText } from "./rota.ts";
import { escapeMarkdown } from "./style.ts";

/**
 * What `rota plan --check` prints: the same findings as text for a terminal,
 * as markdown for a pull request's job summary, and as JSON for scripts. The
 * sentences are shared: names of keys, flags and commands stand in code
 * spans, so only the file name needs escaping in markdown.
 */

const REPLAN = "run `rota plan` and commit the result";

/** `6 weeks`, `2.5 weeks`, `40 days`: days as the roster's rule counts them. */
function span(days: number): string {
  return days % 3.5 === 0 ? plural(days / 7, "week") : plural(days, "day");
}

const capital = (text: string) => `${text.slice(0, 1).toUpperCase()}${text.slice(1)}`;
const uncapital = (text: string) => `${text.slice(0, 1).toLowerCase()}${text.slice(1)}`;

/** The heading of a short schedule: the day it runs out. */
function shortHeading(file: string, check: ScheduleCheck): string {
  if (check.plannedUntil === null) return `${file} has no \`planned_until\``;
  const day = `${formatDay(toDay(check.plannedUntil))} (\`planned_until\`)`;
  return check.daysAhead <= 0 ? `${file} ran out on ${day}` : `${file} runs out on ${day}`;
}

/** How short it is, and the fix. */
function shortText(check: ScheduleCheck): string {
  const fix = `${capital(REPLAN)} (the CI job's weekly run proposes it as a pull request).`;
  const wanted = `the roster asks for at least ${span(check.planAheadDays)} planned ahead (\`rules.plan_ahead_weeks\`)`;
  if (check.plannedUntil === null) return `Nothing is known to be planned ahead; ${wanted}. ${fix}`;
  return check.daysAhead <= 0
    ? `Nothing is planned from then on, so nobody is on support; ${wanted}. ${fix}`
    : `${capital(plural(check.daysAhead, "day"))} from today; ${wanted}. ${fix}`;
}

/** What would fill the gaps, from what kept each seat empty. */
export function gapAdvice(gaps: readonly CheckGap[]): string {
  const roles = [...new Set(gaps.map((gap) => gap.role).filter((role) => role !== ANY_ROLE))];
  const ways: string[] = [];
  if (roles.length > 0) {
    const list = roles.map((role) => `\`roles: [${role}]\``).join(" or ");
    ways.push(
      `add someone who can take ${roles.length === 1 ? `a ${roles[0]} seat` : "those seats"} on those days (a person or a team with ${list})`,
    );
  }
  if (gaps.some((gap) => gap.role === ANY_ROLE)) {
    ways.push("let more people take those shifts (a person's `shifts` list)");
  }
  if (gaps.some((gap) => / away\b/.test(gap.reason))) ways.push("move time off that leaves nobody");
  if (gaps.some((gap) => gap.reason.includes("overlapping shift"))) {
    ways.push("record a swap (`rota swap`) that frees someone from an overlapping shift");
  }
  const listed =
    ways.length <= 2 ? ways.join(" or ") : `${ways.slice(0, -1).join(", ")}, or ${ways.at(-1)}`;
  return `To fill ${gaps.length === 1 ? "it" : "them"}: ${listed}; then ${REPLAN}.`;
}

function knownVerdict(check: ScheduleCheck, count: number): string {
  const [they, them] = count === 1 ? ["it fails", "it"] : ["they fail", "them"];
  return check.failOnGaps
    ? `${they} this check (\`--fail-on-gaps\`)`
    : `replanning cannot fill ${them}, so ${count === 1 ? "it does" : "they do"} not fail this check (\`--fail-on-gaps\` makes ${count === 1 ? "it" : "them"})`;
}

/** A gap as `rota plan` lists it: indented, and wrapped under itself. */
function gapText(gap: CheckGap, width: number | undefined): string[] {
  return wrapText(`${gap.id}  ${gap.role} seat: ${gap.reason}`, width, "  ", "    ");
}

function gapMarkdown(gap: CheckGap): string {
  const md = escapeMarkdown;
  return `- **${md(gap.id)}**, ${md(gap.role)} seat: ${md(gap.reason)}`;
}

export interface CheckTextOptions {
  /** The terminal's width: the findings wrap at word boundaries to fit it; no limit when absent. */
  width?: number | undefined;
}

/**
 * The findings for a terminal (stdout), wrapped to its width, and one line for
 * stderr: the verdict, or what to do.
 */
export function renderCheckText(
  file: string,
  check: ScheduleCheck,
  options: CheckTextOptions = {},
): { out: string; err: string } {
  const width = options.width;
  const lines: string[] = [];
  const prose = (text: string, indent = "", hanging = indent) =>
    lines.push(...wrapText(text, width, indent, hanging));
  if (!check.exists) prose(`${file} does not exist: run \`rota plan\` and commit it.`);
  if (check.short) prose(`${shortHeading(file, check)}: ${uncapital(shortText(check))}`);
  if (check.changes.length > 0) {
    prose(
      `${file} is stale: \`rota plan\` would change ${plural(check.changes.length, "occurrence")}:`,
    );
    for (const line of renderChangesText(check.changes, new Map())) prose(line, "  ", "    ");
  }
  const fresh = check.gaps.filter((gap) => !gap.known);
  const known = check.gaps.filter((gap) => gap.known);
  if (fresh.length > 0) {
    prose(
      `${plural(fresh.length, "new gap")}: ${fresh.length === 1 ? "a seat" : "seats"} ${file} fills that \`rota plan\` would leave open:`,
    );
    for (const gap of fresh) lines.push(...gapText(gap, width));
  }
  if (known.length > 0) {
    prose(
      `${plural(known.length, "gap")} already in ${file}: ${knownVerdict(check, known.length)}:`,
    );
    for (const gap of known) lines.push(...gapText(gap, width));
    prose(gapAdvice(known));
  }
  const out = lines.length > 0 ? `${lines.join("\n")}\n` : "";
  if (check.ok) {
    const gaps =
      known.length > 0 ? `, ${plural(known.length, "known gap")} (listed)` : " and no gaps";
    const ahead = check.plannedUntil === null ? "" : `; planned ${span(check.daysAhead)} ahead`;
    return {
      out,
      err: `${file} is up to date: no changes before ${check.plannedUntil ?? "its end"}${gaps}${ahead}\n`,
    };
  }
  const replan = !check.exists || check.short || check.stale;
  return {
    out,
    err: replan ? `${REPLAN}\n` : "fill the gaps listed, or check without --fail-on-gaps\n",
  };
}

/** The findings as markdown, for a pull request's job summary: always something to show. */
export function renderCheckMarkdown(file: string, check: ScheduleCheck): string {
  const name = escapeMarkdown(file);
  const out: string[] = [];
  if (check.ok) {
    out.push(
      check.plannedUntil === null
        ? `${name} is up to date with the roster.`
        : `${name} is up to date with the roster, planned ${span(check.daysAhead)} ahead (through ${formatDay(toDay(check.plannedUntil) - 1)}).`,
      "",
    );
  }
  if (!check.exists)
    out.push(`### ${name} does not exist`, "", "Run `rota plan` and commit it.", "");
  if (check.short) out.push(`### ${shortHeading(name, check)}`, "", shortText(check), "");
  if (check.changes.length > 0) {
    out.push(
      `### ${name} is stale: \`rota plan\` would change ${plural(check.changes.length, "occurrence")}`,
      "",
      ...renderChangesText(check.changes, new Map()).map((line) => `- \`${line}\``),
      "",
      `The roster changed without replanning: ${REPLAN}.`,
      "",
    );
  }
  const fresh = check.gaps.filter((gap) => !gap.known);
  const known = check.gaps.filter((gap) => gap.known);
  if (fresh.length > 0) {
    out.push(
      `### ${plural(fresh.length, "new gap")}`,
      "",
      `${fresh.length === 1 ? "A seat" : "Seats"} ${name} fills that \`rota plan\` would leave open:`,
      "",
      ...fresh.map(gapMarkdown),
      "",
    );
  }
  if (known.length > 0) {
    out.push(
      `### ${plural(known.length, "gap")} already in ${name}`,
      "",
      `${capital(knownVerdict(check, known.length))}.`,
      "",
      ...known.map(gapMarkdown),
      "",
      gapAdvice(known),
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** The shape scripts read (`rota plan --check --json`): stable, keys in this order. */
export function checkJson(check: ScheduleCheck): ScheduleCheck {
  return {
    ok: check.ok,
    exists: check.exists,
    plannedUntil: check.plannedUntil,
    daysAhead: check.daysAhead,
    planAheadDays: check.planAheadDays,
    short: check.short,
    stale: check.stale,
    changes: [...check.changes],
    gaps: [...check.gaps],
    failOnGaps: check.failOnGaps,
  };
}
