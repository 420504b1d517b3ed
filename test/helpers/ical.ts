import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ICAL from "ical.js";
import nodeIcal from "node-ical";

/**
 * Independent readers of the feeds rota writes: ical.js (Mozilla's), node-ical,
 * python-icalendar and libical (the last two through /usr/bin/python3), and
 * byte-level checks of our own. None of them shares code with the writer.
 */

export interface ReadEvent {
  uid: string;
  summary: string;
  description: string;
  sequence: number;
  /** Epoch seconds for timed events. */
  start?: number;
  end?: number;
  /** YYYY-MM-DD for all-day events. */
  startDate?: string;
  endDate?: string;
}

// ical.js knows NAME (RFC 7986) and the X-WR- names only as raw text; they are TEXT values.
for (const property of ["name", "x-wr-calname", "x-wr-caldesc"]) {
  ICAL.design.defaultSet.property[property] = { defaultType: "text" };
}

/** ical.js: VTIMEZONEs registered first, so that TZIDs resolve through the file's own blocks. */
export function readWithIcalJs(text: string): { name: string | null; events: ReadEvent[] } {
  const root = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const zone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  const events = root.getAllSubcomponents("vevent").map((component): ReadEvent => {
    const event = new ICAL.Event(component);
    const common = {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      sequence: event.sequence,
    };
    if (event.startDate.isDate) {
      return {
        ...common,
        startDate: event.startDate.toString(),
        endDate: event.endDate.toString(),
      };
    }
    return { ...common, start: event.startDate.toUnixTime(), end: event.endDate.toUnixTime() };
  });
  const name = root.getFirstPropertyValue("x-wr-calname");
  return { name: typeof name === "string" ? name : null, events };
}

