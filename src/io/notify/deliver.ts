import { statSync } from "node:fs";
import path from "node:path";
import type { Context } from "../../context.ts";
import type { Outgoing } from "../../core/notify/outgoing.ts";
import { plural } from "../../core/problems.ts";
import { checkUrlControls } from "../../core/roster/formats.ts";
import type { Channel, Roster } from "../../core/roster/model.ts";
import { UsageError } from "../../errors.ts";
import { namesDirectory } from "../outputs.ts";
import { type PostOptions, postJson } from "./http.ts";
import { isSmtpUrl, type Mailer, type MailResult, openMailer } from "./mail.ts";
import type { StateFile } from "./state.ts";

/**
 * Sends what a run has to send, channel by channel: one channel failing
 * never stops the others. Each message that went out is written to the state
 * file at once. The channels' URLs come from the environment and appear in
 * no message, log or error.
 */

export interface DeliveryReport {
  sent: Outgoing[];
  failed: { item: Outgoing; reason: string }[];
}

/** The default state file, beside the roster. */
export function defaultStatePath(ctx: Context): string {
  return path.join(path.dirname(ctx.rosterPath), ".rota", "notify-state.json");
}

/**
 * The state file: `--state`, else the default. A --state that names a
 * directory (an existing one, or by a trailing slash) is refused: the state
 * would be written to a file named like the directory, or not at all.
 */
