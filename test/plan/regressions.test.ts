import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { planRota } from "../../src/core/plan/planner.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import { renderSchedule } from "../../src/core/schedule/schedule.ts";
import { violations } from "../helpers/invariants.ts";

// Rosters the property tests once found a plan for that planning again from
// it changed (each file names what was wrong): kept so they stay fixed.
const DIR = path.join(import.meta.dirname, "..", "fixtures", "plan-regressions");

describe("plans found unstable once", () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith(".json"))) {
    test(file.replace(/\.json$/, "").replaceAll("-", " "), () => {
      const { roster, now } = JSON.parse(readFileSync(path.join(DIR, file), "utf8")) as {
        roster: Roster;
        now: number;
      };
      const first = planRota({ roster, previous: { entries: [] }, now });
      expect(violations(roster, first, now)).toEqual([]);
      const again = planRota({ roster, previous: first.schedule, now });
      expect(again.changes).toEqual([]);
      expect(renderSchedule(again.schedule)).toBe(renderSchedule(first.schedule));
    });
  }
});
