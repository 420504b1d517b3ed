import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { formatLocal } from "../src/core/time.ts";
import { formatInProcessZone, PROCESS_ZONE_FORMATS } from "../src/io/local-time.ts";
import { rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
import { git } from "./helpers/git.ts";
import { env, plannedRepo } from "./helpers/repo.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

const INDEX = ".rota/cache/roster-index.json";
const AT = ["--at", "2026-11-23T15:30:00Z"];

let dir: string;
let expected: { stdout: string; stderr: string };

beforeAll(async () => {
  dir = await plannedRepo("roster.example.yaml", { dir: suiteTempDir() });
  // A run without an index: what every later run must print.
  const first = await rota(["who", ...AT], { cwd: dir, env });
  expect(first.code, first.stderr).toBe(0);
  expected = { stdout: first.stdout, stderr: first.stderr };
  expect(first.stdout).toContain("Grace Hopper");
}, 60_000);

const who = () => rota(["who", ...AT], { cwd: dir, env });
const readIndex = () => JSON.parse(readFileSync(path.join(dir, INDEX), "utf8"));
const roster = () => readFileSync(path.join(dir, "roster.yaml"), "utf8");

describe("rota who keeps an index of the roster's names beside it", () => {
  test("the index is written, used by the next run, and never committed", async () => {
    expect(existsSync(path.join(dir, INDEX))).toBe(true);
    expect(git(dir, "status", "--porcelain")).toBe("");
    // The next run reads its names from the index: a name changed there shows.
    const index = readIndex();
    writeFileSync(
      path.join(dir, INDEX),
      JSON.stringify({ ...index, names: { ...index.names, grace: "Grace from the index" } }),
    );
    const result = await who();
    expect(result.stdout).toBe(expected.stdout.replace("Grace Hopper", "Grace from the index"));
    rmSync(path.join(dir, INDEX));
    expect((await who()).stdout).toBe(expected.stdout);
  });

  test("an index of another roster is not used: an edited roster is read again", async () => {
    const original = roster();
    try {
      writeFileSync(
        path.join(dir, "roster.yaml"),
        original.replace("Grace Hopper", "Grace Brewster"),
      );
      const result = await who();
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(expected.stdout.replace("Grace Hopper", "Grace Brewster"));
      expect(readIndex().names.grace).toBe("Grace Brewster");
    } finally {
      writeFileSync(path.join(dir, "roster.yaml"), original);
    }
    expect((await who()).stdout).toBe(expected.stdout);
  });

  test("a roster with errors is refused as before, whatever the index holds", async () => {
    const original = roster();
    expect((await who()).code).toBe(0);
    try {
      const broken = original.replace("timezone: Europe/Berlin", "timezone: Europe/Berlinn");
      expect(broken).not.toBe(original);
      writeFileSync(path.join(dir, "roster.yaml"), broken);
      const result = await who();
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^roster\.yaml:\d+:\d+: /);
      const validate = await rota(["validate"], { cwd: dir, env });
      expect(validate.code).toBe(2);
      expect(result.stderr).toBe(validate.stderr);
    } finally {
      writeFileSync(path.join(dir, "roster.yaml"), original);
    }
  });

  test("a damaged index is ignored and replaced", async () => {
    for (const damage of ["{not json", '{"format":1}', "null", ""]) {
      writeFileSync(path.join(dir, INDEX), damage);
      const result = await who();
      expect(result, damage).toEqual({ code: 0, ...expected });
      expect(readIndex().names.grace).toBe("Grace Hopper");
    }
  });

  test("where the index cannot be written, who works all the same", async () => {
    // Without TZ, the system's zone is remembered in the cache too.
    const noTz = () => rota(["who", ...AT], { cwd: dir, env: { ...env, TZ: undefined } });
    const plain = await noTz();
    expect(plain.code, plain.stderr).toBe(0);
    // .rota, or .rota/cache, a file: no directory can be made there, whoever runs the test.
    for (const blocked of [".rota", ".rota/cache"]) {
      rmSync(path.join(dir, ".rota"), { recursive: true, force: true });
      if (blocked !== ".rota") mkdirSync(path.join(dir, ".rota"));
      writeFileSync(path.join(dir, blocked), "");
      try {
        for (let run = 0; run < 2; run++) {
          expect(await who(), blocked).toEqual({ code: 0, ...expected });
          expect(await noTz(), blocked).toEqual(plain);
        }
        expect(readFileSync(path.join(dir, blocked), "utf8")).toBe("");
      } finally {
        rmSync(path.join(dir, ".rota"), { recursive: true, force: true });
      }
    }
  });

  test("a .rota that links elsewhere holds no cache: nothing is written through it", async () => {
    rmSync(path.join(dir, ".rota"), { recursive: true, force: true });
    const elsewhere = tempDir();
    symlinkSync(elsewhere, path.join(dir, ".rota"));
    try {
      const noTz = () => rota(["who", ...AT], { cwd: dir, env: { ...env, TZ: undefined } });
      const first = await noTz();
      expect(first.code, first.stderr).toBe(0);
      expect(await noTz()).toEqual(first);
      expect(await who()).toEqual({ code: 0, ...expected });
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      rmSync(path.join(dir, ".rota"), { force: true });
    }
  });
});