export function statePath(ctx: Context, flag: string | undefined): string {
  if (!flag) return defaultStatePath(ctx);
  const file = path.resolve(ctx.cwd, flag);
  const example = `${flag.replace(/[/\\]+$/, "")}/notify-state.json`;
  let directory = false;
  try {
    directory = statSync(file, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    // What is wrong with the path is said where it is read.
  }
  if (directory) {
    throw new UsageError(`--state ${flag}: it is a directory; name a file in it, e.g. ${example}`);
  }
  if (namesDirectory(flag)) {
    throw new UsageError(
      `--state ${flag}: it ends with a slash, so it names a directory; name a file in it, e.g. ${example}`,
    );
  }
  return file;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** What is wrong with a channel's URL, in words that do not repeat it; undefined when it is usable. */
export function checkChannelUrl(channel: Channel, value: string | undefined): string | undefined {
  const text = value?.trim();
  if (text === undefined || text === "") {
    return `the environment variable ${channel.url_env} is not set: it must hold the ${channel.type === "email" ? "smtp:// URL" : "webhook URL"} (a CI secret)`;
  }
  // The URL is shown nowhere, but an escape or bidi control in it is no more
  // an address here than in the roster: refused alike, the character named.
  const controls = checkUrlControls(
    text,
    channel.type === "email"
      ? "smtps://user:password@smtp.example.com:465"
      : "https://hooks.example.com/services/…",
  );
  if (controls) return `${channel.url_env} ${controls}`;
  if (channel.type === "email") {
    return isSmtpUrl(text) ? undefined : `${channel.url_env} must hold an smtp:// or smtps:// URL`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${channel.url_env} does not hold a URL`;
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return undefined;
  return `${channel.url_env} must hold an https:// URL (http:// only to this machine)`;
}

export function retryOptions(ctx: Context): PostOptions {
  const retry = Number(ctx.io.env.ROTA_NOTIFY_RETRY_MS);
  return {
    retryMs: Number.isFinite(retry) && retry >= 0 ? retry : 1000,
    attempts: 4,
    timeoutMs: 15_000,
  };
}

/**
 * Sends every outgoing message and records each one sent in the state
 * file (opened, and so locked, by the caller). `from` names the sender of emails.
 */
export async function deliver(
  ctx: Context,
  roster: Roster,
  items: readonly Outgoing[],
  options: {
    state: StateFile;
    now: number;
    from?: (channel: Channel) => { name: string; address: string };
  },
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: [], failed: [] };
  const { state } = options;
  const retry = retryOptions(ctx);
  const mailers = new Map<string, Mailer>();
  try {
    const byChannel = new Map<string, Outgoing[]>();
    for (const item of items) {
      const list = byChannel.get(item.channel.id) ?? [];
      list.push(item);
      byChannel.set(item.channel.id, list);
    }
    // Settled, all of them, before the mailers close: a channel that fails
    // unexpectedly stops neither the others' sends nor their records.
    const settled = await Promise.allSettled(
      [...byChannel.values()].map(async (list) => {
        const channel = (list[0] as Outgoing).channel;
        const url = ctx.io.env[channel.url_env]?.trim();
        const problem = checkChannelUrl(channel, url);
        if (problem) {
          for (const item of list) report.failed.push({ item, reason: problem });
          return;
        }
        for (const item of list) {
          let result: { ok: true } | { ok: false; reason: string; attempts: number };
          if (item.payload.kind === "http") {
            result = await postPieces(url as string, item, item.payload.bodies, {
              state,
              now: options.now,
              retry,
            });
          } else {
            let mailer = mailers.get(channel.id);
            if (!mailer) {
              mailer = await openMailer(url as string, retry);
              mailers.set(channel.id, mailer);
            }
            const { mail } = item.payload;
            const sender = options.from?.(channel) ?? {
              name: roster.team,
              address: channel.from ?? "",
            };
            // Recipients an earlier run reached are not mailed again.
            const to = mail.to.filter((address) => !state.ledger.sent.has(partKey(item, address)));
            const sent: MailResult =
              to.length > 0
                ? await mailer.send({ ...mail, to, from: sender })
                : { ok: true, attempts: 0 };
            if (!sent.ok && sent.delivered) {
              for (const address of sent.delivered) {
                state.ledger.sent.set(partKey(item, address), item.expires);
              }
              await state.save(options.now);
            }
            result = sent;
          }
          if (result.ok) {
            forgetParts(state, item);
            state.ledger.sent.set(item.key, item.expires);
            await state.save(options.now);
            report.sent.push(item);
          } else {
            report.failed.push({
              item,
              reason: `${result.reason}${result.attempts > 1 ? ` (after ${result.attempts} tries)` : ""}`,
            });
          }
        }
      }),
    );
    for (const each of settled) if (each.status === "rejected") throw each.reason;
  } finally {
    for (const mailer of mailers.values()) mailer.close();
  }
  return report;
}

/**
 * The ledger key of a part of a message that went out on its own: one piece
 * of a message in several (Discord, Google Chat), or one recipient of an email.
 */
function partKey(item: Outgoing, part: string): string {
  return `${item.key} ${part}`;
}

function pieceKey(item: Outgoing, index: number, count: number): string {
  return partKey(item, `piece ${index + 1}/${count}`);
}

/**
 * POSTs a message's bodies in order, recording each piece of a message in
 * several as it goes: when a later piece fails, the next run posts from
 * there, and the pieces the channel has already shown do not appear twice.
 */
async function postPieces(
  url: string,
  item: Outgoing,
  bodies: readonly unknown[],
  options: { state: StateFile; now: number; retry: PostOptions },
): Promise<{ ok: true } | { ok: false; reason: string; attempts: number }> {
  const { state } = options;
  for (const [index, body] of bodies.entries()) {
    const key = pieceKey(item, index, bodies.length);
    if (bodies.length > 1 && state.ledger.sent.has(key)) continue;
    const posted = await postJson(url, body, options.retry);
    if (!posted.ok) return posted;
    if (bodies.length > 1 && index < bodies.length - 1) {
      state.ledger.sent.set(key, item.expires);
      await state.save(options.now);
    }
  }
  return { ok: true };
}

/** Once the whole message is recorded, its parts need no entries of their own. */
function forgetParts(state: StateFile, item: Outgoing): void {
  const prefix = partKey(item, "");
  for (const key of [...state.ledger.sent.keys()]) {
    if (key.startsWith(prefix)) state.ledger.sent.delete(key);
  }
}

/** One line per message sent or failed on stderr; exit 1 when any failed. */
export function summarizeDelivery(ctx: Context, report: DeliveryReport, already: number): number {
  const describe = (item: Outgoing) =>
    `${item.channel.id}: ${item.key.slice(item.channel.id.length + 1)}${item.to ? ` (to ${item.to})` : ""}`;
  for (const item of report.sent) ctx.err(`sent ${describe(item)}\n`);
  for (const { item, reason } of report.failed) {
    ctx.err(`rota: not sent ${describe(item)}: ${reason}\n`);
  }
  const parts = [`sent ${plural(report.sent.length, "message")}`];
  if (report.failed.length > 0) parts.push(`${report.failed.length} failed`);
  if (already > 0) parts.push(`${already} sent before`);
  ctx.err(`${parts.join(", ")}\n`);
  return report.failed.length > 0 ? 1 : 0;
}
