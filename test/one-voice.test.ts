import { describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";

const env = { ROTA_NOW: AFTER_SHIFTS };

describe("one voice for reasons and suggestions", () => {
  test("swap, cover and explain say why a person cannot take a seat in the same words", async () => {
    const dir = await teamRepo();
    // guido takes only the EMEA shift (roster.example.yaml).
    const reason = "guido takes only shift emea, not americas";
    const swap = await rota(["swap", "2026-12-02/americas", "radia", "guido"], { cwd: dir, env });
    expect(swap.code).toBe(2);
    expect(swap.stderr).toBe(`rota: guido cannot take 2026-12-02/americas: ${reason}\n`);
    const cover = await rota(["swap", "--cover", "2026-11-24/americas", "radia", "guido"], {
      cwd: dir,
      env,
    });
    expect(cover.code).toBe(2);
    expect(cover.stderr).toBe(`rota: cannot record the cover of 2026-11-24/americas: ${reason}\n`);
    const explain = await rota(["explain", "2026-12-02/americas", "--json"], { cwd: dir, env });
    expect(explain.code, explain.stderr).toBe(0);
    const people = (JSON.parse(explain.stdout) as { people: { id: string; reason: string }[] })
      .people;
    expect(`guido ${people.find((p) => p.id === "guido")?.reason}`).toBe(reason);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("a mistyped occurrence gets a suggestion from notes, swap and explain", async () => {
    const dir = await teamRepo();
    const typo = "2026-12-0l/emea";
    const hint = '; did you mean "2026-12-01/emea"?';
    const notes = await rota(["notes", "--as", "ada", "--shift", typo, "--answer", "fix=x"], {
      cwd: dir,
      env,
    });
    expect(notes.code).toBe(2);
    expect(notes.stderr).toBe(`rota: ${typo} is not in the schedule${hint}\n`);
    const swap = await rota(["swap", typo, "barbara", "grace"], { cwd: dir, env });
    expect(swap.code).toBe(2);
    expect(swap.stderr).toBe(`rota: ${typo} is not in the schedule${hint}\n`);
    const explain = await rota(["explain", typo], { cwd: dir, env });
    expect(explain.code).toBe(2);
    expect(explain.stderr).toBe(`rota: ${typo} is not in the schedule${hint}\n`);
  });

  test("a mistyped person or shift gets a suggestion from swap and notes", async () => {
    const dir = await teamRepo();
    const person = await rota(["swap", "2026-12-01/emea", "barbara", "gracee"], { cwd: dir, env });
    expect(person.stderr).toBe('rota: in: unknown person "gracee"; did you mean "grace"?\n');
    const shift = await rota(["swap", "2026-12-01/emae", "barbara", "grace"], { cwd: dir, env });
    expect(shift.stderr).toBe('rota: unknown shift "emae"; did you mean "emea"?\n');
    const notes = await rota(["notes", "--as", "gracee", "--answer", "fix=x"], { cwd: dir, env });
    expect(notes.stderr).toContain('did you mean "grace"?');
    const noteShift = await rota(
      ["notes", "--as", "grace", "--shift", "2026-11-24/emae", "--answer", "fix=x"],
      { cwd: dir, env },
    );
    expect(noteShift.stderr).toBe(
      'rota: 2026-11-24/emae is not in the schedule; did you mean "2026-11-24/emea"?\n',
    );
    // A real day the shift does not run on gets no guess at another day.
    const weekend = await rota(["explain", "2026-12-05/emea"], { cwd: dir, env });
    expect(weekend.stderr).toBe("rota: shift emea does not run on 2026-12-05\n");
  });
});
