import { HANDLE_KEYS, NOTIFY_EVENTS, type NotifyEvent } from "../roster/formats.ts";
import type { Channel, Roster } from "../roster/model.ts";
import { type Ledger, ledgerKey } from "./ledger.ts";
import type { Message } from "./message.ts";
import { type ChatType, renderChat, renderEmail } from "./render.ts";

/**
 * What goes where: each message rendered for each channel that takes its
 * event, less what the ledger says was sent already. Pure: the io sends it.
 */

export interface EmailOut {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  calendar?: { method: "REQUEST" | "CANCEL"; content: string; filename: string };
}

export interface Outgoing {
  channel: Channel;
  event: NotifyEvent;
  /** The once-only key, per channel. */
  key: string;
  expires: number;
  /** The person a personal message is for; null for the whole channel. */
  to: string | null;
  /** What the channel receives as text (markup included). */
  text: string;
  payload: { kind: "http"; bodies: unknown[] } | { kind: "email"; mail: EmailOut };
}

export interface OutgoingPlan {
  outgoing: Outgoing[];
  /** Already sent in an earlier run, by ledger key. */
  sent: string[];
  /** Messages no channel can deliver, in words. */
  warnings: string[];
}

export function channelEvents(channel: Channel): readonly NotifyEvent[] {
  return channel.events ?? NOTIFY_EVENTS;
}

/** A person's handle for a kind of chat, from their person key (`slack: U123`). */
export function handleFor(roster: Roster, type: ChatType): (person: string) => string | undefined {
  if (!Object.hasOwn(HANDLE_KEYS, type)) return () => undefined;
  const key = HANDLE_KEYS[type as keyof typeof HANDLE_KEYS];
  const handles = new Map(
    roster.people.flatMap((p) => (p[key] ? [[p.id, p[key] as string] as const] : [])),
  );
  return (person) => handles.get(person);
}

export function planOutgoing(
  roster: Roster,
  channels: readonly Channel[],
  messages: readonly Message[],
  ledger: Ledger,
): OutgoingPlan {
  const outgoing: Outgoing[] = [];
  const sent: string[] = [];
  const warnings = new Set<string>();
  const emails = new Map(roster.people.map((p) => [p.id, p.email]));
  for (const channel of channels) {
    const events = channelEvents(channel);
    for (const message of messages) {
      if (!events.includes(message.event)) continue;
      const key = ledgerKey(channel.id, message.key);
      if (ledger.sent.has(key)) {
        sent.push(key);
        continue;
      }
      const base = {
        channel,
        event: message.event,
        key,
        expires: message.expires,
        to: message.person ?? null,
      };
      if (channel.type === "email") {
        const to = message.person ? emails.get(message.person) : undefined;
        const recipients = message.person ? (to ? [to] : []) : (channel.to ?? []);
        if (recipients.length === 0) {
          warnings.add(
            message.person
              ? `${message.person} has no email in the roster: ${channel.id} cannot send them ${message.event} messages`
              : `${channel.id} has no "to" for messages to the whole team: ${message.event} is not emailed`,
          );
          continue;
        }
        const email = renderEmail(message);
        outgoing.push({
          ...base,
          text: email.text,
          payload: { kind: "email", mail: { to: recipients, ...email } },
        });
      } else {
        const rendered = renderChat(channel.type, message, handleFor(roster, channel.type));
        outgoing.push({
          ...base,
          text: rendered.text,
          payload: { kind: "http", bodies: rendered.bodies },
        });
      }
    }
  }
  return { outgoing, sent, warnings: [...warnings] };
}
