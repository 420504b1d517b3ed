import { type ConflictBlock, conflictLines, findConflicts } from "../conflict.ts";
import { namelessKey, type Problem, plural, sortProblems } from "../problems.ts";
import { DATE, explainBadDate, isRealDate, SLUG } from "../roster/formats.ts";
import { type Path, parseYaml } from "../yaml.ts";
import {
  checkEntry,
  checkOffRoster,
  declaredEntryCount,
  type OffRosterRange,
  readCanonicalSchedule,
  type Schedule,
  type ScheduleEntry,
} from "./schedule.ts";

export type ParsedSchedule = { ok: true; schedule: Schedule } | { ok: false; problems: Problem[] };

const REGENERATE =
  "; schedule.yaml is generated: restore it from git (`git checkout -- FILE`, or from an earlier commit if the damage was committed) and run `rota plan`";

export interface ScheduleReadOptions {
  /**
   * Whether git holds the file as unmerged (a merge, rebase or cherry-pick
   * stopped on it), which decides how to resolve conflict markers in it.
   */
  unmerged?: boolean;
}

/**
 * Reads schedule.yaml. The lines `rota plan` writes are read directly; anything
 * else (a hand edit) goes through the YAML parser, so that every problem is
 * reported with its line and column and the way to regenerate the file.
 */
export function parseSchedule(
  text: string,
  file: string,
  options: ScheduleReadOptions = {},
): ParsedSchedule {
  const canonical = readCanonicalSchedule(text);
  if (canonical) return { ok: true, schedule: canonical };
  const conflicts = findConflicts(text);
  if (conflicts.length > 0) {
    return { ok: false, problems: [conflictProblem(conflicts, file, options.unmerged === true)] };
  }
  return parseAnyYaml(text, file);
}

/**
 * Conflict markers in schedule.yaml. Nobody should resolve them line by line:
 * the file is generated, so one side is taken whole and `rota plan` makes it
 * agree with the merged roster. `git checkout -- FILE` fails on an unmerged
 * path; `--theirs`/`--ours` pick a side of it.
 */
function conflictProblem(blocks: ConflictBlock[], file: string, unmerged: boolean): Problem {
  const first = blocks[0] as ConflictBlock;
  const where =
    blocks.length === 1
      ? conflictLines(first)
      : `${conflictLines(first)} and ${plural(blocks.length - 1, "more place")}`;
  const message = unmerged
    ? `merge conflict in ${file} (${where}): it is generated, so do not edit it; take either side whole and plan again: \`git checkout --theirs -- ${file}\` (or \`--ours\` for your side), then \`rota plan\` and \`git add ${file}\``
    : `merge-conflict markers in ${file} (${where}): it is generated, so do not edit it; restore it from a commit before the conflict (\`git log -- ${file}\`, then \`git checkout COMMIT -- ${file}\`) and run \`rota plan\``;
  return { file, line: first.start, col: 1, severity: "error", message };
}

