import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

// What `rota plan` writes and prints for a few rosters, byte for byte, as
// committed: planning may get faster, never different. ROTA_UPDATE_GOLDEN=1
// writes the files again (for a change of output made on purpose).
const DIR = path.join(import.meta.dirname, "fixtures", "plan-golden");
const UPDATE = process.env.ROTA_UPDATE_GOLDEN === "1";

interface Case {
  name: string;
  roster: string;
  /** The schedule planned before, from another case's output. */
  previous?: string;
  now: string;
  args: string[];
}

const CASES: Case[] = [
  // Overlapping shifts (EMEA and Americas), a pro seat, newcomers, holidays.
  { name: "example", roster: "roster.example.yaml", now: "2026-11-23T06:00:00Z", args: [] },
  {
    name: "example-json",
    roster: "roster.example.yaml",
    now: "2026-11-23T06:00:00Z",
    args: ["--json"],
  },
  // Few pros, many guests.
  {
    name: "pros-and-guests-md",
    roster: "examples/pros-and-guests.yaml",
    now: "2026-11-23T06:00:00Z",
    args: ["--format", "md"],
  },
  // The benchmark's generator, small: teams, weights, time off, joins and leavers.
  {
    name: "generated-60",
    roster: "test/fixtures/plan-golden/generated-60.yaml",
    now: "2026-11-23T06:00:00Z",
    args: [],
  },
  // A week later: someone left, someone joins mid-horizon.
  {
    name: "generated-60-changed",
    roster: "test/fixtures/plan-golden/generated-60-changed.yaml",
    previous: "generated-60",
    now: "2026-11-30T10:00:00Z",
    args: [],
  },
];

describe("rota plan, byte for byte", () => {
  test.each(CASES)("$name", async ({ name, roster, previous, now, args }) => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, roster), path.join(dir, "roster.yaml"));
    if (previous) {
      copyFileSync(path.join(DIR, `${previous}.schedule.yaml`), path.join(dir, "schedule.yaml"));
    }
    const result = await rota(["plan", ...args], {
      cwd: dir,
      env: { ROTA_NOW: now, COLUMNS: "100" },
    });
    expect(result.code, result.stderr).toBe(0);
    const outputs = {
      "schedule.yaml": readFileSync(path.join(dir, "schedule.yaml"), "utf8"),
      stdout: result.stdout,
      stderr: result.stderr,
    };
    for (const [kind, text] of Object.entries(outputs)) {
      const file = path.join(DIR, `${name}.${kind === "schedule.yaml" ? kind : `${kind}.txt`}`);
      if (UPDATE) writeFileSync(file, text);
      expect(text, `${name}: ${kind}`).toBe(readFileSync(file, "utf8"));
    }
  });
});
