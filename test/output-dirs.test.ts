import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { below, type OutputFile, writeOutputFiles } from "../src/io/calendar-files.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";
import { env, plannedRepo } from "./helpers/repo.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * What `--out` may touch: rota writes its own files, remembers them in
 * `.rota-manifest`, and removes only those; it never replaces a device, a
 * FIFO, a directory, the roster or the schedule.
 */

const at = { ...env, ROTA_NOW: AFTER_SHIFTS };

function manifest(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(dir, ".rota-manifest"), "utf8"));
}

/** olark.yaml with a person who joins in 2030 (so has no shifts, and an empty feed). */
function olarkWithLateJoiner(dir: string): string {
  writeFileSync(
    path.join(dir, "roster.yaml"),
    readFileSync(path.join(ROOT, "examples/olark.yaml"), "utf8").replace(
      /^people:\n/m,
      "people:\n  - { id: later, name: Late Joiner, joined: 2030-01-01 }\n",
    ),
  );
  return dir;
}

function mkfifo(file: string): void {
  execFileSync("mkfifo", [file]);
}

/** A character device like /dev/full, where this user may make one (root, CAP_MKNOD). */
function mkdevice(file: string): boolean {
  try {
    execFileSync("mknod", [file, "c", "1", "7"], { stdio: "ignore" });
    return lstatSync(file).isCharacterDevice();
  } catch {
    return false;
  }
}

