// Field notes as `rota notes` writes them, with varied answers, for the
// benchmarks that read a history of notes.

import { writeFileSync } from "node:fs";
import path from "node:path";

const TAGS = [
  "billing",
  "sso",
  "exports",
  "invoices",
  "onboarding",
  "api",
  "mobile",
  "permissions",
  "search",
  "notifications",
  "import",
  "reports",
  "integrations",
  "performance",
  "pricing",
  "security",
  "calendar",
  "email",
  "dashboard",
  "refunds",
];
const STRUGGLES = [
  "Setting up SSO with Okta and the SAML metadata URL",
  "Invoices in the wrong currency after changing plans",
  "CSV exports time out for large accounts",
  "Finding where to invite teammates",
  "API rate limits hit by nightly syncs",
  "The mobile app logging out after updates",
  "Permissions for guests are confusing",
  "Search does not find archived projects",
  "Too many notification emails",
  "Importing contacts from spreadsheets with accents",
  "Reports showing totals in the wrong time zone",
  "Connecting the calendar integration",
  "Dashboard loading slowly on Mondays",
  "Refunds for annual plans",
  "Two-factor codes not arriving by SMS",
];
const FIXES = [
  "Document the SAML metadata URL",
  "Show the invoice currency on the plan page",
  "Stream CSV exports instead of building them in memory",
  "An invite button on the team page",
  "Raise API limits for nightly syncs",
  "Keep mobile sessions across updates",
  "Explain guest permissions in the settings",
  "Include archived projects in search",
  "A digest instead of single notification emails",
  "Detect spreadsheet encodings on import",
];

/**
 * Writes the note of `person` for the occurrence `date`/`shift` that ended at
 * `end` (ISO, UTC) into `folder`, with answers drawn from `rand`.
 */
export function writeNote(folder, { date, shift, person, end }, rand) {
  const tags = [TAGS[Math.floor(rand() * TAGS.length)], TAGS[Math.floor(rand() * TAGS.length)]];
  const unique = [...new Set(tags)];
  const handled = Math.floor(rand() * 30);
  const mood = 1 + Math.floor(rand() * 5);
  const struggles = STRUGGLES[Math.floor(rand() * STRUGGLES.length)];
  const fix = FIXES[Math.floor(rand() * FIXES.length)];
  writeFileSync(
    path.join(folder, `${date}-${shift}-${person}.md`),
    [
      "---",
      `occurrence: ${date}/${shift}`,
      `date: ${date}`,
      `shift: ${shift}`,
      `person: ${person}`,
      `tags: [${unique.join(", ")}]`,
      `handled: ${handled}`,
      `mood: ${mood}`,
      "---",
      `<!-- rota:entry ${end.replace("Z", "+00:00")} -->`,
      `## ${shift}, ${date}: ${person}`,
      "",
      "### What customers struggled with",
      "",
      "<!-- rota:answer struggles long -->",
      struggles,
      "<!-- rota:end struggles -->",
      "",
      "### One thing we should fix",
      "",
      "<!-- rota:answer fix text -->",
      fix,
      "<!-- rota:end fix -->",
      "",
      `- Conversations handled: <!-- rota:answer handled number -->${handled}<!-- rota:end handled -->`,
      `- Tags: <!-- rota:answer tags tags -->${unique.join(", ")}<!-- rota:end tags -->`,
      `- How the shift felt (1–5): <!-- rota:answer mood rating -->${mood}<!-- rota:end mood -->`,
      "",
    ].join("\n"),
  );
}
