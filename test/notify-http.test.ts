import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { postJson } from "../src/io/notify/http.ts";

/**
 * The webhook POST itself (node:http, not fetch), against servers on
 * 127.0.0.1 that answer as real ones fail: not at all, with headers and then
 * nothing, with a long body, with a body cut off.
 */

const servers: { close(): void; closeAllConnections(): void }[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(
  handle: (request: IncomingMessage, response: ServerResponse, body: string) => void,
): Promise<string> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => handle(request, response, Buffer.concat(chunks).toString("utf8")));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

const once = { retryMs: 1, attempts: 1, timeoutMs: 2_000 };

describe("postJson", () => {
  test("sends the JSON with its length and type, and a 2xx is sent", async () => {
    const got: { body: string; headers: IncomingMessage["headers"] }[] = [];
    const url = await serve((request, response, body) => {
      got.push({ body, headers: request.headers });
      response.writeHead(204).end();
    });
    const text = "Grüße ✓ ".repeat(1000);
    expect(await postJson(url, { text }, once)).toEqual({ ok: true, attempts: 1 });
    expect(JSON.parse(got[0]?.body as string)).toEqual({ text });
    expect(got[0]?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(Number(got[0]?.headers["content-length"])).toBe(
      Buffer.byteLength(got[0]?.body as string),
    );
  });

  test("nobody listening: could not connect, with the reason's code, after every try", async () => {
    const url = await serve(() => {});
    servers.splice(0).forEach((server) => {
      server.close();
    });
    const result = await postJson(url, {}, { retryMs: 1, attempts: 3, timeoutMs: 2_000 });
    expect(result).toEqual({ ok: false, attempts: 3, reason: "could not connect (ECONNREFUSED)" });
  });

  test("a URL node:http refuses: could not connect, and no timer left to fire later", async () => {
    const result = await postJson("ftp://127.0.0.1:1/hook", {}, { ...once, timeoutMs: 50 });
    expect(result).toEqual({ ok: false, attempts: 1, reason: "could not connect" });
    // Past the timeout: a timer left behind would fail now, as an error nobody catches.
    await new Promise((resolve) => setTimeout(resolve, 150));
  });

  test("a server that never answers: no answer in time", async () => {
    const url = await serve(() => {});
    const result = await postJson(url, {}, { ...once, timeoutMs: 200 });
    expect(result).toEqual({ ok: false, attempts: 1, reason: "no answer in time" });
  });

  test("a 200 whose body never ends is sent; a 500 whose body never ends fails without its text", async () => {
    const ok = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("ok so far");
    });
    expect(await postJson(ok, {}, { ...once, timeoutMs: 300 })).toEqual({ ok: true, attempts: 1 });
    const failing = await serve((_request, response) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.write("half an answer");
    });
    expect(await postJson(failing, {}, { ...once, timeoutMs: 300 })).toEqual({
      ok: false,
      attempts: 1,
      reason: "HTTP 500",
    });
  });

  test("a failure shows the first 200 characters of its answer, its whitespace folded", async () => {
    const url = await serve((_request, response) => {
      response.writeHead(400, { "content-type": "text/plain" });
      response.end(`bad\n\n  payload ${"x".repeat(100_000)}`);
    });
    const result = await postJson(url, {}, once);
    expect(result).toEqual({
      ok: false,
      attempts: 1,
      reason: `HTTP 400: bad payload ${"x".repeat(200 - "bad\n\n  payload ".length)}`,
    });
  });

  test("a body cut off mid-answer keeps the status: a 503 is retried, then reported", async () => {
    let calls = 0;
    const url = await serve((_request, response) => {
      calls++;
      response.writeHead(503, { "content-length": "1000" });
      // Written, then the connection cut once the headers are surely there.
      response.write("partial", () => setTimeout(() => response.socket?.destroy(), 50));
    });
    const result = await postJson(url, {}, { retryMs: 1, attempts: 2, timeoutMs: 2_000 });
    expect(result).toEqual({ ok: false, attempts: 2, reason: "HTTP 503" });
    expect(calls).toBe(2);
  });

  test("429 waits as Retry-After says, in seconds", async () => {
    let calls = 0;
    const waits: number[] = [];
    const url = await serve((_request, response) => {
      calls++;
      if (calls === 1) response.writeHead(429, { "retry-after": "3" }).end();
      else response.writeHead(200).end("ok");
    });
    const result = await postJson(
      url,
      {},
      {
        retryMs: 1,
        attempts: 2,
        timeoutMs: 2_000,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );
    expect(result).toEqual({ ok: true, attempts: 2 });
    expect(waits).toEqual([3_000]);
  });
});
