import { readFileSync } from "node:fs";
import path from "node:path";
import type { Roster, Shift } from "../../src/core/roster/model.ts";
import { parseRoster } from "../../src/core/roster/parse.ts";
import { ROOT } from "./cli.ts";

/** A roster file of the repository, parsed and valid. */
export function loadRosterFile(file: string): Roster {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const { roster, problems } = parseRoster(text, file);
  if (!roster) throw new Error(`${file} is invalid: ${JSON.stringify(problems)}`);
  return roster;
}

/** A small valid roster, with overrides. */
export function roster(overrides: Partial<Roster> = {}): Roster {
  return {
    version: 1,
    team: "Acme",
    timezone: "Europe/Berlin",
    horizon_weeks: 4,
    shifts: [
      {
        id: "day",
        days: ["mon", "tue", "wed", "thu", "fri"],
        start: "09:00",
        end: "17:00",
        seats: [{ role: "any" }],
      },
    ],
    people: [
      { id: "ada", name: "Ada" },
      { id: "bob", name: "Bob" },
      { id: "cy", name: "Cy" },
    ],
    ...overrides,
  };
}

export const at = (iso: string) => Date.parse(iso);

/** A weekday shift "day", 09:00 to 17:00, with a seat for each role given. */
export function dayShift(...roles: string[]): Shift {
  return {
    id: "day",
    days: ["mon", "tue", "wed", "thu", "fri"],
    start: "09:00",
    end: "17:00",
    seats: roles.map((role) => ({ role })),
  };
}
