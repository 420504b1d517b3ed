import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { readSchedule } from "./helpers/repo.ts";
import { TINY_NOW, tinyRepoWithLeavers } from "./helpers/tiny-repo.ts";

/**
 * rota report --tickets for people no longer in the roster: someone who left,
 * and someone whose id was renamed (dee, now dora, who kept dee's email).
 */

interface Row {
  id: string;
  name: string;
  team: string | null;
  shifts: number;
  conversations: number;
}

describe("rota report --tickets and people who left the roster", () => {
  test("their tickets are theirs, by the email, name and aliases the roster's history gave them", async () => {
    const dir = await tinyRepoWithLeavers();
    const served = (id: string) =>
      readSchedule(dir)
        .filter((e) => e.date < "2026-10-12" && e.people.includes(id))
        .map((e) => e.date);
    expect(served("eve")).toEqual(["2026-10-02", "2026-10-08"]);
    expect(served("dee")).toContain("2026-10-06");
    const file = path.join(dir, "tickets.csv");
    writeFileSync(
      file,
      [
        "agent,timestamp,id",
        "eve@example.com,2026-10-02T10:00:00+02:00,1",
        "dee@example.com,2026-10-06T10:00:00+02:00,2",
        "E. Online,2026-10-08T11:00:00+02:00,3",
        "Dee Dee,2026-10-06T12:00:00+02:00,4",
        // dee's email, now dora's, when neither served: no one's shift
        "dee@example.com,2026-10-06T20:00:00+02:00,5",
        "",
      ].join("\n"),
    );
    const result = await rota(["report", "--tickets", file, "--json"], {
      cwd: dir,
      env: { ROTA_NOW: TINY_NOW },
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const gone = report.people.filter((p: { onRoster: boolean }) => !p.onRoster);
    expect(gone.map((p: { id: string }) => p.id)).toEqual(["dee", "eve"]);
    const desk = report.helpdesk;
    // The same people, in the same order, as the report's rows.
    expect(desk.people.map((p: Row) => p.id)).toEqual(report.people.map((p: Row) => p.id));
    const row = (id: string) => desk.people.find((p: Row) => p.id === id);
    expect(row("eve")).toMatchObject({
      name: "Eve Online",
      team: "design",
      shifts: 2,
      conversations: 2,
    });
    expect(row("dee")).toMatchObject({ name: "Dee Dee", team: "eng", shifts: 1, conversations: 2 });
    expect(row("dora")).toMatchObject({ shifts: 0, conversations: 0 });
    expect(desk.teams.map((t: Row) => [t.id, t.conversations])).toEqual([
      ["design", 2],
      ["eng", 2],
    ]);
    expect(desk.unmatched.reasons).toEqual([
      expect.objectContaining({
        reason: "outside-shift",
        count: 1,
        examples: [{ value: "dora or dee", count: 1 }],
      }),
    ]);
  });
});
