import { HOLIDAY_REGIONS } from "./codes.generated.ts";
import { ZONE_COUNTRIES } from "./zone-countries.generated.ts";

/** The public holidays a team in one time zone most likely keeps, or why there is no telling. */
export type ZoneHolidays =
  | { country: string; regions: readonly string[] }
  | { country?: undefined; why: string };

/**
 * The holiday country of a time zone: the country of the zone's principal
 * location (IANA zone.tab: America/Chicago → US, Europe/Berlin → DE), where
 * the zone names one and the holiday data knows that country. UTC and the
 * Etc/ zones name none.
 */
export function holidayCountryOf(zone: string): ZoneHolidays {
  const country = ZONE_COUNTRIES[zone];
  if (country === undefined) return { why: `${zone} is not one country's time zone` };
  const regions = HOLIDAY_REGIONS[country];
  if (regions === undefined) {
    return { why: `there is no public-holiday data for ${country}, the country of ${zone}` };
  }
  return { country, regions: regions === "" ? [] : regions.split(" ") };
}