describe("rota who keeps when each entry of the schedule starts and ends beside it", () => {
  const SCHEDULE_INDEX = ".rota/cache/schedule-index.json";
  const schedule = () => readFileSync(path.join(dir, "schedule.yaml"), "utf8");
  const readTimes = () => JSON.parse(readFileSync(path.join(dir, SCHEDULE_INDEX), "utf8"));

  test("the index is written, used by the next run, and never committed", async () => {
    expect(await who()).toEqual({ code: 0, ...expected });
    const times = readTimes();
    expect(times.starts.length).toBe(schedule().split("\n  - {").length - 1);
    expect(git(dir, "status", "--porcelain")).toBe("");
    // The next run finds who is on from the index: emptied, nobody is.
    writeFileSync(
      path.join(dir, SCHEDULE_INDEX),
      JSON.stringify({ ...times, starts: times.starts.map(() => null) }),
    );
    const result = await who();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("  nobody");
    expect(result.stdout).toContain("nothing planned");
    rmSync(path.join(dir, SCHEDULE_INDEX));
    expect(await who()).toEqual({ code: 0, ...expected });
  });

  test("an edited schedule is read again; a broken one is refused as before", async () => {
    const original = schedule();
    await who();
    const before = readTimes();
    try {
      // A comment: the same entries, other bytes.
      writeFileSync(path.join(dir, "schedule.yaml"), `${original}# a comment\n`);
      expect(await who()).toEqual({ code: 0, ...expected });
      expect(readTimes().sha256).not.toBe(before.sha256);
      // Cut short at a line: the entry count says so, whatever the index holds.
      writeFileSync(path.join(dir, SCHEDULE_INDEX), JSON.stringify(before));
      const lines = original.split("\n");
      writeFileSync(path.join(dir, "schedule.yaml"), lines.slice(0, -10).join("\n"));
      const broken = await who();
      expect(broken.code).toBe(2);
      expect(broken.stdout).toBe("");
      expect(broken.stderr).toMatch(/^schedule\.yaml:\d+:\d+: /);
      // Edited by hand (no longer as rota writes it): read in full, not indexed.
      rmSync(path.join(dir, SCHEDULE_INDEX));
      writeFileSync(
        path.join(dir, "schedule.yaml"),
        original.replace("\nshifts:\n", "\n\nshifts:   # hand-edited\n"),
      );
      expect(await who()).toEqual({ code: 0, ...expected });
      expect(existsSync(path.join(dir, SCHEDULE_INDEX))).toBe(false);
    } finally {
      writeFileSync(path.join(dir, "schedule.yaml"), original);
    }
    expect(await who()).toEqual({ code: 0, ...expected });
  });

  test("a damaged index is ignored and replaced", async () => {
    await who();
    const times = readTimes();
    for (const damage of [
      "{not json",
      '{"format":1}',
      "null",
      "",
      JSON.stringify({ ...times, starts: [] }),
    ]) {
      writeFileSync(path.join(dir, SCHEDULE_INDEX), damage);
      expect(await who(), damage).toEqual({ code: 0, ...expected });
      // The same index, whether or not the file had been left alone long enough to be stamped.
      const { stamp: _stamp, ...replaced } = readTimes();
      const { stamp: _before, ...before } = times;
      expect(replaced, damage).toEqual(before);
    }
  });
});