describe("--out removes only what rota wrote there", () => {
  test("rota calendar: a feed it wrote goes when nobody needs it; files named like feeds stay", async () => {
    const dir = olarkWithLateJoiner(tempDir());
    expect((await rota(["plan"], { cwd: dir, env })).code).toBe(0);
    expect((await rota(["calendar"], { cwd: dir, env })).code).toBe(0);
    const people = path.join(dir, "calendars/people");
    expect(existsSync(path.join(people, "later.ics"))).toBe(true);
    const written = manifest(path.join(dir, "calendars"));
    expect(written.calendar).toContain("team.ics");
    expect(written.calendar).toContain("people/later.ics");

    // Files rota never wrote, some of them named as its feeds are.
    writeFileSync(path.join(people, "mine.ics"), "my own calendar");
    writeFileSync(path.join(people, "README.md"), "kept");
    writeFileSync(path.join(dir, "calendars/holidays.ics"), "a team's own feed");

    // later leaves before his first shift: his empty feed has nothing to cancel.
    const roster = path.join(dir, "roster.yaml");
    editFile(roster, /^ {2}- \{ id: later.*\n/m, "");
    const result = await rota(["calendar", "--json"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).removed).toEqual(["calendars/people/later.ics"]);
    expect(result.stderr).toMatch(/wrote 0 files, \d+ unchanged, removed 1\n$/);
    expect(existsSync(path.join(people, "later.ics"))).toBe(false);
    expect(readFileSync(path.join(people, "mine.ics"), "utf8")).toBe("my own calendar");
    expect(readFileSync(path.join(people, "README.md"), "utf8")).toBe("kept");
    expect(readFileSync(path.join(dir, "calendars/holidays.ics"), "utf8")).toBe(
      "a team's own feed",
    );
    expect(manifest(path.join(dir, "calendars")).calendar).not.toContain("people/later.ics");
  });

  test("rota site: pages of people and notes that are not rota's stay; its own go", async () => {
    const dir = await teamRepo(tempDir());
    const note = await rota(
      ["notes", "--no-commit", "--as", "ada", "--answer", "struggles=SSO", "--answer", "fix=Docs"],
      { cwd: dir, env: at },
    );
    expect(note.code, note.stderr).toBe(0);
    expect((await rota(["site"], { cwd: dir, env: at })).code).toBe(0);
    const out = path.join(dir, "public");
    const page = "notes/2026/11/2026-11-23-americas-ada.html";
    expect(existsSync(path.join(out, page))).toBe(true);

    const theirs = [
      "people/visitor.html",
      "people/visitor.ics",
      "notes/2026/11/handover.html",
      "notes/archive/2025/old.html",
    ];
    for (const file of theirs) {
      mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
      writeFileSync(path.join(out, file), `not rota's: ${file}`);
    }
    rmSync(path.join(dir, "notes/2026/11/2026-11-23-americas-ada.md"));
    const result = await rota(["site"], { cwd: dir, env: at });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(out, page))).toBe(false);
    for (const file of theirs) {
      expect(readFileSync(path.join(out, file), "utf8"), file).toBe(`not rota's: ${file}`);
    }
    const site = manifest(out).site as string[];
    expect(site).toContain("index.html");
    expect(site).toContain("people/ada.ics");
    expect(site).not.toContain(page);
    expect(site).not.toContain("people/visitor.html");
  });

  test("invites: files in the directory that rota did not write stay", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    const first = await rota(["calendar", "--invites"], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const mine = path.join(dir, "invites/ada/2026-01-05-emea-request.ics");
    writeFileSync(mine, "an invite someone keeps here");
    const none = await rota(["calendar", "--invites", "--since", "HEAD"], { cwd: dir, env });
    expect(none.code, none.stderr).toBe(0);
    expect(readFileSync(mine, "utf8")).toBe("an invite someone keeps here");
    expect(manifest(path.join(dir, "invites")).invites).toEqual(["index.json"]);
  });

  test("a manifest edited by hand removes nothing but rota's own kinds of file inside", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    expect((await rota(["calendar"], { cwd: dir, env })).code).toBe(0);
    const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
    writeFileSync(path.join(dir, "calendars/people/README.md"), "kept");
    writeFileSync(path.join(dir, "outside.ics"), "kept");
    writeFileSync(
      path.join(dir, "calendars/.rota-manifest"),
      JSON.stringify({
        calendar: [
          "../roster.yaml",
          "../outside.ics",
          "people/../../outside.ics",
          "/etc/hostname.ics",
          "people/README.md",
          "people",
          "team.ics",
        ],
      }),
    );
    const result = await rota(["calendar", "--json"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).removed).toEqual([]);
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toBe(roster);
    expect(readFileSync(path.join(dir, "outside.ics"), "utf8")).toBe("kept");
    expect(readFileSync(path.join(dir, "calendars/people/README.md"), "utf8")).toBe("kept");
    const own = manifest(path.join(dir, "calendars")).calendar as string[];
    expect(own.every((file) => file === "team.ics" || /^people\/[a-z0-9-]+\.ics$/.test(file))).toBe(
      true,
    );
  });

  test("a calendar and a site in one directory keep each other's files", async () => {
    const dir = await teamRepo(tempDir());
    expect((await rota(["site", "--out", "public"], { cwd: dir, env: at })).code).toBe(0);
    const calendar = await rota(["calendar", "--out", "public"], { cwd: dir, env: at });
    expect(calendar.code, calendar.stderr).toBe(0);
    expect(calendar.stderr).not.toContain("removed");
    expect(existsSync(path.join(dir, "public/index.html"))).toBe(true);
    const both = manifest(path.join(dir, "public"));
    expect(both.site).toContain("team.ics");
    expect(both.calendar).toContain("team.ics");
  });
});

