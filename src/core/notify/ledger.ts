import { isoUtc, parseIsoInstant } from "../instant.ts";

/**
 * What has been sent: for each channel and message key, until when the
 * message could still be due. A message whose key is here is not sent again;
 * a key is forgotten once its message is stale, so the file stays small (a
 * few entries per shift in the reminder leads ahead).
 */
export interface Ledger {
  /** `<channel id> <message key>` → expiry, epoch ms. */
  sent: Map<string, number>;
}

export const LEDGER_VERSION = 1;

export function emptyLedger(): Ledger {
  return { sent: new Map() };
}

export function ledgerKey(channel: string, key: string): string {
  return `${channel} ${key}`;
}

/** Reads the ledger's JSON; a string says what is wrong with it. */
export function parseLedger(text: string): Ledger | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return "it is not JSON";
  }
  const record = data as { version?: unknown; sent?: unknown } | null;
  if (record === null || typeof record !== "object" || record.version !== LEDGER_VERSION) {
    return `it is not a version ${LEDGER_VERSION} notify state`;
  }
  const sent = new Map<string, number>();
  if (record.sent === null || typeof record.sent !== "object" || Array.isArray(record.sent)) {
    return '"sent" must map keys to times';
  }
  for (const [key, value] of Object.entries(record.sent)) {
    const ms = typeof value === "string" ? parseIsoInstant(value) : undefined;
    if (ms === undefined) return `"${key}" has no time`;
    sent.set(key, ms);
  }
  return { sent };
}

/** The ledger as JSON, keys sorted, without what is stale at `now`. */
export function renderLedger(ledger: Ledger, now: number): string {
  const sent = Object.fromEntries(
    [...ledger.sent.entries()]
      .filter(([, expires]) => expires > now)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, expires]) => [key, isoUtc(Math.ceil(expires / 1000) * 1000)]),
  );
  return `${JSON.stringify({ version: LEDGER_VERSION, sent }, null, 2)}\n`;
}
