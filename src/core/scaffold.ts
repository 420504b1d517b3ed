import { stringify } from "yaml";
import { holidayCountryOf, type ZoneHolidays } from "./holidays/zone-country.ts";

/**
 * What `rota init` writes, as text: the roster template filled in for a team,
 * and the lines of `.gitignore` that keep what rota builds out of git. Pure.
 */

/**
 * The roster template with the team name, zone and holiday country filled
 * in, comments kept. The holiday country follows the zone where the zone
 * names one country (America/Chicago → US); elsewhere (UTC) the line is left
 * commented out for the team to fill in.
 */
export function fillRosterTemplate(
  template: string,
  team: string,
  timezone: string,
): { text: string; holidays: ZoneHolidays } {
  // On one line however long (yaml folds at 80 columns, which would break the
  // `team:` line apart), and put in by a function, so that `$&` in a name is
  // no replacement pattern.
  const scalar = (value: string) => stringify(value, { lineWidth: 0 }).trimEnd();
  const holidays = holidayCountryOf(timezone);
  const country = holidays.country
    ? `  country: ${holidays.country} # public holidays of this country are closed days (the country of ${timezone})`
    : "  # country: XX # your country's ISO 3166 code (DE, US, GB, …): its public holidays are closed days";
  const region =
    holidays.country && holidays.regions.length > 0
      ? [
          `  # region: XX # optional: one of its states or regions, for their own holidays (\`rota validate\` lists them)`,
        ]
      : [];
  const text = template
    .replace(/^team: .*$/m, () => `team: ${scalar(team)}`)
    .replace(/^timezone: \S+/m, () => `timezone: ${scalar(timezone)}`)
    .replace(/^ {2}country: .*\n(?: {2}# region: .*\n)?/m, `${[country, ...region].join("\n")}\n`);
  return { text, holidays };
}

/** What rota writes beside the roster that git should not keep, and why (init names them in this order). */
export const IGNORED = [
  { path: "invites/", why: "calendar invites, which carry people's email addresses" },
  { path: "public/", why: "the site `rota site` writes, which CI builds and publishes" },
  { path: "calendars/", why: "the feeds `rota calendar` writes, which CI builds into the site" },
  { path: ".rota/", why: "what `rota notify` has sent, which CI keeps in its cache" },
] as const;

/**
 * `.gitignore` with the lines for what rota builds, added to what is there:
 * nothing is removed or reordered, and an entry already present (with or
 * without its slashes) is not added again. `added` is empty when nothing
 * needed adding.
 */
export function addToGitignore(existing: string | undefined): { text: string; added: string[] } {
  const present = new Set(
    (existing ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim().replace(/^\//, "").replace(/\/$/, ""))
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
  const missing = IGNORED.filter((entry) => !present.has(entry.path.replace(/\/$/, "")));
  if (missing.length === 0) return { text: existing ?? "", added: [] };
  const lines = [
    "# Built by rota, not kept in git (`rota init` added these):",
    ...missing.flatMap((entry) => [`# ${entry.why}`, `/${entry.path}`]),
  ];
  const before =
    existing === undefined || existing === ""
      ? ""
      : existing.endsWith("\n\n")
        ? existing
        : existing.endsWith("\n")
          ? `${existing}\n`
          : `${existing}\n\n`;
  return { text: `${before}${lines.join("\n")}\n`, added: missing.map((entry) => entry.path) };
}