describe("--out never replaces what is not an output", () => {
  test("rota report: a FIFO, a device, a directory, the roster or the schedule (exit 2)", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
    const schedule = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    mkfifo(path.join(dir, "fifo"));
    mkdirSync(path.join(dir, "reports"));
    const cases: [string, string][] = [
      ["fifo", "--out fifo: it is a FIFO, not a file"],
      ["reports", "--out reports: it is a directory; name a file in it, e.g. reports/REPORT.md"],
      ["roster.yaml", "--out roster.yaml: it is the roster; choose another file"],
      ["./schedule.yaml", "--out ./schedule.yaml: it is the schedule; choose another file"],
      ["link.md", "--out link.md: it is the roster; choose another file"],
    ];
    symlinkSync("roster.yaml", path.join(dir, "link.md"));
    if (mkdevice(path.join(dir, "full"))) {
      cases.push(["full", "--out full: it is a device, not a file"]);
    }
    for (const [out, message] of cases) {
      const result = await rota(["report", "--out", out], { cwd: dir, env });
      expect(result.code, out).toBe(2);
      expect(result.stderr).toBe(`rota: ${message}\n`);
    }
    expect(lstatSync(path.join(dir, "fifo")).isFIFO()).toBe(true);
    if (existsSync(path.join(dir, "full"))) {
      expect(lstatSync(path.join(dir, "full")).isCharacterDevice()).toBe(true);
    }
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toBe(roster);
    expect(readFileSync(path.join(dir, "schedule.yaml"), "utf8")).toBe(schedule);
  });

  test("rota report: an --out ending with a slash names a directory, never a file to write (exit 2)", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    writeFileSync(path.join(dir, "taken"), "someone's file\n");
    const cases: [string, string][] = [
      [
        "out/",
        "--out out/: it ends with a slash, so it names a directory; name a file in it, e.g. out/REPORT.md",
      ],
      [
        "taken/",
        "--out taken/: it ends with a slash, so it names a directory, but taken is a file; name it without the slash to replace it, or name another file",
      ],
    ];
    for (const [out, message] of cases) {
      const result = await rota(["report", "--out", out], { cwd: dir, env });
      expect(result.code, out).toBe(2);
      expect(result.stderr).toBe(`rota: ${message}\n`);
    }
    expect(existsSync(path.join(dir, "out"))).toBe(false);
    expect(readFileSync(path.join(dir, "taken"), "utf8")).toBe("someone's file\n");
    mkdirSync(path.join(dir, "reports"));
    const existing = await rota(["report", "--out", "reports/"], { cwd: dir, env });
    expect(existing.stderr).toBe(
      "rota: --out reports/: it is a directory; name a file in it, e.g. reports/REPORT.md\n",
    );
    // The file suggested is one of the format asked for.
    for (const [format, name] of [
      ["html", "report.html"],
      ["json", "report.json"],
    ]) {
      const result = await rota(["report", "--format", format as string, "--out", "x/"], {
        cwd: dir,
        env,
      });
      expect(result.stderr).toBe(
        `rota: --out x/: it ends with a slash, so it names a directory; name a file in it, e.g. x/${name}\n`,
      );
    }
  });

  test("rota report: a note, a file beside the notes or git's own files (exit 2)", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    const note = "notes/2026/11/2026-11-24-emea-grace.md";
    mkdirSync(path.join(dir, "notes/2026/11"), { recursive: true });
    writeFileSync(path.join(dir, note), "a note not yet committed\n");
    git(dir, "init", "-q");
    const config = readFileSync(path.join(dir, ".git/config"), "utf8");
    symlinkSync(".git", path.join(dir, "git-dir"));
    const cases: [string, string][] = [
      [
        note,
        `--out ${note}: it is inside notes/, where the field notes are kept; choose a file outside it`,
      ],
      [
        "notes/REPORT.md",
        "--out notes/REPORT.md: it is inside notes/, where the field notes are kept; choose a file outside it",
      ],
      [
        ".git/config",
        "--out .git/config: it is inside .git, git's own folder; choose a file outside it",
      ],
      [
        "git-dir/config",
        "--out git-dir/config: it is inside .git, git's own folder; choose a file outside it",
      ],
    ];
    for (const [out, message] of cases) {
      const result = await rota(["report", "--out", out], { cwd: dir, env });
      expect(result.code, out).toBe(2);
      expect(result.stderr).toBe(`rota: ${message}\n`);
    }
    expect(readFileSync(path.join(dir, note), "utf8")).toBe("a note not yet committed\n");
    expect(existsSync(path.join(dir, "notes/REPORT.md"))).toBe(false);
    expect(readFileSync(path.join(dir, ".git/config"), "utf8")).toBe(config);
  });

  test("rota report: fixes.yaml, or a --tickets export the report reads (exit 2)", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    const fixes = "version: 1\nfixes:\n  abcdef0123:\n    status: done\n";
    writeFileSync(path.join(dir, "fixes.yaml"), fixes);
    const exported = readFileSync(path.join(ROOT, "test/fixtures/tickets/generic.csv"), "utf8");
    writeFileSync(path.join(dir, "export.csv"), exported);
    symlinkSync("export.csv", path.join(dir, "same.csv"));
    const cases: [string[], string][] = [
      [
        ["--out", "fixes.yaml"],
        "--out fixes.yaml: it is fixes.yaml, where the fixes' statuses are kept; choose another file",
      ],
      [
        ["--tickets", "export.csv", "--out", "export.csv"],
        "--out export.csv: it is the --tickets export export.csv; choose another file",
      ],
      [
        ["--tickets", "export.csv", "--out", "same.csv", "--period", "week"],
        "--out same.csv: it is the --tickets export export.csv; choose another file",
      ],
    ];
    for (const [args, message] of cases) {
      const result = await rota(["report", ...args], { cwd: dir, env });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toBe(`rota: ${message}\n`);
    }
    expect(readFileSync(path.join(dir, "fixes.yaml"), "utf8")).toBe(fixes);
    expect(readFileSync(path.join(dir, "export.csv"), "utf8")).toBe(exported);
  });

  test("calendar and site: never into notes/ or .git, and the site's notes/ is not the field notes' (exit 2)", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    mkdirSync(path.join(dir, "notes/2026/11"), { recursive: true });
    writeFileSync(path.join(dir, "notes/2026/11/2026-11-24-emea-grace.md"), "a note\n");
    git(dir, "init", "-q");
    const before = git(dir, "status", "--short", "--untracked-files=all");
    const notes = "its files would be inside notes/, where the field notes are kept";
    const gitDir = "its files would be inside .git, git's own folder";
    const cases: [string[], string][] = [
      [["site", "--out", "."], `--out .: ${notes}; choose a directory outside it (e.g. public/)`],
      [
        ["site", "--out", "notes"],
        `--out notes: ${notes}; choose a directory outside it (e.g. public/)`,
      ],
      [
        ["calendar", "--out", "notes/feeds"],
        `--out notes/feeds: ${notes}; choose a directory outside it (e.g. public/)`,
      ],
      [
        ["calendar", "--out", ".git"],
        `--out .git: ${gitDir}; choose a directory outside it (e.g. public/)`,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await rota(args, { cwd: dir, env });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toBe(`rota: ${message}\n`);
    }
    expect(git(dir, "status", "--short", "--untracked-files=all")).toBe(before);
    // A calendar beside the roster writes no notes: that stays allowed.
    const feeds = await rota(["calendar", "--out", "."], { cwd: dir, env });
    expect(feeds.code, feeds.stderr).toBe(0);
    expect(existsSync(path.join(dir, "team.ics"))).toBe(true);
  });

  test("calendar and site: a folder below the directory linked into .git or notes/ is refused, nothing written (exit 2)", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    mkdirSync(path.join(dir, "notes/2026/11"), { recursive: true });
    writeFileSync(path.join(dir, "notes/2026/11/2026-11-24-emea-grace.md"), "a note\n");
    git(dir, "init", "-q");
    const gitDir = "its files would be inside .git, git's own folder";
    const notes = "its files would be inside notes/, where the field notes are kept";
    const cases: [string, string, string[], string][] = [
      [
        "calendars",
        "../.git/hooks",
        ["calendar"],
        `calendars/people: ${gitDir}; choose another --out or remove the link`,
      ],
      [
        "out",
        "../.git",
        ["calendar", "--out", "out"],
        `out/people: ${gitDir}; choose another --out or remove the link`,
      ],
      [
        "calendars",
        "../notes",
        ["calendar"],
        `calendars/people: ${notes}; choose another --out or remove the link`,
      ],
      [
        "pub",
        "../.git",
        ["site", "--out", "pub"],
        `pub/people: ${gitDir}; choose another --out or remove the link`,
      ],
    ];
    for (const [out, target, args, message] of cases) {
      mkdirSync(path.join(dir, out));
      symlinkSync(target, path.join(dir, out, "people"));
      const listed = (folder: string) => readdirSync(path.join(dir, folder)).sort();
      const before = [listed(".git"), listed(".git/hooks"), listed("notes")];
      const result = await rota(args, { cwd: dir, env });
      expect(result.code, args.join(" ")).toBe(2);
      // (The site warns first of the note it reads, which is no note of rota's.)
      expect(result.stderr.endsWith(`rota: ${message}\n`), result.stderr).toBe(true);
      expect([listed(".git"), listed(".git/hooks"), listed("notes")]).toEqual(before);
      rmSync(path.join(dir, out), { recursive: true });
    }
  });

  test("calendar, site and invites: a file, FIFO or device where the directory goes (exit 2)", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
    mkfifo(path.join(dir, "fifo"));
    const device = mkdevice(path.join(dir, "full"));
    const runs: [string[], string][] = [
      [["calendar", "--out", "roster.yaml"], "--out roster.yaml: it is a file, not a directory"],
      [["site", "--out", "schedule.yaml"], "--out schedule.yaml: it is a file, not a directory"],
      [["calendar", "--out", "fifo"], "--out fifo: it is a FIFO, not a directory"],
      [
        ["calendar", "--invites", "roster.yaml"],
        "--invites roster.yaml: it is a file, not a directory",
      ],
      [
        ["site", "--out", "roster.yaml/site"],
        "--out roster.yaml/site: roster.yaml is a file, not a directory",
      ],
    ];
    if (device)
      runs.push([["calendar", "--out", "full"], "--out full: it is a device, not a directory"]);
    for (const [args, message] of runs) {
      const result = await rota(args, { cwd: dir, env });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toBe(`rota: ${message}\n`);
    }
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toBe(roster);
    expect(lstatSync(path.join(dir, "fifo")).isFIFO()).toBe(true);
    if (device) expect(lstatSync(path.join(dir, "full")).isCharacterDevice()).toBe(true);
    expect(existsSync(path.join(dir, "calendars"))).toBe(false);
    expect(existsSync(path.join(dir, "public"))).toBe(false);
  });

  test("inside the directory: a directory or FIFO where a feed goes, a file where a folder goes", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    mkdirSync(path.join(dir, "calendars/people/ada.ics"), { recursive: true });
    mkfifo(path.join(dir, "calendars/people/grace.ics"));
    const result = await rota(["calendar"], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        "rota: calendars/people/ada.ics is a directory, where rota writes a file: move it away or choose another --out",
        "calendars/people/grace.ics is a FIFO, where rota writes a file: move it away or choose another --out",
        "",
      ].join("\n"),
    );
    expect(existsSync(path.join(dir, "calendars/team.ics"))).toBe(false);
    expect(lstatSync(path.join(dir, "calendars/people/grace.ics")).isFIFO()).toBe(true);

    rmSync(path.join(dir, "calendars"), { recursive: true });
    mkdirSync(path.join(dir, "site"));
    writeFileSync(path.join(dir, "site/people"), "a file");
    const site = await rota(["calendar", "--out", "site"], { cwd: dir, env });
    expect(site.code).toBe(2);
    expect(site.stderr).toBe(
      "rota: site/people is a file, where rota needs a directory: move it away or choose another --out\n",
    );
    expect(readFileSync(path.join(dir, "site/people"), "utf8")).toBe("a file");
    expect(existsSync(path.join(dir, "site/team.ics"))).toBe(false);
  });

  test("a roster or schedule where a feed would be written is never replaced (exit 2)", async () => {
    const dir = await plannedRepo("examples/olark.yaml");
    copyFileSync(path.join(dir, "roster.yaml"), path.join(dir, "team.ics"));
    const roster = readFileSync(path.join(dir, "team.ics"), "utf8");
    const result = await rota(["--roster", "team.ics", "calendar", "--out", "."], {
      cwd: dir,
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "rota: team.ics is the roster, where rota would write a file: choose another --out\n",
    );
    expect(readFileSync(path.join(dir, "team.ics"), "utf8")).toBe(roster);
  });
});

