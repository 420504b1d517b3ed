import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

// Monday 23 November 2026, 07:00 in Berlin: the first shift (EMEA, 09:00
// Berlin) starts at 08:00 UTC.
const NOW = "2026-11-23T06:00:00Z";
const RECORD = path.join(".rota", "cache", "plan-output");

/** A record as rota keeps it (src/io/plan-cache.ts) with other outputs: its first line, then their bytes. */
function withOutputs(record: Buffer, out: string, err = ""): Buffer {
  const end = record.indexOf(0x0a);
  const head = JSON.parse(record.subarray(0, end).toString("utf8"));
  const bytes = [Buffer.from(out), Buffer.from(err)];
  const line = JSON.stringify({ ...head, out: bytes[0]?.length, err: bytes[1]?.length });
  return Buffer.concat([Buffer.from(`${line}\n`), ...bytes]);
}

function planned(): string {
  const dir = tempDir();
  copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
  return dir;
}

const plan = (dir: string, now = NOW, env: Record<string, string> = {}, args: string[] = []) =>
  rota(["plan", ...args], { cwd: dir, env: { ROTA_NOW: now, ...env } });

describe("rota plan with nothing changed", () => {
  test("prints exactly what planning printed, and writes nothing", async () => {
    const dir = planned();
    const first = await plan(dir);
    expect(first.stderr).toContain("wrote schedule.yaml");
    expect(existsSync(path.join(dir, RECORD))).toBe(false);
    const schedule = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    const second = await plan(dir);
    expect(second.stderr).toContain("schedule.yaml unchanged");
    expect(existsSync(path.join(dir, RECORD))).toBe(true);
    const third = await plan(dir);
    expect(third).toEqual(second);
    // Kept out of git without a change to the team's .gitignore.
    execFileSync("git", ["init", "-q"], { cwd: dir });
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" })).toBe(
      "?? roster.yaml\n?? schedule.yaml\n",
    );
    expect(readFileSync(path.join(dir, "schedule.yaml"), "utf8")).toBe(schedule);
    for (const args of [["--json"], ["--format", "md"], ["--dry-run"]]) {
      const planning = await plan(dir, NOW, {}, args);
      expect(await plan(dir, NOW, {}, args)).toEqual(planning);
    }
  });

  test("is used only for the same roster, schedule, output and day, before the next shift starts", async () => {
    const dir = planned();
    await plan(dir);
    await plan(dir);
    const record = readFileSync(path.join(dir, RECORD));
    // A record that says it was used, put back before each run.
    const mark = () => writeFileSync(path.join(dir, RECORD), withOutputs(record, "REPLAYED\n"));
    const replayed = async (run: () => Promise<{ stdout: string; code: number | null }>) => {
      mark();
      const result = await run();
      expect(result.code).toBe(0);
      return result.stdout === "REPLAYED\n";
    };
    expect(await replayed(() => plan(dir))).toBe(true);
    // Later the same morning, up to the instant the first shift starts.
    expect(await replayed(() => plan(dir, "2026-11-23T07:59:00Z"))).toBe(true);
    expect(await replayed(() => plan(dir, "2026-11-23T08:00:00Z"))).toBe(true);
    // Once it has started it is in the past, so the plan is made again.
    expect(await replayed(() => plan(dir, "2026-11-23T08:00:01Z"))).toBe(false);
    // The day before (another day planned) and the day after.
    expect(await replayed(() => plan(dir, "2026-11-22T22:59:59Z"))).toBe(false);
    expect(await replayed(() => plan(dir, "2026-11-24T06:00:00Z"))).toBe(false);
    // Another way of showing it.
    expect(await replayed(() => plan(dir, NOW, { COLUMNS: "60" }))).toBe(false);
    expect(await replayed(() => plan(dir, NOW, {}, ["--json"]))).toBe(false);
    expect(await replayed(() => plan(dir, NOW, {}, ["--weeks", "2"]))).toBe(false);
    expect(await replayed(() => plan(dir, NOW, {}, ["--rebalance"]))).toBe(false);
    // A roster changed by so much as a comment.
    const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
    writeFileSync(path.join(dir, "roster.yaml"), `${roster}# a comment\n`);
    expect(await replayed(() => plan(dir))).toBe(false);
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    expect(await replayed(() => plan(dir))).toBe(true);
    // A schedule not as rota writes it (a blank line added) is written again.
    const schedule = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    writeFileSync(path.join(dir, "schedule.yaml"), `${schedule}\n`);
    mark();
    const rewritten = await plan(dir);
    expect(rewritten.stdout).not.toBe("REPLAYED\n");
    expect(rewritten.stderr).toContain("wrote schedule.yaml");
    expect(readFileSync(path.join(dir, "schedule.yaml"), "utf8")).toBe(schedule);
  });

  test("a temporary file a killed run left in the cache is removed a minute later", async () => {
    const dir = planned();
    await plan(dir);
    await plan(dir);
    const cache = path.join(dir, ".rota", "cache");
    const stale = path.join(cache, ".plan-output.4242.abc.tmp");
    const fresh = path.join(cache, ".plan-output.4243.def.tmp");
    writeFileSync(stale, "{");
    writeFileSync(fresh, "{");
    const aged = new Date(Date.now() - 120_000);
    utimesSync(stale, aged, aged);
    rmSync(path.join(dir, RECORD));
    await plan(dir);
    expect(existsSync(path.join(dir, RECORD))).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  test("a damaged record is not used", async () => {
    const dir = planned();
    await plan(dir);
    const planning = await plan(dir);
    const record = readFileSync(path.join(dir, RECORD));
    const whole = withOutputs(record, "REPLAYED\n", "and replayed\n");
    const end = whole.indexOf(0x0a);
    const head = JSON.parse(whole.subarray(0, end).toString("utf8"));
    const headed = (changes: object) =>
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ ...head, ...changes })}\n`),
        whole.subarray(end + 1),
      ]);
    // Whole, it is used (and these are the outputs it holds).
    writeFileSync(path.join(dir, RECORD), whole);
    expect((await plan(dir)).stdout).toBe("REPLAYED\n");
    const damaged = [
      // Cut short, one byte too many, nothing at all, no first line.
      whole.subarray(0, whole.length - 1),
      Buffer.concat([whole, Buffer.from("x")]),
      record.subarray(0, record.length / 2),
      Buffer.from(""),
      Buffer.from("[]"),
      Buffer.from("{}\n"),
      // Lengths that do not add up, or are not lengths.
      headed({ out: head.out + 1 }),
      headed({ out: -1, err: head.err + head.out + 1 }),
      headed({ err: "13" }),
      headed({ version: 1 }),
      // As the first version kept it: one JSON object.
      Buffer.from(JSON.stringify({ ...head, version: 1, out: "REPLAYED\n", err: "" })),
    ];
    for (const bytes of damaged) {
      writeFileSync(path.join(dir, RECORD), bytes);
      expect(await plan(dir)).toEqual(planning);
    }
  });

  test("the first version's record, a JSON file, is removed when a record is kept", async () => {
    const dir = planned();
    await plan(dir);
    await plan(dir);
    const former = path.join(dir, ".rota", "cache", "plan-output.json");
    writeFileSync(former, JSON.stringify({ version: 1, out: "REPLAYED\n" }));
    rmSync(path.join(dir, RECORD));
    const planning = await plan(dir);
    expect(planning.stdout).not.toBe("REPLAYED\n");
    expect(existsSync(path.join(dir, RECORD))).toBe(true);
    expect(existsSync(former)).toBe(false);
  });

  test("shares rota's cache with who, and keeps nothing through a .rota that links elsewhere", async () => {
    const dir = planned();
    await plan(dir);
    // who makes the cache directory first: plan still keeps its record there.
    expect((await rota(["who"], { cwd: dir, env: { ROTA_NOW: NOW } })).code).toBe(0);
    expect(existsSync(path.join(dir, ".rota", "cache", "roster-index.json"))).toBe(true);
    await plan(dir);
    expect(existsSync(path.join(dir, RECORD))).toBe(true);

    const linked = planned();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, path.join(linked, ".rota"));
    const first = await plan(linked);
    expect(await plan(linked)).toEqual({ ...first, stderr: expect.stringContaining("unchanged") });
    expect((await rota(["who"], { cwd: linked, env: { ROTA_NOW: NOW } })).code).toBe(0);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
