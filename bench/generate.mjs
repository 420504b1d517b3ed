// Deterministic rosters for benchmarks: N people with teams, roles, weights,
// time off and start/leave dates; several shifts and seats; public holidays.
// Usage: node bench/generate.mjs <people> <weeks> <shifts> <seats> > roster.yaml

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same roster. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(2, "0");
const date = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const addDays = (iso, days) => date(new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000));

/** The teams of a generated company; support first (it holds the pro role). */
export const TEAMS = [
  "support",
  "engineering",
  "design",
  "sales",
  "finance",
  "leadership",
  "operations",
];

/**
 * The roster text. `start` is the first planned day; time off and joins fall
 * around it so that every rule is exercised.
 */
export function generateRoster({ people, weeks, shifts, seats, start = "2026-11-23", seed = 1 }) {
  const rand = random(seed);
  const zones = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Singapore",
    "Europe/London",
    "America/Los_Angeles",
  ];
  const lines = [
    "version: 1",
    `team: Bench ${people}`,
    "timezone: Europe/Berlin",
    `horizon_weeks: ${weeks}`,
    "holidays:",
    "  country: DE",
    "  dates: [2026-12-24, 2026-12-31]",
    "shifts:",
  ];
  for (let s = 0; s < shifts; s++) {
    const startHour = 6 + ((s * 3) % 12);
    lines.push(
      `  - id: shift-${s}`,
      `    name: Shift ${s}`,
      `    days: [mon, tue, wed, thu, fri${s % 3 === 2 ? ", sat, sun" : ""}]`,
      `    start: "${pad(startHour)}:00"`,
      `    end: "${pad(startHour + 6)}:00"`,
      `    timezone: ${zones[s % zones.length]}`,
      "    seats:",
    );
    for (let k = 0; k < seats; k++) lines.push(`      - role: ${k === 0 ? "pro" : "any"}`);
  }
  lines.push(
    "rules:",
    "  min_gap_days: 14",
    "  every: 1 year",
    "  newcomers:",
    "    first_shift_within_days: 28",
    "    pair_with: pro",
    "teams:",
    "  support:",
    "    roles: [pro]",
    "    min_gap_days: 2",
    "  leadership:",
    "    every: 1 year",
    "    weight: 0.5",
    "people:",
  );
  for (let i = 0; i < people; i++) {
    // One in ten is on the support team, so pro seats can be filled.
    const team = i % 10 === 0 ? "support" : TEAMS[1 + Math.floor(rand() * (TEAMS.length - 1))];
    const fields = [`id: p${i}`, `name: Person ${i}`, `email: p${i}@example.com`, `team: ${team}`];
    const joinOffset = Math.floor(rand() * 900) - 800; // most joined before the start
    fields.push(`joined: ${addDays(start, joinOffset)}`);
    if (rand() < 0.05) {
      fields.push(
        `left: ${addDays(start, Math.max(joinOffset, 0) + 30 + Math.floor(rand() * 300))}`,
      );
    }
    if (rand() < 0.1) fields.push("weight: 0.5");
    const away = [];
    if (rand() < 0.4) {
      const from = Math.floor(rand() * weeks * 7);
      away.push(
        `{ from: ${addDays(start, from)}, to: ${addDays(start, from + 3 + Math.floor(rand() * 14))}, reason: holiday }`,
      );
    }
    lines.push(`  - { ${fields.join(", ")}${away.length ? `, away: [${away.join(", ")}]` : ""} }`);
  }
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [people = "50", weeks = "12", shifts = "3", seats = "2"] = process.argv.slice(2);
  process.stdout.write(
    generateRoster({ people: +people, weeks: +weeks, shifts: +shifts, seats: +seats }),
  );
}
