import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "../context.ts";
import { cacheDirOf, readCacheFile, writeCacheFile } from "./cache.ts";

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

const FILE = "plan-output.json";
const VERSION = 1;

export interface PlanRecord {
  /** Digest of everything but "now" (see `keyOf`). */
  key: string;
  /** The roster's time zone, to read `--now` as the planner did. */
  zone: string;
  /** "now" in (from, until] plans the same. */
  from: number;
  until: number;
  out: string;
  err: string;
}

/** The record's path: `.rota/cache/plan-output.json` beside the roster. */
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
 * roster's and the schedule's text, and how the output is shown (`view`: format,
 * width, colours, who is asking, file names). The texts are as decoded.
 */
export function keyOf(
  roster: string,
  schedule: string,
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
  try {
    const value = JSON.parse((await readCacheFile(ctx.rosterPath, FILE)) ?? "null") as
      | (Partial<PlanRecord> & {
          version?: number;
        })
      | null;
    if (
      value === null ||
      value.version !== VERSION ||
      typeof value.key !== "string" ||
      typeof value.zone !== "string" ||
      typeof value.from !== "number" ||
      typeof value.until !== "number" ||
      typeof value.out !== "string" ||
      typeof value.err !== "string"
    ) {
      return undefined;
    }
    return value as PlanRecord;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the record in rota's cache (atomically: a reader sees the old record
 * or the new one). A cache only: where it cannot be kept, the next plan plans.
 */
export async function writeRecord(ctx: Context, record: PlanRecord): Promise<void> {
  await writeCacheFile(ctx.rosterPath, FILE, JSON.stringify({ version: VERSION, ...record }));
}
