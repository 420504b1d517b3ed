import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { commitAll, git } from "./helpers/git.ts";
import {
  checkBytes,
  type PythonFile,
  pythonAvailable,
  type ReadEvent,
  readWithIcalJs,
  readWithPython,
  unfold,
} from "./helpers/ical.ts";
import { env, plannedRepo } from "./helpers/repo.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * What calendars remember from git: a person removed from the roster is still
 * told their shifts are cancelled, at the address the roster's history gives,
 * and an occurrence that comes back after a cancellation outranks it. Every
 * feed and invite is read back by parsers other than the writer.
 */

let python = { icalendar: false, libical: false };
beforeAll(async () => {
  python = await pythonAvailable();
});

/** The occurrence an event is for, from the last line of its description. */
function occurrenceOf(event: { description: string }): string {
  const match = /Occurrence (\S+) in /.exec(event.description);
  if (!match) throw new Error(`no occurrence in ${event.description}`);
  return match[1] as string;
}

/** Each VEVENT's own properties (not its alarms'), unfolded, by name. */
function vevents(text: string): Map<string, string>[] {
  const events: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  let inAlarm = false;
  for (const line of unfold(text)) {
    if (line === "BEGIN:VEVENT") current = new Map();
    else if (line === "END:VEVENT" && current) {
      events.push(current);
      current = undefined;
    } else if (line === "BEGIN:VALARM") inAlarm = true;
    else if (line === "END:VALARM") inAlarm = false;
    else if (current && !inAlarm) {
      const name = /^[A-Z-]+/.exec(line)?.[0] ?? "";
      current.set(name, line);
    }
  }
  return events;
}

async function expectClean(files: string[]) {
  for (const file of files) expect(checkBytes(readFileSync(file)), file).toEqual([]);
  if (!python.icalendar) return;
  const read = await readWithPython(files);
  for (const file of files) {
    const { python: parsed, libical } = read[file] as PythonFile;
    expect(parsed.errors, file).toEqual([]);
    if (libical) {
      expect(libical.errors, file).toEqual([]);
      expect(libical.restriction_ok, file).toBe(true);
    }
  }
}

/** Removes a person's block from roster.example.yaml. */
function removePerson(dir: string, id: string) {
  const file = path.join(dir, "roster.yaml");
  const text = readFileSync(file, "utf8");
  const without = text.replace(new RegExp(` {2}- id: ${id}\\n(?: {4}.*\\n)+`), "");
  expect(without).not.toBe(text);
  writeFileSync(file, without);
}

interface InviteJson {
  file: string;
  method: string;
  person: string;
  email: string;
  occurrence: string;
  sequence: number;
}

/** Removes a person from the roster on 2026-12-01, planning and committing it. */
async function leaves(dir: string, id: string): Promise<void> {
  removePerson(dir, id);
  const plan = await rota(["plan"], {
    cwd: dir,
    env: { ...env, ROTA_NOW: "2026-12-01T09:00:00Z" },
  });
  expect(plan.code, plan.stderr).toBe(0);
  commitAll(dir, `${id} leaves`);
}

