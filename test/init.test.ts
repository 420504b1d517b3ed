import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
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

  test("never writes through a link that leads outside, --force or not", async () => {
    const dir = tempDir();
    const outside = tempDir();
    writeFileSync(path.join(outside, "precious.yaml"), "# someone else's\n");
    symlinkSync(path.join(outside, "precious.yaml"), path.join(dir, "roster.yaml"));
    symlinkSync(outside, path.join(dir, "notes"));
    for (const args of [["init"], ["init", "--force"]]) {
      const result = await rota(args, { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^rota: roster\.yaml is a symbolic link to .*precious\.yaml, outside \.: rota init writes only inside the directory it sets up; nothing was written/,
      );
    }
    // A link that leads nowhere would be created through, so it is refused too.
    const dangling = tempDir();
    symlinkSync(path.join(outside, "new.yaml"), path.join(dangling, "roster.yaml"));
    const result = await rota(["init"], { cwd: dangling });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `roster.yaml is a symbolic link to ${path.join(outside, "new.yaml")}, which does not exist, outside .: rota init writes no file through a link that leads nowhere; nothing was written`,
    );
    expect(readdirSync(outside).sort()).toEqual(["precious.yaml"]);
    expect(readFileSync(path.join(outside, "precious.yaml"), "utf8")).toBe("# someone else's\n");
    expect(existsSync(path.join(dir, "roster.schema.json"))).toBe(false);
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

  test.each([
    ["empty", "", "--team must not be empty"],
    ["blank", "   ", "--team must not be empty"],
    ["with a line break", "Acme\nhorizon_weeks: 1", "--team contains U+000A (a line break)"],
    ["with an escape", "Ac\u001b[31mme", "--team contains U+001B (a control character)"],
    [
      "of 500 characters",
      "x".repeat(500),
      "--team is 500 characters long; at most 200 are allowed",
    ],
  ])("refuses a --team the roster would reject (%s), writing nothing", async (_, team, why) => {
    const dir = tempDir();
    const result = await rota(["init", "--team", team], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `rota: ${why}: the roster's team is one line of plain text of at most 200 characters; nothing was written (pass another --team)\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a directory whose name the roster would reject as the team's asks for --team", async () => {
    const dir = tempDir();
    const result = await rota(["init", "bell\u0007s"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `rota: the team's name would be this directory's, "bell\\u0007s", which contains U+0007 (a control character): the roster's team is one line of plain text of at most 200 characters; nothing was written (pass --team NAME)\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a long name with spaces, or with $&, is written as given, on one line, and validates", async () => {
    const dir = tempDir();
    const team = `${"Support and Success ".repeat(9)}$& Co`;
    expect((await rota(["init", "--team", team], { cwd: dir })).code).toBe(0);
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toContain(`\nteam: ${team}\n`);
    const validate = await rota(["validate", "--json"], { cwd: dir });
    expect(JSON.parse(validate.stdout)).toEqual([]);
  });

  test.each([
    ["with a line break", "Europe/Berlin\nx", "contains U+000A (a line break)"],
    ["of 500 characters", "x".repeat(500), "is 500 characters long; at most 100 are allowed"],
  ])("refuses a --timezone the roster would reject (%s), writing nothing", async (_, zone, why) => {
    const dir = tempDir();
    const result = await rota(["init", "--timezone", zone], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `rota: --timezone ${why}: use an IANA name such as Europe/Berlin or America/New_York; nothing was written\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("rota init: public holidays follow the time zone", () => {
  /** The days of the plan's day shift, planned from `now` on an initialised roster. */
  async function planDays(dir: string, now: string): Promise<Set<string>> {
    const plan = await rota(["plan", "--json"], { cwd: dir, env: { ROTA_NOW: now } });
    expect(plan.code, plan.stderr).toBe(0);
    return new Set(JSON.parse(plan.stdout).shifts.map((shift: { date: string }) => shift.date));
  }

  test("a Chicago team keeps US holidays: open on Good Friday and Easter Monday, closed on Memorial Day", async () => {
    const chicago = tempDir();
    const result = await rota(["init", "--timezone", "America/Chicago"], { cwd: chicago });
    expect(result.code).toBe(0);
    const roster = readFileSync(path.join(chicago, "roster.yaml"), "utf8");
    expect(roster).toMatch(
      /^ {2}country: US # public holidays of this country are closed days \(the country of America\/Chicago\)$/m,
    );
    expect(roster).not.toContain("country: DE");
    expect(result.stderr).toContain(
      "holidays.country is US, the country of America/Chicago: its public holidays are closed days (change it in roster.yaml if your team keeps another country's).\n",
    );
    const days = await planDays(chicago, "2027-03-15T12:00:00Z");
    expect(days.has("2027-03-26")).toBe(true); // Good Friday
    expect(days.has("2027-03-29")).toBe(true); // Easter Monday
    expect(days.has("2027-05-31")).toBe(false); // Memorial Day
    expect(days.has("2027-05-28")).toBe(true);

    const berlin = tempDir();
    await rota(["init", "--timezone", "Europe/Berlin"], { cwd: berlin });
    expect(readFileSync(path.join(berlin, "roster.yaml"), "utf8")).toMatch(/^ {2}country: DE /m);
    const german = await planDays(berlin, "2027-03-15T12:00:00Z");
    expect(german.has("2027-03-26")).toBe(false);
    expect(german.has("2027-03-29")).toBe(false);
    expect(german.has("2027-05-31")).toBe(true);
  });

  test("an old zone name finds its country too", async () => {
    const dir = tempDir();
    await rota(["init", "--timezone", "US/Central"], { cwd: dir });
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toMatch(/^ {2}country: US /m);
  });

  test.each([
    ["UTC", "UTC is not one country's time zone"],
    ["Etc/GMT-3", "Etc/GMT-3 is not one country's time zone"],
    ["Antarctica/Troll", "there is no public-holiday data for AQ, the country of Antarctica/Troll"],
  ])(
    "where %s names no country with holidays, the country is commented out and init says so",
    async (zone, why) => {
      const dir = tempDir();
      const result = await rota(["init", "--timezone", zone], { cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        `holidays.country is commented out in roster.yaml: ${why}. Set it to your country's ISO 3166 code (DE, US, GB, …) to close on its public holidays.\n`,
      );
      const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
      expect(roster).toContain(
        "holidays:\n  # country: XX # your country's ISO 3166 code (DE, US, GB, …): its public holidays are closed days\n  dates: []",
      );
      expect(roster).not.toContain("region:");
      const validate = await rota(["validate", "--json"], { cwd: dir });
      expect(JSON.parse(validate.stdout)).toEqual([]);
    },
  );

  test("the region line, uncommented as it stands, gets the list of regions from validate", async () => {
    const dir = tempDir();
    await rota(["init", "--timezone", "America/Chicago"], { cwd: dir });
    const file = path.join(dir, "roster.yaml");
    editFile(file, "  # region: XX", "  region: XX");
    const validate = await rota(["validate"], { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/unknown region "XX" of US.* \(known: .*\bIL\b.*\)/);
  });
});

describe("rota init: .gitignore", () => {
  const IGNORED = [
    "# Built by rota, not kept in git (`rota init` added these):",
    "# calendar invites, which carry people's email addresses",
    "/invites/",
    "# the site `rota site` writes, which CI builds and publishes",
    "/public/",
    "# the feeds `rota calendar` writes, which CI builds into the site",
    "/calendars/",
    "# what `rota notify` has sent, which CI keeps in its cache",
    "/.rota/",
    "",
  ].join("\n");

  test("keeps invites, the site and the calendars out of git, and says which CI builds", async () => {
    const dir = tempDir();
    const result = await rota(["init", "--timezone", "UTC"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe(IGNORED);
    expect(result.stderr).toContain("wrote .gitignore\n");
    expect(result.stderr).toContain(
      ".gitignore keeps out of git what rota builds: public/ and calendars/, the site and calendar feeds, which the CI job builds and publishes itself, invites/, which carry email addresses, and .rota/, what `rota notify` has sent.\n",
    );
    const none = tempDir();
    const bare = await rota(["init", "--timezone", "UTC", "--ci", "none"], { cwd: none });
    expect(bare.stderr).toContain(
      ".gitignore keeps out of git what rota builds: public/ and calendars/, the site and calendar feeds (`rota site`, `rota calendar`: publish them, rather than commit them), invites/, which carry email addresses, and .rota/, what `rota notify` has sent.\n",
    );
  });

  test("an existing .gitignore gains only the lines it lacks, even with --force; one that has them all is left alone", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, ".gitignore"), "node_modules\n/public\n");
    const result = await rota(["init", "--timezone", "UTC"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("added invites/, calendars/ and .rota/ to .gitignore\n");
    const text = readFileSync(path.join(dir, ".gitignore"), "utf8");
    expect(text).toBe(
      "node_modules\n/public\n\n# Built by rota, not kept in git (`rota init` added these):\n# calendar invites, which carry people's email addresses\n/invites/\n# the feeds `rota calendar` writes, which CI builds into the site\n/calendars/\n# what `rota notify` has sent, which CI keeps in its cache\n/.rota/\n",
    );
    const again = await rota(["init", "--timezone", "UTC", "--force"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain(".gitignore\n");
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe(text);
  });

  test("a .gitignore is no reason to refuse: init writes nothing only for the files it scaffolds", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, ".gitignore"), "*.log\n");
    writeFileSync(path.join(dir, "roster.yaml"), "# mine\n");
    const result = await rota(["init"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "rota: roster.yaml already exists; nothing was written (pass --force to overwrite)\n",
    );
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe("*.log\n");
  });
});