describe("how --out files are written", () => {
  const options = { owner: "site" as const, flag: "--out" };
  const failing = (file: string): OutputFile => ({
    path: file,
    get text(): string {
      throw new Error("rendering failed");
    },
  });

  test("a file below the root of the file system is inside it; a path out of a directory is not", () => {
    expect(below("/", "people/ada.ics")).toBe("/people/ada.ics");
    expect(below("/srv/www", "team.ics")).toBe("/srv/www/team.ics");
    expect(() => below("/srv/www", "../team.ics")).toThrow(
      "refusing to write /srv/team.ics: it is outside /srv/www",
    );
  });

  test("a command's list another command writes meanwhile is kept: a calendar and a site in one directory at once", async () => {
    const out = path.join(tempDir(), "public");
    const calendar = { owner: "calendar" as const, flag: "--out" };
    await writeOutputFiles(out, [{ path: "index.html", text: "one\n" }], options);
    await writeOutputFiles(
      out,
      [
        { path: "team.ics", text: "v1\n" },
        { path: "people/bob.ics", text: "bob\n" },
      ],
      calendar,
    );
    // While the calendar writes its feeds (bob's no more), the site lists a
    // new page (as `rota site` in another process does before writing it).
    const listed = path.join(out, ".rota-manifest");
    const meanwhile: OutputFile = {
      path: "people/ada.ics",
      get text(): string {
        const now = JSON.parse(readFileSync(listed, "utf8"));
        writeFileSync(listed, JSON.stringify({ ...now, site: [...now.site, "new.html"] }));
        return "ada\n";
      },
    };
    await writeOutputFiles(out, [{ path: "team.ics", text: "v2\n" }, meanwhile], calendar);
    expect(manifest(out).site).toEqual(["index.html", "new.html"]);
    expect(manifest(out).calendar).toEqual(["people/ada.ics", "team.ics"]);
    // Nothing of the lock is left.
    expect(readdirSync(out).sort()).toEqual([".rota-manifest", "index.html", "people", "team.ics"]);
  });

  test("a new directory appears whole, with nothing left beside it", async () => {
    const parent = tempDir();
    const out = path.join(parent, "public");
    const report = await writeOutputFiles(
      out,
      [
        { path: "index.html", text: "<p>é</p>\n" },
        { path: "notes/2026/11/a.html", text: "a\n" },
      ],
      options,
    );
    expect(report.written).toEqual([
      path.join(out, "index.html"),
      path.join(out, "notes/2026/11/a.html"),
    ]);
    expect(readFileSync(path.join(out, "index.html"), "utf8")).toBe("<p>é</p>\n");
    expect(manifest(out).site).toEqual(["index.html", "notes/2026/11/a.html"]);
    expect(readdirSync(parent)).toEqual(["public"]);

    // Failing to render the last file leaves no directory and nothing beside it.
    const other = path.join(parent, "other");
    await expect(
      writeOutputFiles(other, [{ path: "index.html", text: "x" }, failing("b.html")], options),
    ).rejects.toThrow("rendering failed");
    expect(readdirSync(parent)).toEqual(["public"]);
  });

  test("long texts with characters of every UTF-8 length are written byte for byte", async () => {
    const out = path.join(tempDir(), "public");
    // Longer than the write buffer holds at first, in 1 to 4 bytes a character.
    const long = (n: number) => `a é € 😀 ${"x€".repeat(n)}\n`;
    const files = [
      { path: "small.html", text: long(10) },
      { path: "big.html", text: long(400_000) },
      { path: "bigger.html", text: long(900_000) },
      { path: "after.html", text: long(200_000) },
    ];
    const check = () => {
      for (const file of files) {
        expect(readFileSync(path.join(out, file.path)).equals(Buffer.from(file.text, "utf8"))).toBe(
          true,
        );
      }
    };
    await writeOutputFiles(out, files, options); // a new directory
    check();
    for (const file of files) file.text = file.text.replace("a é", "b é");
    const again = await writeOutputFiles(out, files, options); // over the old files
    expect(again.written).toHaveLength(files.length);
    check();
  });

  test("in an existing directory, a rendering error replaces nothing; the same bytes are not rewritten", async () => {
    const out = path.join(tempDir(), "public");
    const first = [
      { path: "index.html", text: "one\n" },
      { path: "people/a.html", text: "a\n" },
    ];
    await writeOutputFiles(out, first, options);
    const before = readdirSync(out, { recursive: true }).sort();
    const inode = statSync(path.join(out, "people/a.html")).ino;

    await expect(
      writeOutputFiles(
        out,
        [{ path: "index.html", text: "two\n" }, first[1] as OutputFile, failing("x.html")],
        options,
      ),
    ).rejects.toThrow("rendering failed");
    expect(readFileSync(path.join(out, "index.html"), "utf8")).toBe("one\n");
    // No temporary file is left (the manifest may list x.html: it is written first).
    expect(readdirSync(out, { recursive: true }).sort()).toEqual(before);

    const again = await writeOutputFiles(
      out,
      [{ path: "index.html", text: "two\n" }, first[1] as OutputFile],
      options,
    );
    expect(again.written).toEqual([path.join(out, "index.html")]);
    expect(again.unchanged).toEqual([path.join(out, "people/a.html")]);
    expect(statSync(path.join(out, "people/a.html")).ino).toBe(inode);
    expect(readFileSync(path.join(out, "index.html"), "utf8")).toBe("two\n");
    // A file that only starts like the new text is not taken as the same.
    await writeOutputFiles(
      out,
      [{ path: "index.html", text: "tw" }, first[1] as OutputFile],
      options,
    );
    expect(readFileSync(path.join(out, "index.html"), "utf8")).toBe("tw");
  });
});

