import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

describe("rota init", () => {
  test("writes a commented roster that validates, and its schema", async () => {
    const dir = tempDir();
    const result = await rota(["init", "--team", "Acme: Support", "--timezone", "Asia/Tokyo"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
    expect(roster).toMatch(/^# yaml-language-server: \$schema=roster\.schema\.json$/m);
    expect(roster).toContain('team: "Acme: Support"');
    expect(roster).toMatch(/^timezone: Asia\/Tokyo /m);
    expect(roster.match(/#/g)?.length).toBeGreaterThan(20);
    expect(readFileSync(path.join(dir, "roster.schema.json"), "utf8")).toBe(
      readFileSync(path.join(ROOT, "schema/roster.schema.json"), "utf8"),
    );
    expect(readFileSync(path.join(dir, "notes/TEMPLATE.md"), "utf8")).toBe(
      readFileSync(path.join(ROOT, "templates/notes.md"), "utf8"),
    );
    const validate = await rota(["validate", "--json"], { cwd: dir });
    expect(JSON.parse(validate.stdout)).toEqual([]);
    expect(validate.code).toBe(0);
  });

  test("into a new directory, named after it by default", async () => {
    const dir = tempDir();
    const result = await rota(["init", "support-team"], { cwd: dir, env: { TZ: "Europe/Paris" } });
    expect(result.code).toBe(0);
    const roster = readFileSync(path.join(dir, "support-team", "roster.yaml"), "utf8");
    expect(roster).toMatch(/^team: support-team$/m);
    expect(roster).toMatch(/^timezone: Europe\/Paris /m);
    expect(result.stderr).toContain("rota -C support-team validate");
  });

  test("never overwrites without --force, and writes nothing at all then", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), "# mine\n");
    const result = await rota(["init"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "rota: roster.yaml already exists; nothing was written (pass --force to overwrite)\n",
    );
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toBe("# mine\n");
    expect(existsSync(path.join(dir, "roster.schema.json"))).toBe(false);

    const forced = await rota(["init", "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toContain("version: 1");
  });

  test("an existing notes template is kept too: all or nothing", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "notes"));
    writeFileSync(path.join(dir, "notes/TEMPLATE.md"), "ours\n");
    const result = await rota(["init"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "rota: notes/TEMPLATE.md already exists; nothing was written (pass --force to overwrite)\n",
    );
    expect(existsSync(path.join(dir, "roster.yaml"))).toBe(false);
    expect(readFileSync(path.join(dir, "notes/TEMPLATE.md"), "utf8")).toBe("ours\n");
  });

  test("refuses an unknown --timezone", async () => {
    const dir = tempDir();
    const result = await rota(["init", "--timezone", "Europe/Berln"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'rota: --timezone: unknown time zone "Europe/Berln"; did you mean "Europe/Berlin"?\n',
    );
    expect(existsSync(path.join(dir, "roster.yaml"))).toBe(false);
  });
});