describe("a person removed from the roster", () => {
  // Planned on 2026-11-20; luca is removed on 2026-12-01: his shift of
  // 2026-11-24 is past and stays his, the four after it go to others.
  const LEFT = "2026-12-01T09:00:00Z";

  test("gets cancellations at the address in the roster's history, and a last feed", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    expect((await rota(["calendar"], { cwd: dir, env })).code).toBe(0);
    const read = (file: string) => readFileSync(path.join(dir, "calendars", file), "utf8");
    const teamBefore = readWithIcalJs(read("team.ics")).events;
    const lucaBefore = readWithIcalJs(read("people/luca.ics")).events;
    const past = lucaBefore.filter((e) => (e.start ?? 0) * 1000 < Date.parse(LEFT));
    const future = lucaBefore.filter((e) => (e.start ?? 0) * 1000 >= Date.parse(LEFT));
    expect(past.map(occurrenceOf)).toEqual(["2026-11-24/emea"]);
    expect(future.length).toBe(4);
    expect(past[0]?.summary).toMatch(/^Support \(EMEA day\): .*\bLuca\b/);

    await leaves(dir, "luca");

    const result = await rota(["calendar", "--invites", "--json"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("no email");
    expect(result.stderr).toContain("the last feed of 1 person no longer in the roster");

    // Invites: one cancellation per future shift, to the address he had.
    const report = JSON.parse(result.stdout);
    const lucas = (report.invites.files as InviteJson[]).filter((i) => i.person === "luca");
    expect(lucas.map((i) => [i.method, i.email, i.occurrence])).toEqual(
      future.map((e) => ["CANCEL", "luca@example.com", occurrenceOf(e)]),
    );
    for (const invite of lucas) {
      const before = future.find((e) => occurrenceOf(e) === invite.occurrence) as ReadEvent;
      const lines = unfold(readFileSync(path.join(dir, invite.file), "utf8"));
      expect(lines).toContain("METHOD:CANCEL");
      expect(lines).toContain(`UID:${before.uid}`);
      expect(lines).toContain(`SEQUENCE:${before.sequence + 1}`);
      expect(lines.find((l) => l.startsWith("ATTENDEE"))).toMatch(/:mailto:luca@example\.com$/i);
    }
    expect(report.departed).toEqual([
      { id: "luca", file: "calendars/people/luca.ics", events: 5, cancelled: 4 },
    ]);

    // His last feed: the past shift as it was published, the future ones cancelled.
    const feed = read("people/luca.ics");
    const after = readWithIcalJs(feed).events;
    expect(after.map((e) => e.uid)).toEqual(lucaBefore.map((e) => e.uid));
    const [kept] = after.filter((e) => occurrenceOf(e) === "2026-11-24/emea");
    expect(kept).toEqual(past[0]);
    const properties = vevents(feed);
    for (const event of future) {
      const now = after.find((e) => e.uid === event.uid) as ReadEvent;
      expect(now.sequence).toBeGreaterThan(event.sequence);
      const props = properties.find((p) => p.get("UID") === `UID:${event.uid}`);
      expect(props?.get("STATUS")).toBe("STATUS:CANCELLED");
      expect(now.summary).toBe(`Cancelled: ${event.summary}`);
    }
    expect(properties.find((p) => p.get("UID") === `UID:${past[0]?.uid}`)?.get("STATUS")).toBe(
      undefined,
    );
    expect(feed).toContain("X-WR-CALNAME:Acme support: Luca Pacioli\r\n");

    // The team feed still names him on the shift he served, unchanged.
    const teamAfter = readWithIcalJs(read("team.ics")).events;
    const served = (events: ReadEvent[]) =>
      events.find((e) => occurrenceOf(e) === "2026-11-24/emea");
    expect(served(teamAfter)).toEqual(served(teamBefore));

    await expectClean([
      path.join(dir, "calendars/people/luca.ics"),
      path.join(dir, "calendars/team.ics"),
      ...lucas.map((i) => path.join(dir, i.file)),
    ]);

    // The same committed state gives the same bytes.
    const again = await rota(["calendar"], { cwd: dir, env });
    expect(again.stderr).toMatch(/wrote 0 files, 18 unchanged\n$/);
  });
});

describe("an occurrence removed and brought back", () => {
  test("outranks its cancellation, and keeps rising after", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    const roster = path.join(dir, "roster.yaml");
    const text = readFileSync(roster, "utf8");
    writeFileSync(roster, text.replace("dates: [2026-12-24, ", "dates: [2026-12-24, 2026-12-30, "));
    expect((await rota(["plan"], { cwd: dir, env })).code).toBe(0);
    commitAll(dir, "Close 2026-12-30");

    const closed = await rota(["calendar", "--invites", "--json"], { cwd: dir, env });
    expect(closed.code, closed.stderr).toBe(0);
    const cancels = JSON.parse(closed.stdout).invites.files as InviteJson[];
    expect(cancels.map((i) => [i.method, i.occurrence]).sort()).toEqual([
      ["CANCEL", "2026-12-30/americas"],
      ["CANCEL", "2026-12-30/emea"],
      ["CANCEL", "2026-12-30/emea"],
    ]);
    expect(cancels.map((i) => i.sequence)).toEqual([1, 1, 1]);

    // The revert brings back the very same lines, with rev 0.
    git(dir, "revert", "--no-edit", "HEAD");
    expect(readFileSync(path.join(dir, "schedule.yaml"), "utf8")).toContain(
      '"id": "2026-12-30/emea"',
    );
    const reopened = await rota(["calendar", "--invites", "--json"], { cwd: dir, env });
    expect(reopened.code, reopened.stderr).toBe(0);
    const requests = JSON.parse(reopened.stdout).invites.files as InviteJson[];
    expect(requests.map((i) => [i.method, i.person, i.occurrence]).sort()).toEqual(
      cancels.map((i) => ["REQUEST", i.person, i.occurrence]).sort(),
    );
    for (const request of requests) {
      expect(request.sequence).toBe(2);
      expect(unfold(readFileSync(path.join(dir, request.file), "utf8"))).toContain("SEQUENCE:2");
    }
    const teamSequence = () => {
      const team = readFileSync(path.join(dir, "calendars/team.ics"), "utf8");
      return readWithIcalJs(team)
        .events.filter((e) => occurrenceOf(e).startsWith("2026-12-30/"))
        .map((e) => e.sequence);
    };
    expect(teamSequence()).toEqual([2, 2]);
    const radia = readWithIcalJs(
      readFileSync(path.join(dir, "calendars/people/radia.ics"), "utf8"),
    ).events.find((e) => occurrenceOf(e) === "2026-12-30/emea");
    expect(radia?.sequence).toBe(2);

    // A later change to it (rev 1) stays above the return.
    const swap = await rota(["swap", "2026-12-30/emea", "luca", "jony"], { cwd: dir, env });
    expect(swap.code, swap.stderr).toBe(0);
    commitAll(dir, "Swap 2026-12-30/emea");
    const swapped = await rota(["calendar", "--invites", "--json"], { cwd: dir, env });
    expect(swapped.code, swapped.stderr).toBe(0);
    const files = JSON.parse(swapped.stdout).invites.files as InviteJson[];
    expect(files.map((i) => [i.person, i.method, i.sequence]).sort()).toEqual([
      ["jony", "REQUEST", 3],
      ["luca", "CANCEL", 3],
      ["radia", "REQUEST", 3],
    ]);
    expect(teamSequence()).toEqual([3, 2]); // emea, then americas
  });
});