function parseAnyYaml(text: string, file: string): ParsedSchedule {
  const problem = (line: number, col: number, message: string): Problem => ({
    file,
    line,
    col,
    severity: "error",
    message: `${message}${REGENERATE.replace("FILE", file)}`,
  });
  const parsed = parseYaml(text, file);
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.problems.map((p) => problem(p.line, p.col, p.message)),
    };
  }
  const { value, locate } = parsed.yaml;
  const at = (path: Path, message: string, anchor: "key" | "value" = "value") => {
    const { line, col } = locate(path, anchor);
    return problem(line, col, message);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, problems: [at([], "the schedule must be a mapping")] };
  }
  const root = value as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(root)) {
    if (key === "") problems.push(at([key], namelessKey("the schedule"), "key"));
    else if (!["version", "planned_until", "counted_from", "off_roster", "shifts"].includes(key)) {
      problems.push(at([key], `unknown key "${key}"`, "key"));
    }
  }
  if (root.version !== 1) problems.push(at(["version"], "version must be 1"));
  const plannedUntil = root.planned_until;
  if (
    plannedUntil !== undefined &&
    (typeof plannedUntil !== "string" || !DATE.test(plannedUntil))
  ) {
    problems.push(at(["planned_until"], "planned_until must be a date like 2026-12-01"));
  } else if (typeof plannedUntil === "string" && !isRealDate(plannedUntil)) {
    problems.push(at(["planned_until"], explainBadDate(plannedUntil)));
  }
  const counted = root.counted_from;
  if (counted !== undefined) {
    if (counted === null || typeof counted !== "object" || Array.isArray(counted)) {
      problems.push(at(["counted_from"], "counted_from must map person ids to dates"));
    } else {
      for (const [id, date] of Object.entries(counted)) {
        if (id === "") problems.push(at(["counted_from", id], namelessKey("counted_from"), "key"));
        else if (!SLUG.test(id)) problems.push(at(["counted_from", id], "not a person id", "key"));
        else if (typeof date !== "string" || !DATE.test(date)) {
          problems.push(at(["counted_from", id], "must be a date like 2026-12-01"));
        } else if (!isRealDate(date)) {
          problems.push(at(["counted_from", id], explainBadDate(date)));
        }
      }
    }
  }
  const off = root.off_roster;
  if (off !== undefined) {
    if (off === null || typeof off !== "object" || Array.isArray(off)) {
      problems.push(at(["off_roster"], "off_roster must map person ids to lists of ranges"));
    } else {
      for (const [id, ranges] of Object.entries(off)) {
        const wrong = checkOffRoster(ranges);
        if (id === "") problems.push(at(["off_roster", id], namelessKey("off_roster"), "key"));
        else if (!SLUG.test(id)) problems.push(at(["off_roster", id], "not a person id", "key"));
        else if (wrong) problems.push(at(["off_roster", id], wrong));
      }
    }
  }
  if (!Array.isArray(root.shifts)) {
    problems.push(at(["shifts"], "shifts must be a list of occurrences"));
    return { ok: false, problems };
  }
  const ids = new Map<string, number>();
  root.shifts.forEach((entry, index) => {
    const wrong = checkEntry(entry);
    if (wrong) {
      const [key, message] = wrong;
      // A key with no name is placed at itself, "" as the data has it.
      const place = key === "" ? "key" : "value";
      problems.push(
        at(key !== undefined ? ["shifts", index, key] : ["shifts", index], message, place),
      );
      return;
    }
    const id = (entry as ScheduleEntry).id;
    const first = ids.get(id);
    if (first !== undefined) {
      problems.push(
        at(
          ["shifts", index, "id"],
          `duplicate occurrence "${id}" (first at line ${locate(["shifts", first]).line})`,
        ),
      );
    } else {
      ids.set(id, index);
    }
  });
  const declared = declaredEntryCount(text);
  const count = root.shifts.length;
  if (declared && declared.count !== count) {
    if (count < declared.count) {
      // Point at the end, where the missing lines would be.
      problems.push(
        problem(
          text.split("\n").length,
          1,
          `the file ends after ${count} of the ${declared.count} entries that line ${declared.line} counts: it was cut short`,
        ),
      );
    } else {
      problems.push(
        problem(
          declared.line,
          1,
          `line ${declared.line} counts ${declared.count} entries but the file has ${count}: lines were added by hand or by a merge`,
        ),
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  const entries = (root.shifts as ScheduleEntry[]).map((entry) => ({ ...entry }));
  return {
    ok: true,
    schedule: {
      ...(typeof plannedUntil === "string" ? { plannedUntil } : {}),
      ...(counted ? { countedFrom: counted as Record<string, string> } : {}),
      ...(off ? { offRoster: off as Record<string, OffRosterRange[]> } : {}),
      entries,
    },
  };
}
