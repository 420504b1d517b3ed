import type { Invite } from "../calendar/invites.ts";
import { toDay } from "../dates.ts";
import type { Channel } from "../roster/model.ts";
import { type Ledger, ledgerKey } from "./ledger.ts";
import { channelEvents, type Outgoing, type OutgoingPlan } from "./outgoing.ts";

/**
 * The invites of `rota calendar --invites` as emails, for the roster's email
 * channels that take `invites`: one mail per invite file, its iCalendar as a
 * `text/calendar; method=REQUEST` (or CANCEL) part. An invite is sent once:
 * its key names the occurrence, person, method and SEQUENCE, so a changed
 * shift (a higher SEQUENCE) is invited again and a rerun is not.
 */
export function inviteOutgoing(
  channels: readonly Channel[],
  invites: readonly Invite[],
  ledger: Ledger,
): OutgoingPlan {
  const outgoing: Outgoing[] = [];
  const sent: string[] = [];
  for (const channel of channels) {
    if (channel.type !== "email" || !channelEvents(channel).includes("invites")) continue;
    for (const invite of invites) {
      const key = ledgerKey(
        channel.id,
        `invite/${invite.occurrence}/${invite.person}/${invite.method.toLowerCase()}/${invite.sequence}`,
      );
      if (ledger.sent.has(key)) {
        sent.push(key);
        continue;
      }
      const date = invite.occurrence.slice(0, 10);
      const cancelled = invite.method === "CANCEL";
      const text = `${invite.name}, ${
        cancelled
          ? "you are no longer on this support shift; the invite removes it from your calendar"
          : "you are on this support shift; the invite puts it in your calendar"
      }: ${invite.subject}.\n`;
      outgoing.push({
        channel,
        event: "invites",
        key,
        // Kept until two days after the shift's date: long past any rerun.
        expires: (toDay(date) + 2) * 86_400_000,
        to: invite.person,
        text,
        payload: {
          kind: "email",
          mail: {
            to: [invite.email],
            subject: invite.subject,
            text,
            calendar: {
              method: invite.method,
              content: invite.text,
              filename: `${date}-${invite.occurrence.slice(11)}-${invite.method.toLowerCase()}.ics`,
            },
          },
        },
      });
    }
  }
  return { outgoing, sent, warnings: [] };
}
