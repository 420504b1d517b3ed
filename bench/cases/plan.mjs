// Planning: generated companies, fresh and replanning after a change; the
// real command, writing schedule.yaml and showing the rota.

import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateRoster } from "../generate.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NOW = { ROTA_NOW: "2026-11-23T06:00:00Z" };

function team({ people, weeks, shifts, seats, plan = false }) {
  return async (dir) => {
    writeFileSync(path.join(dir, "roster.yaml"), generateRoster({ people, weeks, shifts, seats }));
    if (plan) {
      const result = spawnSync(
        process.execPath,
        [path.join(ROOT, "bin", "rota.js"), "plan", "--json"],
        {
          cwd: dir,
          env: { ...process.env, ...NOW },
          maxBuffer: 1 << 30,
        },
      );
      if (result.status !== 0) throw new Error(result.stderr.toString());
      // A change: one person leaves the company (their future seats are replanned).
      const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
      writeFileSync(path.join(dir, "roster.yaml"), roster.replace(/ {2}- \{ id: p7, .*\n/, ""));
      copyFileSync(path.join(dir, "schedule.yaml"), path.join(dir, "schedule.before"));
    }
  };
}

export const cases = [
  {
    group: "plan",
    name: "plan 5,000 people × 1 year × 3 shifts × 2 seats (fresh)",
    setup: team({ people: 5000, weeks: 52, shifts: 3, seats: 2 }),
    reset: (dir) => rmSync(path.join(dir, "schedule.yaml"), { force: true }),
    command: ["plan"],
    env: NOW,
  },
  {
    group: "plan",
    name: "plan 5,000 people × 1 year × 3 shifts × 2 seats (replan, one person left)",
    setup: team({ people: 5000, weeks: 52, shifts: 3, seats: 2, plan: true }),
    reset: (dir) =>
      copyFileSync(path.join(dir, "schedule.before"), path.join(dir, "schedule.yaml")),
    command: ["plan"],
    env: NOW,
  },
];
