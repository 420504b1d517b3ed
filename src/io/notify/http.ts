/**
 * POSTs JSON to a webhook, retrying with backoff when the endpoint says it
 * is busy (429, honouring Retry-After) or fails (5xx), or cannot be reached.
 * The URL is a secret: it is never part of what this returns.
 */

import type { ClientRequest, IncomingMessage } from "node:http";
import { escapeRegExp } from "../../core/text.ts";

export interface PostOptions {
  /** The delay before the first retry, in ms; each next one doubles. */
  retryMs: number;
  /** Tries in all, the first included. */
  attempts: number;
  /** Per request. */
  timeoutMs: number;
  /** Waits; replaced in tests only through retryMs. */
  sleep?: (ms: number) => Promise<void>;
}

export type PostResult =
  | { ok: true; attempts: number }
  | { ok: false; attempts: number; reason: string };

const MAX_RETRY_AFTER_MS = 60_000;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Why a request failed, without the URL or anything from it. */
function describeError(error: unknown): string {
  if (error instanceof NoAnswerInTime) return "no answer in time";
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && !code.startsWith("ERR_")) return `could not connect (${code})`;
  return "could not connect";
}

class NoAnswerInTime extends Error {}

interface Answer {
  status: number;
  retryAfter: string | null;
  /** The body's first bytes, as text; empty where it could not be read whole in time. */
  text: string;
}

/** At most this much of an answer's body is kept: what a failure shows of it. */
const ANSWER_BYTES = 4096;

/**
 * One POST with node:http or node:https, answered within `timeoutMs` from
 * start to end. Not fetch: Node's fetch parses HTTP with a WebAssembly module
 * that V8 goes on compiling in the background after the answer, and a
 * process ends only when that is done: each `rota notify` that posted took
 * about 150 ms longer to end (and 50 ms more to load fetch).
 */
async function post(
  target: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Answer> {
  const url = new URL(target);
  const { request } =
    url.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise<Answer>((resolve, reject) => {
    let answer: Answer | undefined;
    let sent: ClientRequest | undefined;
    /** Done: with the answer's text, or, without it, the answer read so far or `error`. */
    const done = (text: string | undefined, error?: unknown) => {
      clearTimeout(timer);
      // Headers came but not the whole body: the answer stands, its text unread.
      if (answer) resolve({ ...answer, text: text ?? "" });
      else reject(error);
    };
    const timer = setTimeout(() => {
      done(undefined, new NoAnswerInTime());
      sent?.destroy();
    }, timeoutMs);
    try {
      sent = request(
        url,
        {
          method: "POST",
          // One connection per POST, closed after it: nothing is left open.
          agent: false,
          headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        },
        (response: IncomingMessage) => {
          const header = response.headers["retry-after"];
          answer = {
            status: response.statusCode ?? 0,
            retryAfter: (Array.isArray(header) ? header[0] : header) ?? null,
            text: "",
          };
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on("data", (chunk: Buffer) => {
            if (kept >= ANSWER_BYTES) return;
            chunks.push(chunk);
            kept += chunk.length;
          });
          response.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
          // A body cut off: the answer stands, its text unread (as fetch's
          // would be). After "end", "close" changes nothing.
          response.on("error", () => done(undefined));
          response.on("close", () => done(undefined));
        },
      );
    } catch (error) {
      // A URL node:http refuses (not http or https, say): no request was made.
      done(undefined, error);
      return;
    }
    sent.on("error", (error) => done(undefined, error));
    sent.end(body);
  });
}

/** A URL part decoded, or as written where it is not valid percent-encoding. */
export function decodedUrlPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Characters of a URL's path segments and query values, around which one is a word of its own. */
const WORD = "[A-Za-z0-9_~.%+-]";

/**
 * A webhook server's answer with the URL's secrets taken out. A chat
 * service's webhook URL is its own credential: in its path (Slack, Discord,
 * Mattermost), its query (Teams' `sig=`, Google Chat's `key=` and `token=`)
 * or its login, and servers and proxies often repeat the path they were
 * asked for, whole or in part. Masked wherever they appear, as written and
 * decoded: the URL with and without its login, its path and query, the
 * login and the Basic credentials sent for it; and each path segment and
 * query value of three characters or more where it stands as a word of its
 * own (`/hooks/` masks "hooks", not the "hooks" in "webhooks").
 */
export function redactWebhook(answer: string, url: string): string {
  const anywhere = new Set([url]);
  const words = new Set<string>();
  try {
    const parsed = new URL(url);
    const user = decodedUrlPart(parsed.username);
    const password = decodedUrlPart(parsed.password);
    for (const part of [parsed.username, parsed.password, user, password]) anywhere.add(part);
    if (user || password) {
      anywhere.add(`${user}:${password}`);
      anywhere.add(Buffer.from(`${user}:${password}`).toString("base64"));
    }
    anywhere.add(parsed.href);
    parsed.username = "";
    parsed.password = "";
    anywhere.add(parsed.href);
    for (const part of [`${parsed.pathname}${parsed.search}`, parsed.pathname, parsed.search]) {
      anywhere.add(part);
      anywhere.add(decodedUrlPart(part));
    }
    const pieces = [...parsed.pathname.split("/"), ...parsed.searchParams.values()];
    for (const piece of pieces) {
      for (const form of [piece, decodedUrlPart(piece), encodeURIComponent(piece)]) words.add(form);
    }
  } catch {
    // Not a URL: only the value as a whole is known to be secret.
  }
  // A path goes whole, not as its segments and masks.
  let out = maskAll(answer, anywhere);
  for (const word of [...words].filter((each) => each.length >= 3).sort(longestFirst)) {
    out = out.replace(new RegExp(`(?<!${WORD})${escapeRegExp(word)}(?!${WORD})`, "g"), "***");
  }
  return out;
}

/**
 * Text with every secret of three characters or more replaced by `***`,
 * longest first: a whole (`user:password`, a path) goes whole, not as its
 * parts and masks.
 */
export function maskAll(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of [...secrets].filter((each) => each.length >= 3).sort(longestFirst)) {
    out = out.split(secret).join("***");
  }
  return out;
}

