/**
 * Email over SMTP, through nodemailer (loaded only when rota sends mail).
 * The SMTP URL holds credentials: no message here ever contains it.
 */

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
  | { ok: false; attempts: number; reason: string };

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

/** A message with every part of the URL that could be secret taken out. */
function redact(message: string, url: string): string {
  let out = message;
  try {
    const parsed = new URL(url);
    for (const secret of [
      url,
      parsed.password,
      decodeURIComponent(parsed.password),
      parsed.username,
    ]) {
      if (secret && secret.length >= 3) out = out.split(secret).join("***");
    }
  } catch {
    out = out.split(url).join("***");
  }
  return out.replace(/\s+/g, " ").trim().slice(0, 300);
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
      for (let attempt = 1; ; attempt++) {
        try {
          await transport.sendMail({
            from: mail.from,
            to: mail.to,
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
          return { ok: true, attempts: attempt };
        } catch (error) {
          const code = (error as { responseCode?: number }).responseCode;
          // 4xx is "try again later" in SMTP; no code means the connection failed.
          const retryable = code === undefined || (code >= 400 && code < 500);
          if (!retryable || attempt >= options.attempts) {
            return {
              ok: false,
              attempts: attempt,
              reason: redact((error as Error).message ?? String(error), url),
            };
          }
          await new Promise((resolve) => setTimeout(resolve, options.retryMs * 2 ** (attempt - 1)));
        }
      }
    },
    close() {
      transport.close();
    },
  };
}
