// `npm run bench`: times rota's commands on generated workloads and prints a
// table of medians, peak memory and, for the start-up cases, the ratio to a
// bare `node -e 0` run alongside; `--write` also records it in
// docs/benchmarks.md with a description of the machine.

const USAGE = `Usage: npm run bench -- [options]

Times rota's commands (the built CLI, run as users run it) on generated
workloads and prints a table of medians, peak memory of the measured process
and whether each target is met.

Options:
  --only NAME   run only the cases whose name, group or series is exactly NAME;
                repeat it for several (--only start-up --only who)
  --list        print every case's group and name, and run nothing
  --runs N      runs of each case that does not set its own (default 5)
  --write       record the table in docs/benchmarks.md, a block for each group
                run (whole groups only), keeping the other groups' blocks
  --keep-env    run commands with NODE_EXTRA_CA_CERTS and NODE_OPTIONS as
                set here (by default they are removed: see below)
  -h, --help    print this help

Node reads the certificate bundle NODE_EXTRA_CA_CERTS names at every start,
before any script runs; where it is set (a proxy's bundle), \`node -e 0\` takes
several times as long and a command's own start-up looks smaller beside it.
`;

// Each case lives in bench/cases/*.mjs and exports `cases`: a list of
//   { name, group, runs?, setup(dir) → Promise<void>, reset?(dir), command: string[] | (dir) => string[],
//     env?, target?: { ratio?, ms?, rss?, relative?: { name, times }, note? }, verify?(dir),
//     series?, people?, interleave?, exit? }
// `exit` is the status the command must end with (by default 0 or 1: clean,
// or warnings); a case timing a roster with an error expects 2.
// `verify(dir)`, run after each timed run, says whether the target's `note`
// held (for example, that a run with nothing changed wrote no file).
// `setup` prepares a working directory once; the command then runs `runs`
// times in it as a separate process (node bin/rota.js …, or any argv when
// `command[0]` is "node" or "sh"), after `reset` (untimed) when given, and
// after the disk has written back what earlier runs and resets left (sync,
// untimed). What cases and the runner remove is moved aside and deleted when
// the bench ends (see trash.mjs): a run creating 50,000 files would
// otherwise pay for deleting the last run's. Each
// run is measured by /usr/bin/time, so peak memory is the measured process's
// own maximum RSS (not the runner's, which a child started by fork would
// otherwise inherit) and CPU its user + system time, which next to the wall
// time shows what waited on the disk. Cases of one `series` at different
// `people` counts also get the growth of the median per 10× people.

import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setAside, waitAfterDeleting } from "./trash.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin", "rota.js");
const TIME = "/usr/bin/time";

