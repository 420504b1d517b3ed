import type { Context } from "../../context.ts";
import type { Invite } from "../../core/calendar/invites.ts";
import { inviteOutgoing } from "../../core/notify/invites.ts";
import type { Roster } from "../../core/roster/model.ts";
import { UsageError } from "../../errors.ts";
import { pullRequestContext } from "./ci.ts";
import { deliver, statePath, summarizeDelivery } from "./deliver.ts";
import { openState } from "./state.ts";

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
  options: { state?: string; now: number },
): Promise<number> {
  const channels = (roster.notify?.channels ?? []).filter(
    (c) => c.type === "email" && (c.events ?? ["invites"]).includes("invites"),
  );
  if (channels.length === 0) {
    throw new UsageError(
      `--send needs an email channel in ${ctx.display(ctx.rosterPath)}: add \`notify: { channels: [ { id: mail, type: email, url_env: ROTA_SMTP_URL, from: … } ] }\` (see the README, "Telling people")`,
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
    return summarizeDelivery(ctx, report, plan.sent.length);
  } finally {
    await state.release();
  }
}
