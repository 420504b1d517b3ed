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
  /**
   * How far the schedule's history has been announced: `changes` (and
   * `invites`) → the last commit that changed schedule.yaml whose messages
   * all went out; after a run where some failed, the commit that run started
   * from (git's null id when it started before the first commit). The next
   * run announces everything after it, so a run that never came (a cancelled
   * CI job) or failed, the first one included, leaves nothing untold.
   */
  through: Map<string, string>;
}

export const LEDGER_VERSION = 1;

export function emptyLedger(): Ledger {
  return { sent: new Map(), through: new Map() };
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
  const record = data as { version?: unknown; sent?: unknown; through?: unknown } | null;
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
  const through = new Map<string, string>();
  if (record.through !== undefined) {
    if (
      record.through === null ||
      typeof record.through !== "object" ||
      Array.isArray(record.through)
    ) {
      return '"through" must map kinds to commits';
    }
    for (const [kind, commit] of Object.entries(record.through)) {
      if (typeof commit !== "string" || !COMMIT.test(commit))
        return `"through.${kind}" is not a commit`;
      through.set(kind, commit);
    }
  }
  return { sent, through };
}

const COMMIT = /^[0-9a-f]{40,64}$/;

/** The ledger as JSON, keys sorted, without what is stale at `now`. */
export function renderLedger(ledger: Ledger, now: number): string {
  const sent = Object.fromEntries(
    [...ledger.sent.entries()]
      .filter(([, expires]) => expires > now)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, expires]) => [key, isoUtc(Math.ceil(expires / 1000) * 1000)]),
  );
  const through = Object.fromEntries(
    [...ledger.through.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const record =
    ledger.through.size > 0
      ? { version: LEDGER_VERSION, sent, through }
      : { version: LEDGER_VERSION, sent };
  return `${JSON.stringify(record, null, 2)}\n`;
}