function parseArgs(argv) {
  const options = { runs: 5, only: [], list: false, write: false, help: false, keepEnv: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "-h" || arg === "--help") options.help = true;
    else if (arg === "--list") options.list = true;
    else if (arg === "--write") options.write = true;
    else if (arg === "--keep-env") options.keepEnv = true;
    else if (arg === "--only") options.only.push(value());
    else if (arg.startsWith("--only=")) options.only.push(arg.slice("--only=".length));
    else if (arg === "--runs") options.runs = Number(value());
    else if (arg.startsWith("--runs=")) options.runs = Number(arg.slice("--runs=".length));
    else fail(`unknown option ${arg}`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) fail("--runs needs a whole number ≥ 1");
  return options;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const OPTIONS = parseArgs(process.argv.slice(2));
if (OPTIONS.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!existsSync(TIME))
  fail(`${TIME} is needed to measure each run's peak memory (apt install time)`);
const RUNS = OPTIONS.runs;

/**
 * The environment of every measured run: this one, less what changes how Node
 * itself starts (unless --keep-env), so that \`node -e 0\` and each command
 * start as they do for a user without them. Each run adds its case's `env`.
 */
const NODE_START = ["NODE_EXTRA_CA_CERTS", "NODE_OPTIONS"];
const REMOVED = OPTIONS.keepEnv ? [] : NODE_START.filter((name) => process.env[name] !== undefined);
const RUN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !REMOVED.includes(name)),
);
if (!OPTIONS.list) {
  // The built CLI is what users run: build it from the current sources first.
  const built = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], {
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const ONLY = OPTIONS.only.length ? OPTIONS.only : undefined;
const WRITE = OPTIONS.write;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const USAGE_FILE = path.join(os.tmpdir(), `rota-bench-usage-${process.pid}`);
process.on("exit", () => rmSync(USAGE_FILE, { force: true }));

/** Waits for the disk to write back every file written or removed so far (where `sync` exists). */
function settle() {
  spawnSync("sync", [], { stdio: "ignore" });
}

/** Runs argv once in dir; wall time in ms, the process's peak RSS in MiB and its CPU in ms. */
function runOnce(argv, dir, env, exit) {
  const [program, ...rest] = argv[0] === "node" || argv[0] === "sh" ? argv : ["node", BIN, ...argv];
  const exe = program === "node" ? process.execPath : program;
  rmSync(USAGE_FILE, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(TIME, ["-o", USAGE_FILE, "-f", "%M %U %S", exe, ...rest], {
    cwd: dir,
    env: { ...RUN_ENV, ...env },
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (exit === undefined ? result.status !== 0 && result.status !== 1 : result.status !== exit) {
    throw new Error(`${argv.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  // On a non-zero exit, time writes "Command exited with non-zero status N" first.
  const last = readFileSync(USAGE_FILE, "utf8").trim().split("\n").pop() ?? "";
  const match = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
  return {
    ms,
    rss: match ? Number(match[1]) / 1024 : Number.NaN,
    cpu: match ? (Number(match[2]) + Number(match[3])) * 1000 : Number.NaN,
  };
}

async function loadCases() {
  const dir = path.join(ROOT, "bench", "cases");
  const all = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".mjs"))
    .sort()) {
    const module = await import(pathToFileURL(path.join(dir, file)).href);
    all.push(...module.cases);
  }
  if (!ONLY) return { all, selected: all };
  const unknown = ONLY.filter((o) => !all.some((c) => [c.name, c.group, c.series].includes(o)));
  if (unknown.length)
    fail(`no case, group or series named ${unknown.map((o) => `"${o}"`).join(", ")} (see --list)`);
  const selected = all.filter((c) => ONLY.some((o) => [c.name, c.group, c.series].includes(o)));
  if (WRITE) {
    // Each group is recorded whole, on one machine line: a part of one would leave the rest stale beside it.
    const partial = [...new Set(selected.map((c) => c.group))].filter((group) =>
      all.some((c) => c.group === group && !selected.includes(c)),
    );
    if (partial.length) {
      fail(
        `--write records whole groups: add ${partial.map((g) => `--only ${g}`).join(" ")} to run every case of ${partial.length > 1 ? "those groups" : "that group"}`,
      );
    }
  }
  return { all, selected };
}

function machine() {
  const cpus = os.cpus();
  return [
    `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}`,
    `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`,
    `${os.type()} ${os.release()} (${os.arch()})`,
    `Node ${process.version}`,
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
    ...(REMOVED.length > 0 ? [`runs without ${REMOVED.join(" and ")} (set here)`] : []),
    ...(OPTIONS.keepEnv
      ? NODE_START.filter((name) => process.env[name] !== undefined).map((name) => `${name} kept`)
      : []),
  ].join(", ");
}

/**
 * The cases in batches: a case alone, or consecutive cases marked
 * `interleave` in the same group, whose runs take turns (a, b, c, a, b, c…)
 * so that a busy moment of the machine slows them all alike and their
 * ratios stay meaningful.
 */
function batches(cases) {
  const out = [];
  for (const bench of cases) {
    const last = out[out.length - 1];
    if (bench.interleave && last?.[0].interleave && last[0].group === bench.group) last.push(bench);
    else out.push([bench]);
  }
  return out;
}

const { all: ALL_CASES, selected } = await loadCases();
if (OPTIONS.list) {
  for (const c of selected) process.stdout.write(`${c.group}\t${c.name}\n`);
  process.exit(0);
}

/** The paired ratio: the median of each run's time over the baseline's in the same round. */
function pairedRatio(samples, baseline) {
  const n = Math.min(samples.length, baseline.length);
  return median(Array.from({ length: n }, (_, i) => samples[i].ms / baseline[i].ms));
}

/**
 * A fixed piece of work that runs no rota code (numbers drawn from a fixed
 * seed, sorted, a list of records written as JSON and read back): its time
 * says how fast this machine was during the bench, before the cases and
 * after them, so tables recorded at different times can be told apart from
 * changes in rota.
 */
const REFERENCE = `
let seed = 42;
const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const numbers = Array.from({ length: 500_000 }, next).sort((a, b) => a - b);
const records = Array.from({ length: 100_000 }, (_, i) => ({ id: "p" + i, n: numbers[i * 5], tags: [i % 7, i % 11] }));
if (JSON.parse(JSON.stringify(records)).length !== records.length) process.exit(1);
`;

/** The median wall time of the reference work, in ms, over five runs. */
function referenceMs() {
  const samples = [];
  for (let i = 0; i < 5; i++) samples.push(runOnce(["node", "-e", REFERENCE], ROOT, {}).ms);
  return median(samples);
}

const BASELINE = "node -e 0";
const wait = waitAfterDeleting();
if (wait > 0) {
  process.stderr.write(
    `waiting ${Math.ceil(wait / 1000)} s: an earlier bench deleted its files less than a minute ago, and creating files right after costs this disk much more (see docs/benchmarks.md)\n`,
  );
  await new Promise((resolve) => setTimeout(resolve, wait));
}
process.stderr.write("reference work: timing…\n");
const referenceBefore = referenceMs();
const rows = [];
for (const batch of batches(selected)) {
  const prepared = [];
  try {
    for (const bench of batch) {
      const dir = mkdtempSync(path.join(os.tmpdir(), "rota-bench-"));
      const entry = { bench, dir, argv: [], samples: [] };
      prepared.push(entry);
      process.stderr.write(`${bench.name}: setting up…\n`);
      await bench.setup?.(dir);
      entry.argv = typeof bench.command === "function" ? bench.command(dir) : bench.command;
      bench.reset?.(dir);
      runOnce(entry.argv, dir, bench.env, bench.exit); // warm the file cache and compile cache
    }
    const runs = Math.max(...batch.map((bench) => bench.runs ?? RUNS));
    for (let i = 0; i < runs; i++) {
      for (const { bench, dir, argv, samples } of prepared) {
        if (i >= (bench.runs ?? RUNS)) continue;
        bench.reset?.(dir);
        settle();
        samples.push({
          ...runOnce(argv, dir, bench.env, bench.exit),
          ok: bench.verify?.(dir) ?? true,
        });
      }
    }
    const baseline = prepared.find((p) => p.bench.name === BASELINE)?.samples;
    for (const { bench, samples } of prepared) {
      const row = {
        group: bench.group,
        name: bench.name,
        runs: samples.length,
        median: median(samples.map((s) => s.ms)),
        min: Math.min(...samples.map((s) => s.ms)),
        rss: Math.max(...samples.map((s) => s.rss)),
        cpu: median(samples.map((s) => s.cpu)),
        ratio: baseline ? pairedRatio(samples, baseline) : undefined,
        verified: samples.every((s) => s.ok),
        target: bench.target,
        series: bench.series,
        people: bench.people,
      };
      rows.push(row);
      process.stderr.write(
        `${bench.name}: median ${row.median.toFixed(0)} ms, peak ${row.rss.toFixed(0)} MiB${
          row.ratio === undefined ? "" : `, ${row.ratio.toFixed(2)}× ${BASELINE}`
        }\n`,
      );
    }
  } finally {
    for (const { dir } of prepared) setAside(dir);
  }
}

/**
 * How the median grew per 10× people against the next smaller size of the
 * same series: (t / t_smaller) ^ (1 / log10(people / people_smaller)).
 */
function growth(row) {
  if (!row.series) return "";
  const smaller = rows
    .filter((r) => r.series === row.series && r.people < row.people)
    .sort((a, b) => b.people - a.people)[0];
  if (!smaller) return "";
  const perDecade = (row.median / smaller.median) ** (1 / Math.log10(row.people / smaller.people));
  return `${perDecade.toFixed(1)}×`;
}

const seconds = (ms) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);
/** The target as text, and whether the row meets it: "" when the case has none. */
function verdict(row) {
  const t = row.target;
  if (!t) return "";
  const parts = [];
  let met = true;
  if (t.ratio !== undefined) {
    parts.push(`≤ ${t.ratio}× ${BASELINE}`);
    met &&= row.ratio !== undefined && row.ratio <= t.ratio;
  }
  if (t.ms !== undefined) {
    parts.push(`≤ ${seconds(t.ms)}`);
    met &&= row.median <= t.ms;
  }
  if (t.rss !== undefined) {
    parts.push(`≤ ${t.rss} MiB`);
    met &&= row.rss <= t.rss;
  }
  if (t.relative !== undefined) {
    // { relative: { name, times } }: time and memory within `times` of another case's.
    const other = rows.find((r) => r.name === t.relative.name);
    parts.push(`≤ ${t.relative.times}× "${t.relative.name}"`);
    met &&=
      other !== undefined &&
      row.median <= t.relative.times * other.median &&
      row.rss <= t.relative.times * other.rss;
  }
  if (t.note) {
    // A note is a claim the case checks after each run with its `verify`.
    parts.push(t.note);
    met &&= row.verified;
  }
  return `${parts.join(", ")}: **${met ? "met" : "missed"}**`;
}

const table = [
  `| group | case | runs | median | min | CPU (user + sys) | × ${BASELINE} (paired) | growth per 10× people | peak RSS | target |`,
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ...rows.map(
    (r) =>
      `| ${r.group} | ${r.name} | ${r.runs} | ${r.median.toFixed(0)} ms | ${r.min.toFixed(0)} ms | ${
        Number.isNaN(r.cpu) ? "" : `${r.cpu.toFixed(0)} ms`
      } | ${r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`} | ${growth(r)} | ${
        Number.isNaN(r.rss) ? "" : `${r.rss.toFixed(0)} MiB`
      } | ${verdict(r)} |`,
  ),
].join("\n");
const described = `Machine: ${machine()}; recorded ${new Date().toISOString().slice(0, 10)}.`;
const reference = `Reference work (no rota code, median of five runs): ${referenceBefore.toFixed(0)} ms before the cases, ${referenceMs().toFixed(0)} ms after.`;
process.stdout.write(`\n${table}\n\n${described}\n${reference}\n`);

if (WRITE) {
  // Each group ran is recorded between the markers as a block of its own,
  // with this run's machine line; the other groups' blocks, recorded by
  // earlier runs (perhaps on a faster or slower machine), and the text around
  // the markers (what the numbers mean, where a target is missed and why) are kept.
  const file = path.join(ROOT, "docs", "benchmarks.md");
  const before = existsSync(file) ? readFileSync(file, "utf8") : "";
  const marked = /<!-- bench:start -->\n([\s\S]*?)<!-- bench:end -->/;
  const blocks = new Map();
  const parts = (marked.exec(before)?.[1] ?? "").split(/^<!-- bench:group (.+) -->\n/m);
  for (let i = 1; i < parts.length; i += 2) blocks.set(parts[i], parts[i + 1].trim());
  for (const group of new Set(rows.map((r) => r.group))) {
    const lines = table.split("\n");
    const own = lines.slice(2).filter((line) => line.startsWith(`| ${group} |`));
    blocks.set(group, [described, reference, "", ...lines.slice(0, 2), ...own].join("\n"));
  }
  // In the order of the cases; a group no case has any more is dropped.
  const order = [...new Set(ALL_CASES.map((c) => c.group))];
  const measured = [
    "<!-- bench:start -->",
    ...order
      .filter((group) => blocks.has(group))
      .flatMap((group) => [`<!-- bench:group ${group} -->`, blocks.get(group), ""]),
    "<!-- bench:end -->",
  ].join("\n");
  const doc = marked.test(before)
    ? before.replace(marked, () => measured)
    : [
        "# Benchmarks",
        "",
        "Written by `npm run bench -- --write`: medians of separate runs of the built CLI",
        "(each a new process), after one warm-up run; CPU is the median user + system time,",
        "peak RSS the child's maximum resident memory. Rosters are generated by",
        "`bench/generate.mjs` with a fixed seed.",
        "",
        measured,
        "",
      ].join("\n");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, doc);
  process.stderr.write("wrote docs/benchmarks.md\n");
}
