// Refuses every connection to an address that is not this machine, in the
// process that imports it (the CLI under test: NODE_OPTIONS=--import=…).
// Each attempt is appended to the file named by ROTA_TEST_NET_LOG, so the
// test fails even where the code under test swallows the error.
import { appendFileSync } from "node:fs";
import net from "node:net";

const LOCAL = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/;

function hostOf(args) {
  const [first, second] = args;
  if (first && typeof first === "object") {
    const options = Array.isArray(first) ? first[0] : first;
    if (options?.path) return "local-socket";
    return options?.host ?? options?.hostname ?? "localhost";
  }
  if (typeof first === "string" && Number.isNaN(Number(first))) return "local-socket";
  return typeof second === "string" ? second : "localhost";
}

export function isLocal(host) {
  return host === "local-socket" || LOCAL.test(String(host));
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guarded(...args) {
  const host = hostOf(args);
  if (!isLocal(host)) {
    const log = process.env.ROTA_TEST_NET_LOG;
    if (log) appendFileSync(log, `${host}\n`);
    throw new Error(`test network guard: refused a connection to ${host}`);
  }
  return connect.apply(this, args);
};
