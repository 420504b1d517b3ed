import type { Context } from "../../context.ts";
import type { Invite } from "../../core/calendar/invites.ts";
import { inviteOutgoing } from "../../core/notify/invites.ts";
import type { Roster } from "../../core/roster/model.ts";
import { UsageError } from "../../errors.ts";
import { pullRequestContext } from "./ci.ts";
import { deliver, statePath, summarizeDelivery } from "./deliver.ts";
import { openState, readState } from "./state.ts";

/** The last schedule change whose invites all went out (see `Ledger.through`). */
export async function invitesAnnounced(
  ctx: Context,
  stateFlag: string | undefined,
): Promise<string | undefined> {
  const file = statePath(ctx, stateFlag);
  return (await readState(file, ctx.display(file))).through.get("invites");
}

/** Checks `rota calendar --send` before anything is written. */
export function checkSendFlags(
  ctx: Context,
  options: { send?: boolean; invites?: boolean | string; state?: string },
): void {
  if (!options.send) {
    if (options.state !== undefined) throw new UsageError("--state is for --send");
    return;
  }
  if (options.invites === undefined || options.invites === false) {
    throw new UsageError("--send emails the invites: pass it with --invites");
  }
  const context = pullRequestContext(ctx.io.env);
  if (context) {
    throw new UsageError(
      `refusing to send invites from a pull-request build (${context}): its schedule is not merged yet; run it on the main branch`,
    );
  }
}

/**
 * `rota calendar --invites --send`: emails each invite through the roster's
 * email channels (those taking `invites`), once each. Returns the exit code.
 */
export async function sendInvites(
  ctx: Context,
  roster: Roster,
  invites: readonly Invite[],
  options: { state?: string; now: number; through?: string; base?: string },
): Promise<number> {
  const channels = (roster.notify?.channels ?? []).filter(
    (c) => c.type === "email" && (c.events ?? ["invites"]).includes("invites"),
  );
  if (channels.length === 0) {
    throw new UsageError(
      `--send needs an email channel in ${ctx.display(ctx.rosterPath)}: add \`notify: { channels: [ { id: mail, type: email, url_env: ROTA_SMTP_URL, from: … } ] }\` (see docs/notify.md in rota's repository)`,
    );
  }
  const file = statePath(ctx, options.state);
  const state = await openState(file, ctx.display(file));
  const organizer = roster.calendar?.organizer;
  try {
    const plan = inviteOutgoing(channels, invites, state.ledger);
    const report = await deliver(ctx, roster, plan.outgoing, {
      state,
      now: options.now,
      from: (channel) => ({
        name: organizer?.name ?? roster.team,
        address: channel.from ?? organizer?.email ?? "",
      }),
    });
    // All sent: the next run starts after this change; otherwise where this
    // one started, even on the first run, so that what failed goes again.
    const told = report.failed.length === 0 ? options.through : options.base;
    if (told && told !== state.ledger.through.get("invites")) {
      state.ledger.through.set("invites", told);
      await state.save(options.now);
    }
    return summarizeDelivery(ctx, report, plan.sent.length);
  } finally {
    await state.release();
  }
}
