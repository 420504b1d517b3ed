import type { ChannelType } from "../roster/formats.ts";
import { type Block, controlsShown, type Inline, type Message, plainText } from "./message.ts";

/**
 * A message in each channel's markup, every piece of text escaped for it, and
 * the JSON each endpoint takes. What a person wrote (names, notes) can never
 * become markup: no bold, link, heading or mention that rota did not make.
 */

export type ChatType = Exclude<ChannelType, "email">;

export interface Rendered {
  /** The text as the channel receives it (what `--dry-run` shows). */
  text: string;
  /** The JSON bodies to POST, in order: a long message may take several. */
  bodies: unknown[];
}

/** A person's chat handle on this channel's kind of chat, if the roster has one. */
export type HandleOf = (person: string) => string | undefined;

/** Slack and Google Chat have no escape for `*`, `_`, `~`, `` ` ``: a zero-width space before each keeps it literal. */
const ZWSP = "\u200b";

function slackEscape(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(/[*_~`]/g, (mark) => `${ZWSP}${mark}`);
}

/** Google Chat reads `<…>` as a link or mention and has no entities: a zero-width space after `<` breaks that. */
function googleChatEscape(value: string): string {
  return value.replace(/[*_~`]/g, (mark) => `${ZWSP}${mark}`).replaceAll("<", `<${ZWSP}`);
}

/**
 * CommonMark (Mattermost, Discord, Teams' card markdown): a backslash before
 * any markdown punctuation; `@` and `{{` get a zero-width space, so text
 * never mentions `@channel` or `@everyone` or calls a card function.
 */
