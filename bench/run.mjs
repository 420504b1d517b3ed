// `npm run bench`: times rota's commands on generated workloads and prints a
// table of medians (and peak memory); `--write` also records it in
// docs/benchmarks.md with a description of the machine.
//
//   node bench/run.mjs [--runs N] [--only NAME,...] [--write]
//
// Each case lives in bench/cases/*.mjs and exports `cases`: a list of
//   { name, group, runs?, setup(dir) → Promise<void>, reset?(dir), command: string[] | (dir) => string[],
//     env?, target?, series?, people?, interleave? }
// `setup` prepares a working directory once; the command then runs `runs`
// times in it as a separate process (node bin/rota.js …, or any argv when
// `command[0]` is "node" or "sh"), after `reset` (untimed) when given. Peak
// memory is the child's maximum RSS; CPU is its user + system time, which
// next to the wall time shows what waited on the disk. Cases of one `series`
// at different `people` counts also get the growth of the median per 10×
// people.

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

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin", "rota.js");
const RSS_HOOK = path.join(ROOT, "bench", "rss-hook.cjs");

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const RUNS = Number(flag("--runs") ?? 5);
const ONLY = flag("--only")?.split(",");
const WRITE = args.includes("--write");

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs argv once in dir; wall time in ms and the child's peak RSS in MiB. */
function runOnce(argv, dir, env) {
  const [program, ...rest] =
    argv[0] === "node" || argv[0] === "sh" ? argv : [process.execPath, BIN, ...argv];
  const exe = program === "node" ? process.execPath : program;
  const full = exe === process.execPath ? ["-r", RSS_HOOK, ...rest] : rest;
  const started = process.hrtime.bigint();
  const result = spawnSync(exe, full, {
    cwd: dir,
    env: { ...process.env, ...env, ROTA_BENCH_RSS: "1" },
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${argv.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  const match = /ROTA_BENCH_RSS=(\d+) ROTA_BENCH_CPU=(\d+)/.exec(result.stderr);
  return {
    ms,
    rss: match ? Number(match[1]) / 1024 : Number.NaN,
    cpu: match ? Number(match[2]) : Number.NaN,
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
  return ONLY ? all.filter((c) => ONLY.some((o) => c.name.includes(o) || c.group === o)) : all;
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

const rows = [];
for (const batch of batches(await loadCases())) {
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
      runOnce(entry.argv, dir, bench.env); // warm the file cache and compile cache
    }
    const runs = Math.max(...batch.map((bench) => bench.runs ?? RUNS));
    for (let i = 0; i < runs; i++) {
      for (const { bench, dir, argv, samples } of prepared) {
        if (i >= (bench.runs ?? RUNS)) continue;
        bench.reset?.(dir);
        samples.push(runOnce(argv, dir, bench.env));
      }
    }
    for (const { bench, samples } of prepared) {
      const row = {
        group: bench.group,
        name: bench.name,
        runs: samples.length,
        median: median(samples.map((s) => s.ms)),
        min: Math.min(...samples.map((s) => s.ms)),
        rss: Math.max(...samples.map((s) => s.rss)),
        cpu: median(samples.map((s) => s.cpu)),
        target: bench.target ?? "",
        series: bench.series,
        people: bench.people,
      };
      rows.push(row);
      process.stderr.write(
        `${bench.name}: median ${row.median.toFixed(0)} ms, peak ${row.rss.toFixed(0)} MiB\n`,
      );
    }
  } finally {
    for (const { dir } of prepared) rmSync(dir, { recursive: true, force: true });
  }
}

// Ratios against `node -e 0` for the start-up group.
const baseline = rows.find((r) => r.name === "node -e 0");
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
const table = [
  "| group | case | runs | median | min | CPU (user + sys) | × node -e 0 | growth per 10× people | peak RSS | target |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ...rows.map(
    (r) =>
      `| ${r.group} | ${r.name} | ${r.runs} | ${r.median.toFixed(0)} ms | ${r.min.toFixed(0)} ms | ${
        Number.isNaN(r.cpu) ? "" : `${r.cpu.toFixed(0)} ms`
      } | ${
        r.group === "start-up" && baseline ? `${(r.median / baseline.median).toFixed(2)}×` : ""
      } | ${growth(r)} | ${Number.isNaN(r.rss) ? "" : `${r.rss.toFixed(0)} MiB`} | ${r.target} |`,
  ),
].join("\n");
process.stdout.write(`\n${table}\n\nMachine: ${machine()}\n`);

if (WRITE) {
  // The measured part goes between the markers; the text around it (what the
  // numbers mean, where a target is missed and why) is kept.
  const file = path.join(ROOT, "docs", "benchmarks.md");
  const measured = [
    "<!-- bench:start -->",
    `Machine: ${machine()}.`,
    "",
    table,
    "<!-- bench:end -->",
  ].join("\n");
  const before = existsSync(file) ? readFileSync(file, "utf8") : "";
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
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