function isoDate(value: Date): string {
  // node-ical gives all-day dates as local midnight of the machine's zone.
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

/** node-ical: a tolerant reader, as many client libraries are. */
export function readWithNodeIcal(text: string): ReadEvent[] {
  const data = nodeIcal.sync.parseICS(text);
  return Object.values(data)
    .filter((item): item is nodeIcal.VEvent => item?.type === "VEVENT")
    .map((event): ReadEvent => {
      const start = event.start as Date & { dateOnly?: boolean };
      const end = event.end as Date & { dateOnly?: boolean };
      const text = (value: unknown) =>
        typeof value === "string" ? value : ((value as { val?: string })?.val ?? "");
      const common = {
        uid: event.uid,
        summary: text(event.summary),
        description: text(event.description),
        sequence: Number(event.sequence ?? 0),
      };
      if (start.dateOnly) return { ...common, startDate: isoDate(start), endDate: isoDate(end) };
      return { ...common, start: start.getTime() / 1000, end: end.getTime() / 1000 };
    });
}

export interface PythonEvent {
  uid: string;
  summary: string;
  description: string;
  sequence: number;
  start: { epoch?: number; date?: string; floating?: string };
  end: { epoch?: number; date?: string; floating?: string };
  dtstamp_utc: boolean;
  status: string | null;
  transp: string | null;
  organizer: string | null;
  attendees: string[];
  alarms: number;
}

export interface PythonFile {
  python: {
    name: string | null;
    method: string | null;
    events: PythonEvent[];
    errors: string[];
  };
  libical?: { errors: string[]; restriction_ok: boolean };
}

export const PYTHON = "/usr/bin/python3";
const CHECKER = fileURLToPath(new URL("./ical_check.py", import.meta.url));

/** Whether python-icalendar can be used (CI installs it; see .ci/run). */
export async function pythonAvailable(): Promise<{ icalendar: boolean; libical: boolean }> {
  if (!existsSync(PYTHON)) return { icalendar: false, libical: false };
  try {
    const result = await runChecker([]);
    return { icalendar: true, libical: result.libical };
  } catch {
    return { icalendar: false, libical: false };
  }
}

function runChecker(
  files: string[],
): Promise<{ libical: boolean; files: Record<string, PythonFile> }> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [CHECKER, ...files],
      { maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

/** python-icalendar and libical, one process for many files. */
export async function readWithPython(files: string[]): Promise<Record<string, PythonFile>> {
  return (await runChecker(files)).files;
}

/**
 * Byte-level rules no parser enforces: CRLF after every line (the last one
 * too), no line over 75 octets, folds that never split a UTF-8 character,
 * one VERSION and PRODID per calendar, UIDs unique, DTSTAMP and
 * LAST-MODIFIED in UTC, every TZID declared, no floating times, no TZID=UTC,
 * all-day dates with an exclusive, later DTEND. Returns the problems found.
 */
export function checkBytes(bytes: Buffer): string[] {
  const problems: string[] = [];
  const text = bytes.toString("utf8");
  if (!text.endsWith("\r\n")) problems.push("the last line does not end with CRLF");
  if (/[^\r]\n/.test(text) || text.startsWith("\n")) problems.push("a line ends with LF alone");
  if (/\r(?!\n)/.test(text)) problems.push("a CR without LF");
  const physical = text.slice(0, -2).split("\r\n");
  physical.forEach((line, index) => {
    const octets = Buffer.byteLength(line, "utf8");
    if (octets > 75) problems.push(`line ${index + 1} has ${octets} octets`);
    if (line.includes("\uFFFD")) problems.push(`line ${index + 1} splits a UTF-8 character`);
  });
  // Each physical line must be valid UTF-8 on its own: a fold never splits a character.
  let offset = 0;
  for (const line of bytes.toString("latin1").slice(0, -2).split("\r\n")) {
    const slice = bytes.subarray(offset, offset + line.length);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(slice);
    } catch {
      problems.push(`the fold at byte ${offset} splits a UTF-8 character`);
    }
    offset += line.length + 2;
  }

  const lines = text
    .slice(0, -2)
    .split("\r\n")
    .reduce<string[]>((all, line) => {
      if (line.startsWith(" ") || line.startsWith("\t")) all[all.length - 1] += line.slice(1);
      else all.push(line);
      return all;
    }, []);
  const count = (prefix: string) => lines.filter((line) => line.startsWith(prefix)).length;
  if (count("BEGIN:VCALENDAR") !== 1) problems.push("not exactly one VCALENDAR");
  if (count("VERSION:") !== 1 || !lines.includes("VERSION:2.0"))
    problems.push("VERSION:2.0 not once");
  if (count("PRODID:") !== 1) problems.push("PRODID not once");

  const declared = new Set(lines.filter((l) => l.startsWith("TZID:")).map((l) => l.slice(5)));
  const uids = new Set<string>();
  let inEvent = false;
  let inAlarm = false;
  let event: string[] = [];
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") {
      inEvent = true;
      event = [];
      continue;
    }
    if (line === "BEGIN:VALARM") inAlarm = true;
    if (line === "END:VALARM") inAlarm = false;
    if (line === "END:VEVENT") {
      inEvent = false;
      const props = (name: string) => event.filter((l) => new RegExp(`^${name}[;:]`).test(l));
      const uid = props("UID");
      if (uid.length !== 1) problems.push(`an event has ${uid.length} UIDs`);
      const id = uid[0]?.slice(4) ?? "";
      if (uids.has(id)) problems.push(`UID ${id} twice`);
      uids.add(id);
      if (Buffer.byteLength(id) >= 255) problems.push(`UID ${id} is too long`);
      for (const name of ["DTSTAMP", "DTSTART", "SEQUENCE"]) {
        if (props(name).length !== 1) problems.push(`${id}: ${name} not once`);
      }
      for (const name of ["DTSTAMP", "LAST-MODIFIED", "CREATED"]) {
        for (const line of props(name)) {
          if (!/^[A-Z-]+:\d{8}T\d{6}Z$/.test(line)) problems.push(`${id}: ${line} is not UTC`);
        }
      }
      const start = props("DTSTART")[0] ?? "";
      const end = props("DTEND")[0] ?? "";
      if (start.includes("VALUE=DATE")) {
        if (start.includes("TZID") || end.includes("TZID"))
          problems.push(`${id}: all-day with TZID`);
        const s = /:(\d{8})$/.exec(start)?.[1];
        const e = /:(\d{8})$/.exec(end)?.[1];
        if (!s || !e || !end.includes("VALUE=DATE") || e <= s) {
          problems.push(`${id}: all-day DTEND must be a later date (exclusive): ${start} ${end}`);
        }
      } else {
        for (const line of [start, end]) {
          const tzid = /;TZID=([^;:]+)/.exec(line)?.[1];
          if (tzid === undefined && !/:\d{8}T\d{6}Z$/.test(line)) {
            problems.push(`${id}: floating time ${line}`);
          }
          if (tzid !== undefined && !declared.has(tzid))
            problems.push(`${id}: undeclared TZID ${tzid}`);
          if (tzid === "UTC") problems.push(`${id}: TZID=UTC`);
        }
      }
      continue;
    }
    if (inEvent && !inAlarm) event.push(line);
  }
  return problems;
}

/** The logical lines of a file (unfolded). */
export function unfold(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter((line) => line !== "");
}
