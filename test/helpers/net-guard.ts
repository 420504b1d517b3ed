import net from "node:net";
import { fileURLToPath } from "node:url";

/**
 * The network guard of the notify tests: every connection to an address that
 * is not this machine is refused and recorded. `installNetworkGuard` guards
 * this process (in-process runs); `GUARD_IMPORT` is the module that guards a
 * CLI process (`NODE_OPTIONS=--import=…`, with ROTA_TEST_NET_LOG).
 */

export const GUARD_IMPORT = fileURLToPath(new URL("./net-guard.mjs", import.meta.url));

const LOCAL = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/;

/** Hosts something in this process tried to reach. */
export const refused: string[] = [];

let installed = false;

export function installNetworkGuard(): void {
  if (installed) return;
  installed = true;
  const connect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    const [first, second] = args as [unknown, unknown];
    let host = "localhost";
    if (first && typeof first === "object") {
      const options = (Array.isArray(first) ? first[0] : first) as {
        host?: string;
        path?: string;
      };
      host = options.path ? "localhost" : (options.host ?? "localhost");
    } else if (typeof second === "string") {
      host = second;
    }
    if (!LOCAL.test(host)) {
      refused.push(host);
      throw new Error(`test network guard: refused a connection to ${host}`);
    }
    return connect.apply(this, args);
  } as typeof net.Socket.prototype.connect;
}
