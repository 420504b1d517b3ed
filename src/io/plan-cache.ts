import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "../context.ts";
import { cacheDirOf, readCacheBytes, removeCacheFile, writeCacheFile } from "./cache.ts";
import { forScreen } from "./screen.ts";

/**
 * What `rota plan` printed the last time it found nothing to change, kept in
 * `.rota/cache/` beside the roster, so that planning again with the same inputs
 * prints it without reading the roster or planning anew.
 *
 * A plan is a function of the roster, the schedule and "now" (and of rota
 * itself, and of Node's time-zone data). The record holds digests of the roster's and the schedule's
 * bytes, the build of rota that made it, how the output was asked for, and
 * the span of "now" over which the planner reads those inputs the same (the
 * same day, no occurrence starting in between: PlanResult.steady). Only a
 * plan that wrote nothing, from a roster with nothing to warn about, is
 * recorded, so the schedule on disk is the one that plan would write again.
 * Anything else, or any doubt (a damaged record, another build), plans.
 */

const FILE = "plan-output";
/** Where version 1 kept its record, as JSON: removed when a record is written. */
const FORMER_FILE = "plan-output.json";
const VERSION = 2;

/*
 * The record is one line of JSON (the key, the zone, the span of "now", and
 * the length in bytes of each output), then the two outputs' bytes as they
 * reached the terminal: a replay writes them as they are, with no JSON
 * string of megabytes to parse, decode or encode again.
 */

export interface PlanRecord {
  /** Digest of everything but "now" (see `keyOf`). */
  key: string;
  /** The roster's time zone, to read `--now` as the planner did. */
  zone: string;
  /** "now" in (from, until] plans the same. */
  from: number;
  until: number;
  /** stdout and stderr, as written (io/screen.ts's forScreen applied). */
  out: Uint8Array;
  err: Uint8Array;
}

/** The record's path: `.rota/cache/plan-output` beside the roster. */
export function recordPath(ctx: Context): string {
  return path.join(cacheDirOf(ctx.rosterPath), FILE);
}

let build: string | null | undefined;

/**
 * This build of rota: the names (content hashes), sizes and times of the
 * bundle's files. Undefined when running from the sources (tests), where no
 * record is kept.
 */
function buildOf(): string | undefined {
  if (build !== undefined) return build ?? undefined;
  build = null;
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const dist = path.basename(here) === "chunks" ? path.dirname(here) : here;
    if (path.basename(dist) !== "dist") return undefined;
    const hash = createHash("sha256");
    for (const dir of [dist, path.join(dist, "chunks")]) {
      for (const name of readdirSync(dir).sort()) {
        if (!name.endsWith(".js")) continue;
        const stat = statSync(path.join(dir, name));
        hash.update(`${dir === dist ? "" : "chunks/"}${name} ${stat.size} ${stat.mtimeMs}\n`);
      }
    }
    build = hash.digest("hex");
  } catch {
    build = null;
  }
  return build ?? undefined;
}

/**
 * The digest of a plan's inputs other than "now": this build and Node's, the
 * roster's and the schedule's bytes, and how the output is shown (`view`:
 * format, width, colours, who is asking, file names).
 */
export function keyOf(
  roster: Uint8Array,
  schedule: Uint8Array,
  view: Record<string, unknown>,
): string | undefined {
  const identity = buildOf();
  if (!identity) return undefined;
  const hash = createHash("sha256");
  // Node and its time-zone data too: a shift's times come from them.
  const runtime = `${process.version} ${process.versions.tz ?? ""} ${process.versions.icu ?? ""}`;
  hash.update(`rota plan ${VERSION}\n${identity}\n${runtime}\n${JSON.stringify(view)}\n`);
  hash.update(`roster ${roster.length}\n`);
  hash.update(roster);
  hash.update(`schedule ${schedule.length}\n`);
  hash.update(schedule);
  return hash.digest("hex");
}

/** The record kept, if there is one and it is whole. */
export async function readRecord(ctx: Context): Promise<PlanRecord | undefined> {
  const bytes = await readCacheBytes(ctx.rosterPath, FILE);
  if (bytes === undefined) return undefined;
  const end = bytes.indexOf(0x0a);
  if (end === -1) return undefined;
  let head: {
    version?: unknown;
    key?: unknown;
    zone?: unknown;
    from?: unknown;
    until?: unknown;
    out?: unknown;
    err?: unknown;
  } | null;
  try {
    head = JSON.parse(bytes.toString("utf8", 0, end));
  } catch {
    return undefined;
  }
  if (
    head === null ||
    typeof head !== "object" ||
    head.version !== VERSION ||
    typeof head.key !== "string" ||
    typeof head.zone !== "string" ||
    typeof head.from !== "number" ||
    typeof head.until !== "number" ||
    !Number.isSafeInteger(head.out) ||
    !Number.isSafeInteger(head.err)
  ) {
    return undefined;
  }
  const out = head.out as number;
  const err = head.err as number;
  // A record cut short, or with anything after it, is not the one written.
  if (out < 0 || err < 0 || end + 1 + out + err !== bytes.length) return undefined;
  return {
    key: head.key,
    zone: head.zone,
    from: head.from,
    until: head.until,
    out: bytes.subarray(end + 1, end + 1 + out),
    err: bytes.subarray(end + 1 + out),
  };
}

/**
 * Keeps the record in rota's cache (atomically: a reader sees the old record
 * or the new one). A cache only: where it cannot be kept, the next plan plans.
 * `out` and `err` are what the plan printed, before io/screen.ts's escaping.
 */
export async function writeRecord(
  ctx: Context,
  record: Omit<PlanRecord, "out" | "err"> & { out: string; err: string },
): Promise<void> {
  const out = Buffer.from(forScreen(record.out));
  const err = Buffer.from(forScreen(record.err));
  const { key, zone, from, until } = record;
  const head = JSON.stringify({
    version: VERSION,
    key,
    zone,
    from,
    until,
    out: out.length,
    err: err.length,
  });
  await writeCacheFile(ctx.rosterPath, FILE, Buffer.concat([Buffer.from(`${head}\n`), out, err]));
  await removeCacheFile(ctx.rosterPath, FORMER_FILE);
}
