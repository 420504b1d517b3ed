import MarkdownIt from "markdown-it";
import { escapeControls } from "../controls.ts";
import { raw, type SafeHtml } from "./html.ts";

/**
 * A note's answer, written in markdown, as HTML for its page. markdown-it
 * with raw HTML off: a `<script>`, an `onerror=` attribute or any other tag
 * typed in a note is escaped and shown as text. Links go only to http(s) and
 * mailto addresses (a `javascript:` or `data:` link stays plain text); images
 * are not loaded (their syntax stays text), so a note cannot make a reader's
 * browser fetch anything. Headings sit below the page's own (`h4`), and
 * markdown tables stay text, so every page keeps its outline and its
 * captioned tables.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })
  .disable(["image", "table", "html_block", "html_inline"])
  .use((md) => {
    md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
  });

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;
markdown.validateLink = (url: string) => SAFE_LINK.test(url.trim());

markdown.renderer.rules.heading_open = () => "<h4>";
markdown.renderer.rules.heading_close = () => "</h4>\n";
const linkOpen = markdown.renderer.rules.link_open;
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet("rel", "nofollow noopener noreferrer");
  return linkOpen
    ? linkOpen(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};

/**
 * One line of words and plain punctuation, nothing markdown or linkify reads
 * as markup and nothing to escape: markdown-it makes it one paragraph, the
 * text unchanged. Most answers are such a sentence; wrapping them directly
 * skips the parser (a test checks that both ways agree).
 */
const PLAIN = /^[A-Za-z](?:[A-Za-z0-9 ,.;'?]*[A-Za-z0-9,.;'?])?$/;

/** Markdown text as safe HTML (block elements: paragraphs, lists, quotes, code). */
export function markdownHtml(text: string): SafeHtml {
  return PLAIN.test(text) ? raw(`<p>${text}</p>`) : markdownParsed(text);
}

/**
 * markdownHtml always through markdown-it (what the plain-text shortcut must
 * equal). Control characters in what it writes are shown escaped as the
 * terminal shows them (`\u001b`, `\u202e`): markdown-it passes them into the
 * page as they are, typed or written as a character reference (`&#x202E;`).
 */
export function markdownParsed(text: string): SafeHtml {
  return raw(escapeControls(markdown.render(text).trim()));
}

/**
 * Markdown text inside a line (a quote in the report): emphasis, code and
 * links as above, with no paragraph or list of its own.
 */
export function markdownInline(text: string): SafeHtml {
  return raw(escapeControls(markdown.renderInline(text).trim()));
}
