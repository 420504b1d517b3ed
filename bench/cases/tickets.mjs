// Help-desk exports: `rota report --tickets` on 500,000 tickets of a
// 200-person team's two years of daily shifts (bench/tickets.mjs), as a
// generic CSV and as each vendor's JSON document.

import path from "node:path";
import { NOW, ticketTeam, writeExport } from "../tickets.mjs";

const TICKETS = 500_000;
const ENV = { ROTA_NOW: NOW };

const EXPORTS = [
  ["generic CSV", "generic-csv", "tickets.csv"],
  ["Zendesk tickets JSON with metric sets", "zendesk-json", "zendesk.json"],
  ["Zendesk tickets JSON lines", "zendesk-jsonl", "zendesk.jsonl"],
  ["Help Scout conversations JSON", "helpscout-json", "helpscout.json"],
  ["Intercom conversations JSON", "intercom-json", "intercom.json"],
];

export const cases = EXPORTS.map(([label, format, file]) => ({
  group: "tickets",
  name: `report --tickets 500,000 tickets (${label})`,
  runs: 3,
  setup: (dir) => {
    ticketTeam(dir);
    writeExport(path.join(dir, file), format, TICKETS);
  },
  command: ["report", "--json", "--tickets", file],
  env: ENV,
  target: { ms: 3000, rss: 1024 },
}));
