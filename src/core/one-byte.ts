/**
 * Text whose every character is one byte in Latin-1, built in one buffer and
 * read back as one string: 50,000 lines are then one string, not a string
 * for each piece of each line, each line, and their join. `ok` turns false
 * once a character took more than one byte; the text is then wrong, and the
 * caller writes it the ordinary way.
 */
export class OneByteText {
  ok = true;
  /** What is written so far: `bytes[0, at)`. */
  protected bytes: Buffer;
  protected at = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /** Text as it is. */
  put(text: string): void {
    this.room(text.length);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0xff) this.ok = false;
      bytes[at++] = c;
    }
    this.at = at;
  }

  /** `count` spaces. */
  spaces(count: number): void {
    this.room(count);
    this.bytes.fill(32, this.at, this.at + count);
    this.at += count;
  }

  /** Everything written, as one string. */
  text(): string {
    return this.bytes.toString("latin1", 0, this.at);
  }

  /** Makes room for `count` more bytes. */
  protected room(count: number): void {
    if (this.at + count <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.at + count));
    this.bytes.copy(bigger, 0, 0, this.at);
    this.bytes = bigger;
  }
}