describe("an index is found by its file's stamp once the file has been left alone", () => {
  test("the stamp stands for the bytes; an edit of the same size, times set back, is noticed", async () => {
    const repo = await plannedRepo("roster.example.yaml");
    const run = () => rota(["who", ...AT], { cwd: repo, env });
    const rosterFile = path.join(repo, "roster.yaml");
    const index = path.join(repo, INDEX);
    // A whole second, which can be set again exactly.
    const mtime = new Date("2026-11-01T12:00:00Z");
    utimesSync(rosterFile, mtime, mtime);
    const first = await run();
    expect(first).toEqual({ code: 0, ...expected });
    // A file changed within the last moments is known by its hash only.
    expect(JSON.parse(readFileSync(index, "utf8")).stamp).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    // Left alone: the next run keeps the file's stamp in the index.
    expect(await run()).toEqual(first);
    const stamped = JSON.parse(readFileSync(index, "utf8"));
    expect(stamped.stamp).toMatch(/^\d+:\d+:\d+:\d+:\d+$/);
    // The stamp alone finds the index now: a name changed there shows.
    writeFileSync(
      index,
      JSON.stringify({
        ...stamped,
        sha256: "0".repeat(64),
        names: { ...stamped.names, grace: "Grace from the index" },
      }),
    );
    expect((await run()).stdout).toBe(first.stdout.replace("Grace Hopper", "Grace from the index"));
    // Same size, same modification time: the change time still tells.
    writeFileSync(index, JSON.stringify(stamped));
    const size = statSync(rosterFile).size;
    editFile(rosterFile, "Grace Hopper", "Grace Hoppex");
    utimesSync(rosterFile, mtime, mtime);
    expect(statSync(rosterFile).size).toBe(size);
    expect(statSync(rosterFile).mtimeMs).toBe(mtime.getTime());
    // Left alone again, so that only the change time can tell.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(first.stdout.replace("Grace Hopper", "Grace Hoppex"));
  });
});

describe("the system's time zone, remembered beside the index", () => {
  test("used while /etc/localtime and the runtime stay the same, asked again otherwise", async (context) => {
    try {
      readlinkSync("/etc/localtime");
    } catch {
      context.skip(); // No link: Intl is asked on each run.
    }
    const noTz = { ...env, TZ: undefined };
    const run = () => rota(["who", ...AT], { cwd: dir, env: noTz });
    const file = path.join(dir, ".rota/cache/system-zone.json");
    rmSync(file, { force: true });
    const plain = await run();
    expect(plain.code, plain.stderr).toBe(0);
    const cached = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...cached, zone: "Asia/Kolkata" }));
    expect((await run()).stdout).toContain("Kolkata time");
    for (const damage of [
      JSON.stringify({ ...cached, key: "elsewhere", zone: "Asia/Kolkata" }),
      "{",
    ]) {
      writeFileSync(file, damage);
      expect((await run()).stdout, damage).toBe(plain.stdout);
      expect(JSON.parse(readFileSync(file, "utf8")), damage).toEqual(cached);
    }
  }, 60_000);
});

describe("times in the process's own zone", () => {
  test("read from Date, they are luxon's en-GB output", () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // Every month and weekday, around the clock, over several years.
    for (
      let ms = Date.UTC(2025, 0, 1, 0, 7);
      ms < Date.UTC(2028, 0, 1);
      ms += 3 * 86_400_000 + 3_600_000
    ) {
      for (const format of PROCESS_ZONE_FORMATS) {
        expect(formatInProcessZone(ms, format)).toBe(formatLocal(ms, zone, format));
      }
    }
  });

  test("rota who prints them as luxon would in the viewer's zone", async () => {
    const zones = [
      "Europe/Berlin",
      "Australia/Lord_Howe",
      "America/St_Johns",
      "Asia/Kolkata",
      "UTC",
    ];
    const months = [0, 2, 3, 5, 8, 9, 10, 11];
    for (const [i, month] of months.entries()) {
      const zone = zones[i % zones.length] as string;
      const at = Date.UTC(2027, month, 1 + i, 1 + i, 30);
      const result = await rota(["who", "--at", new Date(at).toISOString()], {
        cwd: dir,
        env: { ...env, TZ: zone },
      });
      const city = zone.includes("/")
        ? `${(zone.split("/").pop() as string).replaceAll("_", " ")} time`
        : zone;
      expect(result.stdout.split("\n")[0], zone).toBe(
        `On support now (${formatLocal(at, zone, "ccc d LLL yyyy HH:mm")} ${city})`,
      );
    }
  }, 60_000);
});
