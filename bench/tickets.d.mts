/** Help-desk exports for benchmarks and tests (see tickets.mjs). */
export const PEOPLE: number;
export const NOW: string;
export function ticketRoster(): string;
export function ticketSchedule(): string;
export function writeExport(
  file: string,
  format:
    | "generic-csv"
    | "zendesk-json"
    | "zendesk-jsonl"
    | "helpscout-json"
    | "intercom-json"
    | string,
  count: number,
  seed?: number,
): void;
export function ticketTeam(dir: string): void;
