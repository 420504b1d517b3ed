import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * Local stand-ins for the chat APIs and a mail server: everything they
 * receive is kept for the tests to read. They listen on 127.0.0.1 only.
 */

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface FakeChat {
  url(path: string): string;
  received: Received[];
  /** Statuses to answer at a path, in order (then 200): e.g. [503, 429]. */
  script(
    path: string,
    statuses: (number | { status: number; headers?: Record<string, string>; body?: string })[],
  ): void;
  close(): Promise<void>;
}

export async function startFakeChat(): Promise<FakeChat> {
  const received: Received[] = [];
  const scripts = new Map<
    string,
    { status: number; headers?: Record<string, string>; body?: string }[]
  >();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const path = request.url ?? "/";
      received.push({ path, headers: request.headers, body });
      const next = scripts.get(path)?.shift() ?? { status: 200 };
      response.writeHead(next.status, { "content-type": "text/plain", ...next.headers });
      response.end(next.body ?? (next.status === 200 ? "ok" : "error"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    script(path, statuses) {
      scripts.set(
        path,
        statuses.map((s) => (typeof s === "number" ? { status: s } : s)),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface FakeSmtp {
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * An SMTP server (the smtp-server package) that accepts every mail, with or
 * without a login, except for the recipients in `refuse` (550 at RCPT TO).
 */
export async function startFakeSmtp(
  options: { user?: string; password?: string; refuse?: string[] } = {},
): Promise<FakeSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: options.user === undefined,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error("Invalid username or password"));
      }
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.includes(address.address)) {
        callback(Object.assign(new Error("5.1.1 no such mailbox here"), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  const auth =
    options.user === undefined
      ? ""
      : `${encodeURIComponent(options.user)}:${encodeURIComponent(options.password ?? "")}@`;
  return {
    url: `smtp://${auth}127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