function markdownEscape(value: string): string {
  return value
    .replace(/[\\`*_[\]()#+\-.!|~<>]/g, (mark) => `\\${mark}`)
    .replaceAll("@", `@${ZWSP}`)
    .replaceAll("{{", `{${ZWSP}{`);
}

/** A URL as rota writes it into markup: characters that would end the markup are percent-encoded. */
function safeUrl(url: string): string {
  return url.replace(
    /[\s<>|()"'`\\[\]{}]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

interface Markup {
  escape(value: string): string;
  strong(value: string): string;
  link(label: string, url: string): string;
  mention(person: string, handle: string, name: string): string;
  title(value: string): string;
  bullet(level: 0 | 1): string;
}

const SLACK: Markup = {
  escape: slackEscape,
  strong: (v) => `*${slackEscape(v)}*`,
  link: (label, url) => `<${safeUrl(url)}|${slackEscape(label)}>`,
  mention: (_person, handle) => `<@${handle}>`,
  title: (v) => `*${slackEscape(v)}*`,
  bullet: (level) => (level === 1 ? "      ◦ " : "• "),
};

const GOOGLE_CHAT: Markup = {
  escape: googleChatEscape,
  strong: (v) => `*${googleChatEscape(v)}*`,
  link: (label, url) => `<${safeUrl(url)}|${googleChatEscape(label)}>`,
  mention: (_person, handle) => `<${handle.startsWith("users/") ? handle : `users/${handle}`}>`,
  title: (v) => `*${googleChatEscape(v)}*`,
  bullet: (level) => (level === 1 ? "      ◦ " : "• "),
};

const MARKDOWN: Markup = {
  escape: markdownEscape,
  strong: (v) => `**${markdownEscape(v)}**`,
  link: (label, url) => `[${markdownEscape(label)}](${safeUrl(url)})`,
  mention: (_person, handle) => `@${handle}`,
  title: (v) => `**${markdownEscape(v)}**`,
  bullet: (level) => (level === 1 ? "  - " : "- "),
};

const DISCORD: Markup = { ...MARKDOWN, mention: (_person, handle) => `<@${handle}>` };

/**
 * Teams mentions: `<at>Name</at>` in the text, and an entity naming who it
 * is, whose text must be the same. The name is card markdown like any other
 * text (no bold, link, `@everyone` or card function), less the `<` and `>`
 * that would end the tag.
 */
function teamsMentionText(name: string): string {
  return `<at>${markdownEscape(name.replace(/[<>]/g, ""))}</at>`;
}

const TEAMS: Markup = {
  ...MARKDOWN,
  mention: (_person, _handle, name) => teamsMentionText(name),
  bullet: (level) => (level === 1 ? "\u2003\u2003◦ " : "• "),
};

function renderInline(parts: readonly Inline[], markup: Markup, handleOf: HandleOf): string {
  return parts.map((part) => renderPart(part, markup, handleOf)).join("");
}

function renderPart(part: Inline, markup: Markup, handleOf: HandleOf): string {
  switch (part.kind) {
    case "text":
      return markup.escape(part.text);
    case "strong":
      return markup.strong(part.text);
    case "link":
      return markup.link(part.text, part.url);
    case "person": {
      const handle = handleOf(part.id);
      return handle ? markup.mention(part.id, handle, part.name) : markup.escape(part.name);
    }
  }
}

function renderBlock(block: Block, markup: Markup, handleOf: HandleOf): string {
  switch (block.kind) {
    case "title":
      return markup.title(block.text);
    case "para":
      return renderInline(block.parts, markup, handleOf);
    case "item":
      return `${markup.bullet(block.level)}${renderInline(block.parts, markup, handleOf)}`;
  }
}

function lines(message: Message, markup: Markup, handleOf: HandleOf): string[] {
  return message.blocks.map((block) => renderBlock(block, markup, handleOf));
}

/** Lines joined into pieces of at most `max` characters, split between lines. */
function pieces(all: readonly string[], max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of all) {
    const cut = line.length > max ? `${line.slice(0, max - 1)}…` : line;
    if (current !== "" && current.length + 1 + cut.length > max) {
      out.push(current);
      current = cut;
    } else {
      current = current === "" ? cut : `${current}\n${cut}`;
    }
  }
  if (current !== "") out.push(current);
  return out;
}

/** Everyone a message mentions by handle on this channel. */
function mentioned(
  message: Message,
  handleOf: HandleOf,
): { id: string; name: string; handle: string }[] {
  const seen = new Map<string, { id: string; name: string; handle: string }>();
  for (const block of message.blocks) {
    if (block.kind === "title") continue;
    for (const part of block.parts) {
      if (part.kind !== "person" || seen.has(part.id)) continue;
      const handle = handleOf(part.id);
      if (handle) seen.set(part.id, { id: part.id, name: part.name, handle });
    }
  }
  return [...seen.values()];
}

/** A message rendered for one kind of chat webhook (not email). */
export function renderChat(type: ChatType, written: Message, handleOf: HandleOf): Rendered {
  const message = controlsShown(written);
  switch (type) {
    case "slack": {
      const text = lines(message, SLACK, handleOf).join("\n");
      // Slack takes 40,000 characters; a rota message is far below that.
      return { text, bodies: [{ text, unfurl_links: false, unfurl_media: false }] };
    }
    case "google-chat": {
      const all = lines(message, GOOGLE_CHAT, handleOf);
      const parts = pieces(all, 4000);
      return { text: all.join("\n"), bodies: parts.map((text) => ({ text })) };
    }
    case "mattermost": {
      const text = lines(message, MARKDOWN, handleOf).join("\n");
      return { text, bodies: [{ text }] };
    }
    case "discord": {
      const all = lines(message, DISCORD, handleOf);
      const users = mentioned(message, handleOf).map((m) => m.handle);
      // Discord takes 2,000 characters a message; only the people rota names may be pinged.
      return {
        text: all.join("\n"),
        bodies: pieces(all, 2000).map((content) => ({
          content,
          allowed_mentions: { parse: [], users },
        })),
      };
    }
    case "teams":
      return renderTeams(message, handleOf);
    case "webhook": {
      const text = plainText(message);
      return {
        text,
        bodies: [
          { event: message.event, text, occurrences: message.occurrences, people: message.people },
        ],
      };
    }
  }
}

/**
 * Teams: a Workflows ("Post to a channel when a webhook request is received")
 * message with one Adaptive Card, a TextBlock per line in the card's
 * markdown, mentions as `<at>` with their entities.
 */
function renderTeams(message: Message, handleOf: HandleOf): Rendered {
  const texts = lines(message, TEAMS, handleOf);
  const body = texts.map((line, index) => {
    const block: Record<string, unknown> = { type: "TextBlock", text: line, wrap: true };
    if (index === 0) {
      block.size = "Medium";
      block.weight = "Bolder";
      block.text = markdownEscape(
        message.blocks[0]?.kind === "title" ? message.blocks[0].text : "",
      );
    } else if (message.blocks[index]?.kind === "item") {
      block.spacing = "None";
    }
    return block;
  });
  const entities = mentioned(message, handleOf).map((m) => ({
    type: "mention",
    text: teamsMentionText(m.name),
    mentioned: { id: m.handle, name: m.name },
  }));
  const card = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body,
    msteams: { width: "Full", ...(entities.length ? { entities } : {}) },
  };
  return {
    text: body.map((block) => block.text as string).join("\n"),
    bodies: [
      {
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            contentUrl: null,
            content: card,
          },
        ],
      },
    ],
  };
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function htmlInline(parts: readonly Inline[]): string {
  return parts.map(htmlPart).join("");
}

function htmlPart(part: Inline): string {
  switch (part.kind) {
    case "text":
      return escapeHtml(part.text);
    case "strong":
      return `<strong>${escapeHtml(part.text)}</strong>`;
    case "person":
      return escapeHtml(part.name);
    case "link":
      return /^https?:\/\//i.test(part.url)
        ? `<a href="${escapeHtml(part.url)}">${escapeHtml(part.text)}</a>`
        : escapeHtml(part.text);
  }
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A message as an email: a subject, a plain-text part and an HTML part (everything escaped). */
export function renderEmail(written: Message): RenderedEmail {
  const message = controlsShown(written);
  const html: string[] = [];
  let list: 0 | 1 | undefined;
  const closeTo = (level: 0 | 1 | undefined) => {
    while (list !== undefined && (level === undefined || list > level)) {
      html.push(list === 1 ? "</ul></li>" : "</ul>");
      list = list === 1 ? 0 : undefined;
    }
  };
  for (const block of message.blocks) {
    if (block.kind === "item") {
      if (list === undefined) {
        html.push("<ul>");
        list = 0;
      }
      if (block.level === 1 && list === 0) {
        // Re-open the last item to nest under it.
        const last = html.pop() ?? "<li>";
        html.push(last.replace(/<\/li>$/, ""), "<ul>");
        list = 1;
      } else if (block.level === 0) {
        closeTo(0);
      }
      html.push(`<li>${htmlInline(block.parts)}</li>`);
      continue;
    }
    closeTo(undefined);
    html.push(
      block.kind === "title"
        ? `<h1>${escapeHtml(block.text)}</h1>`
        : `<p>${htmlInline(block.parts)}</p>`,
    );
  }
  closeTo(undefined);
  return {
    subject: message.subject,
    text: `${plainText(message)}\n`,
    html: `<!doctype html>\n<html><body>\n${html.join("\n")}\n</body></html>\n`,
  };
}
