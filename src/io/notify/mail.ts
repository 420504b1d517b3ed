/**
 * Email over SMTP, through nodemailer (loaded only when rota sends mail).
 * The SMTP URL holds credentials: no message here ever contains it.
 */
import { decodedUrlPart, maskAll } from "./http.ts";

export interface Mail {
  from: { name: string; address: string };
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** An iCalendar invite, sent as a `text/calendar; method=…` part. */
  calendar?: { method: "REQUEST" | "CANCEL"; content: string; filename: string };
}

export type MailResult =
  | { ok: true; attempts: number }
  | {
      ok: false;
      attempts: number;
      reason: string;
      /** The recipients the server took the mail for, when it refused only some. */
      delivered?: string[];
    };

export interface Mailer {
  send(mail: Mail): Promise<MailResult>;
  close(): void;
}

/** Whether a value is an SMTP URL rota can use (smtp:// or smtps://). */
export function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/**
 * A server's or nodemailer's message with the credentials taken out: the URL,
 * the password anywhere (as written, decoded, and base64 as AUTH sends it),
 * and the user name where it goes with them (`user:password`, or `user@host`
 * as a URL writes it). The user name alone is no secret and is often an
 * everyday word ("user", "mailbox", "apikey"): the server's own words keep it.
 */
export function redactSmtp(message: string, url: string): string {
  const secrets = new Set([url]);
  try {
    const parsed = new URL(url);
    secrets.add(parsed.href);
    const password = decodedUrlPart(parsed.password);
    const user = decodedUrlPart(parsed.username);
    for (const name of [parsed.username, user].filter(Boolean)) {
      for (const pass of [parsed.password, password].filter(Boolean))
        secrets.add(`${name}:${pass}`);
      secrets.add(`${name}@${parsed.host}`);
    }
    if (password) {
      secrets.add(parsed.password);
      secrets.add(password);
      secrets.add(Buffer.from(password).toString("base64"));
      secrets.add(Buffer.from(`\0${user}\0${password}`).toString("base64"));
    }
  } catch {
    // Not a URL: only the value as a whole is known to be secret.
  }
  return maskAll(message, secrets).replace(/\s+/g, " ").trim().slice(0, 300);
}

interface SmtpError {
  responseCode?: number;
  response?: string;
  message?: string;
}

/** 4xx is "try again later" in SMTP. */
function isTemporary(code: number | undefined): boolean {
  return code !== undefined && code >= 400 && code < 500;
}

/** The recipients (of `to`) a sent mail's answer lists as refused, lower-cased. */
function refusedOf(info: { rejected?: unknown[] }, to: readonly string[]): Set<string> {
  const refused = new Set(
    (info.rejected ?? []).map((entry) =>
      (typeof entry === "string"
        ? entry
        : ((entry as { address?: string }).address ?? "")
      ).toLowerCase(),
    ),
  );
  return new Set(to.map((address) => address.toLowerCase()).filter((a) => refused.has(a)));
}

export async function openMailer(
  url: string,
  options: { retryMs: number; attempts: number; timeoutMs: number },
): Promise<Mailer> {
  const nodemailer = await import("nodemailer");
  const transport = nodemailer.createTransport(url, {
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    // Nothing from the transport is logged: its logs could show credentials.
    logger: false,
    debug: false,
  } as Parameters<typeof nodemailer.createTransport>[1]);
  return {
    async send(mail: Mail): Promise<MailResult> {
      // A server that refuses some recipients still takes the mail for the
      // others: only the refused are tried again, and they make it a failure.
      let to = [...mail.to];
      const delivered: string[] = [];
      for (let attempt = 1; ; attempt++) {
        let reason: string;
        let retryable: boolean;
        try {
          const info = await transport.sendMail({
            from: mail.from,
            to,
            subject: mail.subject,
            text: mail.text,
            ...(mail.html ? { html: mail.html } : {}),
            ...(mail.calendar
              ? {
                  icalEvent: {
                    method: mail.calendar.method,
                    filename: mail.calendar.filename,
                    content: mail.calendar.content,
                  },
                }
              : {}),
          });
          const refused = refusedOf(info, to);
          delivered.push(...to.filter((address) => !refused.has(address.toLowerCase())));
          if (refused.size === 0) return { ok: true, attempts: attempt };
          to = to.filter((address) => refused.has(address.toLowerCase()));
          const errors = (info as { rejectedErrors?: SmtpError[] }).rejectedErrors ?? [];
          const said = errors.map((error) => error.response ?? error.message).find(Boolean);
          reason = redactSmtp(
            `the mail server refused ${to.join(", ")}${said ? `: ${said}` : ""}`,
            url,
          );
          retryable = errors.some((error) => isTemporary(error.responseCode));
        } catch (error) {
          const code = (error as SmtpError).responseCode;
          // No code means the connection failed.
          retryable = code === undefined || isTemporary(code);
          reason = redactSmtp((error as Error).message ?? String(error), url);
        }
        if (!retryable || attempt >= options.attempts) {
          return {
            ok: false,
            attempts: attempt,
            reason,
            ...(delivered.length > 0 ? { delivered } : {}),
          };
        }
        await new Promise((resolve) => setTimeout(resolve, options.retryMs * 2 ** (attempt - 1)));
      }
    },
    close() {
      transport.close();
    },
  };
}
