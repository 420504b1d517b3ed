import { escapeControls } from "../controls.ts";
import type { OccurrenceJson } from "../render/rota.ts";

/**
 * A message `rota notify` sends, before any channel's markup: blocks of
 * inline parts, so that each channel renders (and escapes) it its own way.
 * Text in a part is always plain text as a person wrote it (a name, a note's
 * answer): renderers escape it; only renderers add markup.
 */

export type NotifyKind = "today" | "changes" | "remind" | "digest";

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "strong"; text: string }
  | { kind: "link"; text: string; url: string }
  /** A person: a mention where the channel knows their handle, else their name. */
  | { kind: "person"; id: string; name: string };

export type Block =
  | { kind: "title"; text: string }
  | { kind: "para"; parts: Inline[] }
  /** A bullet; level 1 sits under the bullet before it. */
  | { kind: "item"; parts: Inline[]; level: 0 | 1 };

export interface Message {
  event: NotifyKind;
  /**
   * Names the message for once-only delivery: the same key is never sent
   * twice to a channel, however often or late rota runs.
   */
  key: string;
  /** Epoch ms after which the message is stale: never sent then, and its key forgotten. */
  expires: number;
  /** One line, plain text: the email subject, and the first line elsewhere. */
  subject: string;
  blocks: Block[];
  /** The person a personal message is for (changes, remind); undefined for the team. */
  person?: string;
  /** Everyone the message addresses or names on a shift, by id. */
  people: string[];
  /** The occurrences it is about, as `plan --json` has them. */
  occurrences: OccurrenceJson[];
}

export const text = (value: string): Inline => ({ kind: "text", text: value });
export const strong = (value: string): Inline => ({ kind: "strong", text: value });
export const link = (label: string, url: string): Inline => ({ kind: "link", text: label, url });
export const person = (id: string, name: string): Inline => ({ kind: "person", id, name });

/** Inline parts joined by a separator, as in a list of names. */
export function joined(parts: readonly Inline[], separator = ", "): Inline[] {
  return parts.flatMap((part, index) => (index === 0 ? [part] : [text(separator), part]));
}

/** A message as plain text, for the generic webhook, email's text part and logs. */
export function plainText(message: Pick<Message, "blocks">): string {
  return message.blocks.map(plainBlock).join("\n");
}

function plainPart(part: Inline): string {
  switch (part.kind) {
    case "text":
    case "strong":
      return part.text;
    case "person":
      return part.name;
    case "link":
      return `${part.text} (${part.url})`;
  }
}

function plainBlock(block: Block): string {
  switch (block.kind) {
    case "title":
      return block.text;
    case "para":
      return block.parts.map(plainPart).join("");
    case "item":
      return `${block.level === 1 ? "    - " : "- "}${block.parts.map(plainPart).join("")}`;
  }
}

function partShown(part: Inline): Inline {
  switch (part.kind) {
    case "text":
    case "strong":
      return { ...part, text: escapeControls(part.text) };
    case "person":
      return { ...part, name: escapeControls(part.name) };
    case "link":
      return { ...part, text: escapeControls(part.text), url: escapeControls(part.url) };
  }
}

/**
 * The message with every control character in its text shown as its escape
 * (`\u001b`, `\u202e`), as rota prints them: a note written by hand may hold
 * terminal escapes or bidi controls, and no channel, email and the generic
 * webhook included, should receive text that acts instead of showing.
 */
export function controlsShown<T extends Pick<Message, "blocks" | "subject">>(message: T): T {
  return {
    ...message,
    subject: escapeControls(message.subject),
    blocks: message.blocks.map(
      (block): Block =>
        block.kind === "title"
          ? { ...block, text: escapeControls(block.text) }
          : { ...block, parts: block.parts.map(partShown) },
    ),
  };
}
