import { readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * Times shown in the zone this process runs in, read from Date's own local
 * fields: the same zone data as luxon's (both come from the runtime's ICU),
 * without loading luxon or building an Intl formatter, which costs a quick
 * command such as `rota who` a good part of its start-up. Only the patterns
 * `rota who` prints are known here; `formatLocal` (core/time.ts) does the
 * rest. The names are those of luxon's en-GB output (checked by the tests).
 */

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sept",
  "Oct",
  "Nov",
  "Dec",
];

/** The patterns `formatInProcessZone` knows. */
export const PROCESS_ZONE_FORMATS: ReadonlySet<string> = new Set([
  "HH:mm",
  "yyyy",
  "ccc d LLL",
  "ccc d LLL yyyy",
  "ccc d LLL HH:mm",
  "ccc d LLL yyyy HH:mm",
]);

const two = (n: number) => String(n).padStart(2, "0");

/**
 * `formatLocal(ms, zone, format)` for the zone this process's Date uses; one
 * of PROCESS_ZONE_FORMATS.
 */
export function formatInProcessZone(ms: number, format: string): string {
  if (!PROCESS_ZONE_FORMATS.has(format)) throw new Error(`formatInProcessZone: ${format}`);
  const date = new Date(ms);
  return format.replace(/ccc|yyyy|LLL|HH|mm|d/g, (token) => {
    switch (token) {
      case "ccc":
        return WEEKDAYS[date.getDay()] as string;
      case "yyyy":
        return String(date.getFullYear()).padStart(4, "0");
      case "LLL":
        return MONTHS[date.getMonth()] as string;
      case "HH":
        return two(date.getHours());
      case "mm":
        return two(date.getMinutes());
      default:
        return String(date.getDate());
    }
  });
}

/**
 * The system's time zone as Intl names it, remembered in `cacheDir` beside
 * what decides it: the target of /etc/localtime and the runtime's ICU and
 * zone data. Building an Intl formatter only to learn the name costs a quick
 * command more than all else it does; a system where /etc/localtime is no
 * link (or a cache that cannot be read or written) asks Intl each time. The
 * directory is not made here: the roster's index makes it, git-ignored.
 */
export function systemZone(cacheDir: string): string | undefined {
  const ask = () => Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
  let link: string;
  try {
    link = readlinkSync("/etc/localtime");
  } catch {
    return ask();
  }
  const key = [link, process.versions.icu, process.versions.tz].join("\n");
  const file = path.join(cacheDir, "system-zone.json");
  try {
    const cached = JSON.parse(readFileSync(file, "utf8"));
    if (cached?.key === key && typeof cached.zone === "string") return cached.zone;
  } catch {
    // Not there yet, or damaged: asked again and written anew.
  }
  const zone = ask();
  if (typeof zone !== "string") return zone;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify({ key, zone }), { flag: "wx" });
    renameSync(temporary, file);
  } catch {
    // Where the directory is not one (a file named .rota), nor is there anything to remove.
    try {
      rmSync(temporary, { force: true });
    } catch {}
  }
  return zone;
}