function longestFirst(a: string, b: string): number {
  return b.length - a.length;
}

/**
 * A URL's user name and password (https://user:password@host/…) as HTTP
 * Basic authentication, as curl sends them.
 */
function withoutLogin(url: string): { target: string; authorization?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { target: url };
  }
  if (!parsed.username && !parsed.password) return { target: url };
  // As written where it is not valid percent-encoding (`p%ss`), as curl sends it.
  const login = `${decodedUrlPart(parsed.username)}:${decodedUrlPart(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  return { target: parsed.href, authorization: `Basic ${Buffer.from(login).toString("base64")}` };
}

export async function postJson(
  url: string,
  body: unknown,
  options: PostOptions,
): Promise<PostResult> {
  const sleep = options.sleep ?? wait;
  const { target, authorization } = withoutLogin(url);
  let reason = "";
  for (let attempt = 1; ; attempt++) {
    let retryable: boolean;
    let delay = options.retryMs * 2 ** (attempt - 1);
    try {
      const response = await post(
        target,
        {
          "content-type": "application/json; charset=utf-8",
          ...(authorization ? { authorization } : {}),
        },
        JSON.stringify(body),
        options.timeoutMs,
      );
      if (response.status >= 200 && response.status < 300) return { ok: true, attempts: attempt };
      retryable = response.status === 429 || response.status >= 500;
      if (response.status === 429) {
        const after = retryAfter(response.retryAfter);
        if (after !== undefined) delay = Math.min(after, MAX_RETRY_AFTER_MS);
      }
      const answer = response.text.slice(0, 200);
      const said = answer.replace(/\s+/g, " ").trim();
      // A redirect is not followed (the body would go where the URL did not
      // say), but answered as what it is rather than as a connection that failed.
      const redirect =
        response.status >= 300 && response.status < 400
          ? " (a redirect, which rota does not follow: check the webhook URL)"
          : "";
      reason = `HTTP ${response.status}${redirect}${said ? `: ${redactWebhook(said, url)}` : ""}`;
    } catch (error) {
      retryable = true;
      reason = describeError(error);
    }
    if (!retryable || attempt >= options.attempts) {
      return { ok: false, attempts: attempt, reason };
    }
    await sleep(delay);
  }
}