describe("history that stops short", () => {
  test("a shallow clone says so; a shallow fetch of another branch does not", async () => {
    const origin = await plannedRepo("examples/olark.yaml");
    git(origin, "checkout", "-q", "--orphan", "calendars");
    git(origin, "rm", "-r", "-q", "--cached", ".");
    commitAll(origin, "Published calendars");
    git(origin, "checkout", "-q", "-f", "main");

    const shallow = path.join(tempDir(), "shallow");
    git(path.dirname(shallow), "clone", "-q", "--depth", "1", `file://${origin}`, shallow);
    const cut = await rota(["calendar"], { cwd: shallow, env });
    expect(cut.code, cut.stderr).toBe(0);
    expect(cut.stderr).toMatch(
      /^warning: this clone is shallow: .*`fetch-depth: 0` in GitHub Actions\)\n/,
    );

    const full = path.join(tempDir(), "full");
    git(path.dirname(full), "clone", "-q", `file://${origin}`, full);
    git(full, "fetch", "-q", "--depth=1", "origin", "calendars");
    expect(git(full, "rev-parse", "--is-shallow-repository").trim()).toBe("true");
    const whole = await rota(["calendar"], { cwd: full, env });
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stderr).not.toContain("warning");
  });
});

describe("a HEAD git cannot read", () => {
  test("is a failure, not an empty history: no feed is dropped and the log says so", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    await leaves(dir, "luca");
    expect((await rota(["calendar"], { cwd: dir, env })).code).toBe(0);
    const feed = path.join(dir, "calendars", "people", "luca.ics");
    const last = readFileSync(feed, "utf8");
    expect(last).toContain("STATUS:CANCELLED");

    const ref = path.join(dir, ".git", git(dir, "symbolic-ref", "HEAD").trim());
    const good = readFileSync(ref, "utf8");
    // A commit that is not there, then a ref file that names no object at all.
    for (const damage of ["1234567890123456789012345678901234567890\n", "garbage\n"]) {
      writeFileSync(ref, damage);
      for (const command of ["calendar", "log"]) {
        const result = await rota([command], { cwd: dir, env });
        expect(result.code, `${command} with ${damage}`).toBe(1);
        expect(result.stderr).toMatch(
          /^rota: git cannot read the commit HEAD names \(.+\) in .+: the repository is damaged; `git fsck` says what is wrong/,
        );
        expect(result.stderr).not.toMatch(/no commits yet|removed|\n\s+at /);
      }
      expect(readFileSync(feed, "utf8")).toBe(last);
    }
    writeFileSync(ref, good);
    expect((await rota(["calendar"], { cwd: dir, env })).code).toBe(0);
    expect(readFileSync(feed, "utf8")).toBe(last);
  });
});

describe("a roster moved with git mv", () => {
  test("is no change: the same invites as before the move, and the last feeds kept", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    await leaves(dir, "luca");
    const what = (stdout: string) => {
      const report = JSON.parse(stdout);
      return {
        invites: (report.invites.files as InviteJson[]).map((i) => [
          i.method,
          i.person,
          i.occurrence,
        ]),
        departed: (report.departed as { id: string; events: number; cancelled: number }[]).map(
          ({ id, events, cancelled }) => ({ id, events, cancelled }),
        ),
      };
    };
    const before = await rota(["calendar", "--invites", "--json"], { cwd: dir, env });
    expect(before.code, before.stderr).toBe(0);
    expect(what(before.stdout).departed).toEqual([{ id: "luca", events: 5, cancelled: 4 }]);

    mkdirSync(path.join(dir, "support"));
    git(dir, "mv", "roster.yaml", "schedule.yaml", "support/");
    git(dir, "commit", "-q", "-m", "Move the rota into support/");
    const after = await rota(["-C", "support", "calendar", "--invites", "--json"], {
      cwd: dir,
      env,
    });
    expect(after.code, after.stderr).toBe(0);
    expect(what(after.stdout)).toEqual(what(before.stdout));
    expect(after.stderr).toMatch(
      /invites: .* \(before [0-9a-f]{7}, the last commit that changed schedule\.yaml\)/,
    );
  });
});