describe("a new directory of many files, written by a second thread", () => {
  const one = { owner: "site" as const, flag: "--out", threads: 1 };
  const two = { ...one, threads: 2 };
  /** Every file below dir, by relative path, with its bytes. */
  const tree = (dir: string) =>
    new Map(
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => {
          const file = path.join(entry.parentPath, entry.name);
          return [path.relative(dir, file), readFileSync(file)] as const;
        }),
    );
  // Enough files for the second thread, in many folders, with characters of
  // every UTF-8 length, and some larger than a batch (so buffers are grown,
  // handed back and reused).
  const files: OutputFile[] = Array.from({ length: 3_000 }, (_, i) => ({
    path: `notes/${2000 + (i % 17)}/${String(i % 12).padStart(2, "0")}/n${i}.html`,
    text:
      i % 500 === 7
        ? `big ${i} ${"é€😀x".repeat(200_000)}\n`
        : `<p>${i} é € 😀 ${"z".repeat(i % 97)}</p>\n`,
  }));

  test("holds byte for byte what one thread writes", async () => {
    const parent = tempDir();
    const a = await writeOutputFiles(path.join(parent, "one"), files, one);
    const b = await writeOutputFiles(path.join(parent, "two"), files, two);
    expect(b.written.map((f) => path.relative(path.join(parent, "two"), f))).toEqual(
      a.written.map((f) => path.relative(path.join(parent, "one"), f)),
    );
    const written = tree(path.join(parent, "two"));
    const alone = tree(path.join(parent, "one"));
    expect(written.size).toBe(files.length + 1); // and the manifest
    expect([...written.keys()].sort()).toEqual([...alone.keys()].sort());
    const differing = [...written].filter(([file, bytes]) => !alone.get(file)?.equals(bytes));
    expect(differing.map(([file]) => file)).toEqual([]);
    for (const file of files.slice(0, 20)) {
      expect(written.get(file.path)?.toString("utf8")).toBe(file.text);
    }
    expect(readdirSync(parent).sort()).toEqual(["one", "two"]);
  });

  test("a rendering error part-way leaves nothing, and nothing beside it", async () => {
    const parent = tempDir();
    const broken: OutputFile[] = [...files];
    broken.splice(2_500, 0, {
      path: "late.html",
      get text(): string {
        throw new Error("rendering failed");
      },
    });
    await expect(writeOutputFiles(path.join(parent, "public"), broken, two)).rejects.toThrow(
      "rendering failed",
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  test("a write that fails is told as one thread tells it, and leaves nothing", async () => {
    // "a" is a folder (for a/b.html) by the time the file "a" is written.
    const clash: OutputFile[] = [
      { path: "a/b.html", text: "b\n" },
      ...files,
      { path: "a", text: "x" },
    ];
    const failure = async (options: typeof one) => {
      const parent = tempDir();
      const out = path.join(parent, "public");
      const error = await writeOutputFiles(out, clash, options).then(
        () => undefined,
        (thrown: Error) => thrown,
      );
      expect(readdirSync(parent)).toEqual([]);
      // The temporary directory's random name aside, the same message.
      return error?.message
        .replaceAll(parent, "<parent>")
        .replace(/\.public\.rota-tmp-\d+-[0-9a-f]{8}/, "<stage>");
    };
    const message = await failure(two);
    expect(message).toMatch(/^cannot write <parent>\/public\/a: EISDIR/);
    expect(message).toBe(await failure(one));
  });
});

describe("an existing directory of many files, compared and written by a second thread", () => {
  const one = { owner: "site" as const, flag: "--out", threads: 1 };
  const two = { ...one, threads: 2 };
  const page = (i: number, version: string) => ({
    path: `notes/${i % 13}/n${i}.html`,
    text: `<p>${version} ${i} é € 😀 ${"z".repeat(i % 89)}</p>\n`,
  });

  test("only what differs is written, as one thread does; a failure part-way replaces nothing", async () => {
    const runs = await Promise.all(
      [one, two].map(async (options) => {
        const out = path.join(tempDir(), "public");
        const first = Array.from({ length: 2_400 }, (_, i) => page(i, "v1"));
        await writeOutputFiles(out, first, options);
        const inode = (i: number) => statSync(path.join(out, first[i]?.path as string)).ino;
        const kept = [inode(0), inode(1)];
        // Every third page changes, one is longer than a batch, one is new.
        const second = first.map((file, i) => (i % 3 === 1 ? page(i, "v2") : file));
        second[2_000] = { path: second[2_000]?.path as string, text: "€".repeat(400_000) };
        second.push(page(9_999, "new"));
        const report = await writeOutputFiles(out, second, options);
        // The same bytes keep their file; changed ones are new files.
        expect(inode(0)).toBe(kept[0]);
        expect(inode(1)).not.toBe(kept[1]);
        for (const file of second) {
          expect(readFileSync(path.join(out, file.path), "utf8")).toBe(file.text);
        }
        // A rendering error after hundreds of files were handed over.
        const third: OutputFile[] = second.map((file) => ({ ...file, text: `${file.text}v3` }));
        third.splice(1_500, 0, {
          path: "late.html",
          get text(): string {
            throw new Error("rendering failed");
          },
        });
        const before = readdirSync(out, { recursive: true }).sort();
        await expect(writeOutputFiles(out, third, options)).rejects.toThrow("rendering failed");
        // No temporary file left, and nothing replaced.
        expect(readdirSync(out, { recursive: true }).sort()).toEqual(before);
        expect(readFileSync(path.join(out, "notes/0/n0.html"), "utf8")).toBe(first[0]?.text);
        return {
          written: report.written.map((file) => path.relative(out, file)),
          unchanged: report.unchanged.map((file) => path.relative(out, file)),
        };
      }),
    );
    expect(runs[0]?.written).toHaveLength(802);
    expect(runs[1]).toEqual(runs[0]);
  });

  test("files larger than one read are compared to their last byte, with one thread or two", async () => {
    // 1.2 MB, several of the comparison's reads: the same bytes, a change
    // in the last read only, one byte fewer, one byte more.
    const big = `${"€".repeat(400_000)}\n`;
    const cases = [
      { name: "same.html", before: big, after: big },
      { name: "last.html", before: big, after: `${big.slice(0, -1)}!` },
      { name: "shorter.html", before: big, after: big.slice(0, -1) },
      { name: "longer.html", before: big, after: `${big}x` },
      { name: "grown.html", before: "€", after: big },
    ];
    for (const options of [one, two]) {
      const out = path.join(tempDir(), "public");
      const many = Array.from({ length: 1_200 }, (_, i) => page(i, "v1"));
      const files = (when: "before" | "after") => [
        ...many,
        ...cases.map((c) => ({ path: `big/${c.name}`, text: c[when] })),
      ];
      await writeOutputFiles(out, files("before"), options);
      const report = await writeOutputFiles(out, files("after"), options);
      expect(report.written.map((file) => path.relative(out, file))).toEqual(
        cases
          .filter((c) => c.name !== "same.html")
          .map((c) => `big/${c.name}`)
          .sort(),
      );
      for (const c of cases) {
        expect(readFileSync(path.join(out, "big", c.name), "utf8")).toBe(c.after);
      }
    }
  });
});
