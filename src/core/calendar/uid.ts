import { createHash } from "node:crypto";

/**
 * rota's namespace for name-based UUIDs (RFC 9562, version 5). Fixed forever:
 * changing it would change every event's UID, and calendar apps would show
 * each shift twice.
 */
const ROTA_NAMESPACE = "6f0c1a2e-51d4-4c8e-9f3b-2a7d4b1e8c55";

const bytesOf = (namespace: string) => Buffer.from(namespace.replaceAll("-", ""), "hex");
/** Converted once: a run makes a UUID per person and shift. */
const ROTA_NAMESPACE_BYTES = bytesOf(ROTA_NAMESPACE);

/** A version-5 UUID of a name in rota's namespace: the same name always gives the same UUID. */
export function uuidV5(name: string, namespace = ROTA_NAMESPACE): string {
  const space = namespace === ROTA_NAMESPACE ? ROTA_NAMESPACE_BYTES : bytesOf(namespace);
  const hash = createHash("sha1").update(space).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The UID of an occurrence in the team feed. Derived from the team and the
 * occurrence id, so it survives any change of time or people; hashed, so it
 * carries no personal data.
 */
export function teamEventUid(team: string, occurrence: string): string {
  return uuidV5(`team\u0000${team}\u0000${occurrence}`);
}

/**
 * The UID of one person's event for an occurrence: in their personal feed and
 * in the invites they get. Distinct from the team feed's UID, so that a person
 * subscribed to both sees two calendars, not one event fighting over two.
 */
export function personEventUid(team: string, occurrence: string, person: string): string {
  return uuidV5(`person\u0000${team}\u0000${occurrence}\u0000${person}`);
}
