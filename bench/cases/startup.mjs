// Start-up: rota's quick commands against a bare `node -e 0`, side by side;
// their runs interleave, so a busy moment of the machine slows them all alike.
import { copyFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NOW = { ROTA_NOW: "2026-11-23T10:00:00Z" };

async function exampleTeam(dir) {
  copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
  const { spawnSync } = await import("node:child_process");
  spawnSync(process.execPath, [path.join(ROOT, "bin", "rota.js"), "plan"], {
    cwd: dir,
    env: { ...process.env, ...NOW },
  });
}

export const cases = [
  {
    group: "start-up",
    name: "node -e 0",
    runs: 30,
    interleave: true,
    command: ["node", "-e", "0"],
  },
  {
    group: "start-up",
    name: "rota --help",
    runs: 30,
    interleave: true,
    command: ["--help"],
    target: { ratio: 1.3 },
  },
  // The floor under the targets: what loading rota costs before a command
  // reads anything. `--version` runs the entry alone; `validate` of a roster
  // that is not there loads validate's code too, and stops at the missing
  // file (exit 2).
  {
    group: "start-up",
    name: "rota --version (the entry alone)",
    runs: 30,
    interleave: true,
    command: ["--version"],
  },
  {
    group: "start-up",
    name: "rota validate, no roster there (its code loaded, nothing read)",
    runs: 30,
    interleave: true,
    command: ["validate", "--roster", "missing.yaml"],
    exit: 2,
  },
  {
    group: "start-up",
    name: "rota validate (roster.example.yaml)",
    runs: 30,
    interleave: true,
    setup: exampleTeam,
    command: ["validate"],
    env: NOW,
    target: { ratio: 1.3 },
  },
  {
    group: "start-up",
    name: "rota who (roster.example.yaml)",
    runs: 30,
    interleave: true,
    setup: exampleTeam,
    command: ["who"],
    env: NOW,
    target: { ratio: 1.3 },
  },
];
