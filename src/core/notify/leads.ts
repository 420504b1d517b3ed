import { DateTime } from "luxon";

/**
 * How long before a shift a reminder goes: `7d`, `1d`, `12h`, `30m`, `2w`.
 * Days and weeks are calendar days in the shift's zone (a `1d` reminder of a
 * 09:00 shift goes at 09:00 the day before, across a clock change too);
 * hours and minutes are elapsed time.
 */
export interface Lead {
  /** As written: `1d`. */
  label: string;
  unit: "w" | "d" | "h" | "m";
  count: number;
}

const LEAD = /^([1-9]\d{0,3})([wdhm])$/;

/** Reads `7d,1d`: the leads, longest first, or the problem with the text. */
export function parseLeads(value: string): Lead[] | string {
  const leads: Lead[] = [];
  for (const raw of value.split(",")) {
    const label = raw.trim();
    const match = LEAD.exec(label);
    if (!match) {
      return `"${label}" is not a lead time: use a number and w, d, h or m, e.g. 7d,1d or 2h`;
    }
    leads.push({ label, count: Number(match[1]), unit: match[2] as Lead["unit"] });
  }
  const seen = new Set<number>();
  const unique = leads.filter((lead) => {
    const ms = approximateMs(lead);
    if (seen.has(ms)) return false;
    seen.add(ms);
    return true;
  });
  return unique.sort((a, b) => approximateMs(b) - approximateMs(a));
}

function approximateMs(lead: Lead): number {
  const unit = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[lead.unit];
  return lead.count * unit;
}

/** The instant `lead` before `start`, counting days on the wall clock of `zone`. */
export function leadBefore(start: number, lead: Lead, zone: string): number {
  if (lead.unit === "h") return start - lead.count * 3_600_000;
  if (lead.unit === "m") return start - lead.count * 60_000;
  const days = lead.unit === "w" ? lead.count * 7 : lead.count;
  return DateTime.fromMillis(start, { zone }).minus({ days }).toMillis();
}
