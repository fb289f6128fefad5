// The on-site store-and-forward buffer: while a site's uplink is down its Telegraf keeps
// sampling into a bounded local buffer; the oldest lines go first when it fills up.

export const DEFAULT_SITE_BUFFER_LIMIT = 50_000;

export class SiteBuffer {
  private lines: (string | undefined)[];
  private start = 0;
  private count = 0;
  dropped = 0;

  constructor(readonly limit: number = DEFAULT_SITE_BUFFER_LIMIT) {
    if (limit < 1) throw new Error("site buffer limit must be at least 1");
    // Grows on demand: most sites never buffer, and 50k slots per site would waste memory.
    this.lines = [];
  }

  get size(): number {
    return this.count;
  }

  push(line: string): void {
    if (this.count < this.limit) {
      const index = (this.start + this.count) % this.limit;
      this.lines[index] = line;
      this.count++;
      return;
    }
    this.lines[this.start] = line;
    this.start = (this.start + 1) % this.limit;
    this.dropped++;
  }

  /** Everything buffered, oldest first; empties the buffer. */
  drain(): string[] {
    const out: string[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) {
      out[i] = this.lines[(this.start + i) % this.limit] ?? "";
    }
    this.lines = [];
    this.start = 0;
    this.count = 0;
    return out;
  }
}
