import { describe, expect, test } from "vitest";
import { holidayCountryOf } from "../../src/core/holidays/zone-country.ts";
import { addToGitignore } from "../../src/core/scaffold.ts";
import { ZONE_NAMES } from "../../src/core/zones.generated.ts";

describe("addToGitignore", () => {
  test("a new .gitignore holds every entry, each with why", () => {
    const { text, added } = addToGitignore(undefined);
    expect(added).toEqual(["invites/", "public/", "calendars/", ".rota/"]);
    expect(text.split("\n").filter((line) => line.startsWith("/"))).toEqual([
      "/invites/",
      "/public/",
      "/calendars/",
      "/.rota/",
    ]);
  });

  test("entries already there, with or without slashes, are not added again; nothing else changes", () => {
    const existing = "# ours\r\ninvites\r\n/calendars/\r\n.rota\r\ndist";
    const { text, added } = addToGitignore(existing);
    expect(added).toEqual(["public/"]);
    expect(text.startsWith(`${existing}\n\n# Built by rota`)).toBe(true);
    expect(text.endsWith("/public/\n")).toBe(true);
    expect(addToGitignore("invites/\npublic/\ncalendars/\n.rota/\n")).toEqual({
      text: "invites/\npublic/\ncalendars/\n.rota/\n",
      added: [],
    });
  });

  test("a commented-out entry does not count", () => {
    expect(addToGitignore("# /invites/\n/public/\n/calendars/\n/.rota\n").added).toEqual([
      "invites/",
    ]);
  });
});

describe("holidayCountryOf", () => {
  test("the country of the zone's principal location (IANA zone.tab)", () => {
    expect(holidayCountryOf("America/Chicago")).toMatchObject({ country: "US" });
    expect(holidayCountryOf("Europe/Berlin")).toMatchObject({ country: "DE" });
    expect(holidayCountryOf("Europe/Zurich")).toMatchObject({ country: "CH" });
    expect(holidayCountryOf("Europe/Copenhagen")).toMatchObject({ country: "DK" });
    expect(holidayCountryOf("Asia/Calcutta")).toMatchObject({ country: "IN" });
    expect(holidayCountryOf("UTC")).toEqual({ why: "UTC is not one country's time zone" });
  });

  test("every zone rota accepts either has a country with holiday data or says why not", () => {
    for (const zone of ZONE_NAMES) {
      const result = holidayCountryOf(zone);
      if ("why" in result) expect(result.why).toContain(zone);
      else expect(result.country).toMatch(/^[A-Z]{2}$/);
    }
  });
});
