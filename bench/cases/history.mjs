// The commands that read history or many files: `rota log` over a large
// roster's commits and over a long history of a small one, and `rota site`
// over ~50,000 notes, fresh and again with nothing changed.

import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateRoster } from "../generate.mjs";
import { setAside } from "../trash.mjs";
import { company } from "./report.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = path.join(ROOT, "bin", "rota.js");
const NOW = "2026-11-23T12:00:00Z";
const ENV = { ROTA_NOW: NOW };
const AN_HOUR_EARLIER = "2026-11-23T11:00:00Z";
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
};

function git(dir, args, input) {
  const result = spawnSync("git", args, { cwd: dir, env: GIT_ENV, input, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
}

/**
 * A repository whose roster.yaml took `versions.length` commits, made with
 * git fast-import (committing one by one would take minutes).
 */
function repository(dir, versions) {
  git(dir, ["init", "-q", "-b", "main"]);
  const start = Date.parse("2024-01-01T09:00:00Z") / 1000;
  const parts = [];
  versions.forEach((text, i) => {
    const data = Buffer.from(text);
    const message = `roster: change ${i + 1}`;
    parts.push(
      `commit refs/heads/main\nmark :${i + 1}\n`,
      `author Bench <bench@example.com> ${start + i * 3600} +0000\n`,
      `committer Bench <bench@example.com> ${start + i * 3600} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}\n`,
      i > 0 ? `from :${i}\n` : "",
      `M 100644 inline roster.yaml\ndata ${data.length}\n`,
      data,
      "\n",
    );
  });
  git(
    dir,
    ["fast-import", "--quiet"],
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p))),
  );
  git(dir, ["checkout", "-q", "main"]);
}

/** 12 commits of a 50,000-person roster, each adding, changing or removing a few people. */
function bigHistory(dir) {
  let roster = generateRoster({ people: 50_000, weeks: 104, shifts: 10, seats: 3 });
  const versions = [roster];
  for (let k = 1; k < 12; k++) {
    roster = roster
      .replace(`{ id: p${k * 97}, name: Person ${k * 97},`, `{ id: p${k * 97}, name: Renamed ${k},`)
      .replace(new RegExp(` {2}- \\{ id: p${k * 1000 + 1}, .*\\n`), "");
    roster += `  - { id: n${k}, name: Newcomer ${k}, team: support, joined: 2026-12-0${(k % 9) + 1} }\n`;
    versions.push(roster);
  }
  repository(dir, versions);
}

/** 10,000 commits of the example roster, one person's name changing back and forth. */
function longHistory(dir) {
  const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
  const name = /( {2}- id: ada\n {4}name: )(.+)\n/.exec(example);
  if (!name) throw new Error("roster.example.yaml: ada's name not found");
  const changed = example.replace(name[0], `${name[1]}${name[2]} Jr\n`);
  repository(
    dir,
    Array.from({ length: 10_000 }, (_, i) => (i % 2 ? changed : example)),
  );
}

const site = (dir) => path.join(dir, "public");

/** Every file under dir with its modification time in nanoseconds. */
function mtimes(dir) {
  const out = new Map();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    out.set(file, statSync(file, { bigint: true }).mtimeNs);
  }
  return out;
}
const before = new Map();

export const cases = [
  {
    group: "log",
    name: "log 50,000 people, 12 commits",
    runs: 3,
    setup: bigHistory,
    command: ["log"],
    env: ENV,
    target: { ms: 5000, rss: 500 },
  },
  {
    group: "log",
    name: "log roster.example.yaml, 10,000 commits",
    runs: 3,
    setup: longHistory,
    command: ["log"],
    env: ENV,
    target: { ms: 3000 },
  },
  {
    group: "site",
    name: "site 200 people × 10 years daily × ~50,000 notes (fresh)",
    runs: 3,
    setup: company,
    reset: (dir) => setAside(site(dir)),
    command: ["site"],
    env: ENV,
    target: { ms: 5000, rss: 500 },
  },
  {
    group: "site",
    name: "site 200 people × 10 years daily × ~50,000 notes, nothing changed (an hour later)",
    runs: 3,
    // The site as an earlier run left it, an hour before: nothing changed
    // since but the clock. Put back before each run, untimed.
    setup: async (dir) => {
      await company(dir);
      const result = spawnSync(process.execPath, [BIN, "site"], {
        cwd: dir,
        env: { ...process.env, ROTA_NOW: AN_HOUR_EARLIER },
      });
      if (result.status !== 0) throw new Error(`rota site: ${result.stderr}`);
      cpSync(site(dir), `${site(dir)}.before`, { recursive: true, preserveTimestamps: true });
    },
    reset: (dir) => {
      setAside(site(dir));
      cpSync(`${site(dir)}.before`, site(dir), { recursive: true, preserveTimestamps: true });
      before.set(dir, mtimes(site(dir)));
    },
    verify: (dir) => {
      const after = mtimes(site(dir));
      const was = before.get(dir);
      return after.size === was.size && [...after].every(([file, t]) => was.get(file) === t);
    },
    command: ["site"],
    env: ENV,
    target: { note: "writes nothing" },
  },
];
