import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { fromDay } from "../core/dates.ts";
import {
  applyFixAction,
  type FixItem,
  type FixState,
  fixItems,
  renderFixes,
} from "../core/fixes.ts";
import type { Style } from "../core/render/style.ts";
import type { Roster } from "../core/roster/model.ts";
import { didYouMean } from "../core/suggest.ts";
import { dayOf } from "../core/time.ts";
import { UsageError } from "../errors.ts";
import { fixesPath, readFixesFile } from "../io/fixes-file.ts";
import { readScheduledNotes } from "../io/notes-checked.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";
import { paint } from "../io/terminal.ts";
import { threadsAllowed } from "../io/threads.ts";
import { writeFileSafely } from "../io/write.ts";

export interface FixOptions {
  json?: boolean;
}

/** Every fix answer in the notes the report counts; warnings about notes go to stderr. */
async function readItems(ctx: Context, roster: Roster, now: number): Promise<FixItem[]> {
  // The notes of shifts in schedule.yaml, as the report reads them; without a readable schedule, every note.
  const scheduleFile = await readScheduleFile(ctx);
  const tree = await readScheduledNotes(
    ctx,
    roster,
    scheduleFile.exists ? scheduleFile.schedule : undefined,
    now,
    { answers: ["fix"], threads: threadsAllowed(ctx.io.env.ROTA_THREADS) },
  );
  const c = paint(ctx.color.stderr);
  for (const warning of tree.warnings) ctx.err(`${c.yellow(warning)}\n`);
  return fixItems(tree.records);
}

/** An id as typed: whole, or the start of exactly one id. */
function findItem(items: readonly FixItem[], id: string): FixItem {
  const exact = items.find((item) => item.id === id);
  if (exact) return exact;
  const starting = id.length >= 4 ? items.filter((item) => item.id.startsWith(id)) : [];
  if (starting.length === 1) return starting[0] as FixItem;
  if (starting.length > 1) {
    throw new UsageError(
      `"${id}" starts ${starting.length} fix ids; type more of it (see \`rota fix\`)`,
    );
  }
  if (id.length < 4 && items.some((item) => item.id.startsWith(id))) {
    throw new UsageError(
      `"${id}" is too short to name a fix: type at least 4 characters of its id (\`rota fix\` lists the fixes and their ids)`,
    );
  }
  throw new UsageError(
    `no fix "${id}" in the notes (\`rota fix\` lists the fixes and their ids)${didYouMean(
      id,
      items.map((item) => item.id),
    )}`,
  );
}

/**
 * `rota fix`: lists the fixes proposed in notes and what became of them;
 * `rota fix <id> done|wontfix|open|link URL` records it in fixes.yaml
 * (under a lock, written atomically), for the report and the digest.
 */
export async function runFix(
  ctx: Context,
  id: string | undefined,
  action: string | undefined,
  url: string | undefined,
  options: FixOptions,
): Promise<number> {
  const { roster, now } = await loadRoster(ctx);
  const file = fixesPath(ctx.rosterPath);
  const shown = ctx.display(file);
  if (id === undefined)
    return listFixes(ctx, await readItems(ctx, roster, now), file, shown, options);
  if (action === undefined) {
    throw new UsageError(`what became of fix ${id}? rota fix ${id} done|wontfix|open|link URL`);
  }
  const items = await readItems(ctx, roster, now);
  const item = findItem(items, id);
  const today = fromDay(dayOf(now, roster.timezone));
  const { withFileLocks } = await import("../io/lock.ts");
  const state = await withFileLocks(ctx, [file], async (check) => {
    const fixes = await readFixesFile(file, shown);
    const next = applyFixAction(fixes.get(item.id), item, action, url, today);
    if (typeof next === "string") throw new UsageError(next);
    fixes.set(item.id, next);
    await check();
    await writeFileSafely(file, renderFixes(fixes), shown);
    return next;
  });
  if (options.json) ctx.out(`${toJson(asListed(item, state))}\n`);
  else ctx.out(recorded(item, state, action, url, paint(ctx.color.stdout)));
  ctx.err(`recorded in ${shown}; commit it\n`);
  return 0;
}

/** What a recording says of the fix, for a person. */
function recorded(
  item: FixItem,
  state: FixState,
  action: string,
  url: string | undefined,
  c: Style,
): string {
  const what =
    action === "link"
      ? `linked to ${url}`
      : state.status === "wontfix"
        ? "won't be fixed"
        : state.status;
  return `${c.bold(`Fix ${item.id}`)} (“${item.text}”, ${item.person} on ${item.date}): ${what}\n`;
}

/** A fix as `rota fix --json` shows it: the list's items, and the one a recording prints. */
function asListed(item: FixItem, state: FixState) {
  return { ...item, status: state.status, changed: state.changed ?? null, links: state.links };
}

async function listFixes(
  ctx: Context,
  items: readonly FixItem[],
  file: string,
  shown: string,
  options: FixOptions,
): Promise<number> {
  const fixes = await readFixesFile(file, shown);
  const stateOf = (item: FixItem): FixState => fixes.get(item.id) ?? { status: "open", links: [] };
  const order = { open: 0, done: 1, wontfix: 2 } as const;
  const listed = [...items].sort((a, b) => order[stateOf(a).status] - order[stateOf(b).status]);
  if (options.json) {
    ctx.out(`${toJson(listed.map((item) => asListed(item, stateOf(item))))}\n`);
    return 0;
  }
  if (listed.length === 0) {
    ctx.out("No fixes proposed yet: they come from the `fix` answer of field notes.\n");
    return 0;
  }
  const c = paint(ctx.color.stdout);
  for (const item of listed) {
    const state = stateOf(item);
    const status = state.status === "open" ? c.yellow("open   ") : state.status.padEnd(7);
    const links = state.links.length > 0 ? ` ${c.dim(state.links.join(" "))}` : "";
    ctx.out(`${c.bold(item.id)}  ${status}  ${item.date}  ${item.person}: ${item.text}${links}\n`);
  }
  return 0;
}
