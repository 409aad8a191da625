import http from 'node:http';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A raw event-stream reader over node:http: keeps the exact bytes and parses events as they arrive. */
export class SseReader {
  raw = '';
  events: SseEvent[] = [];
  headers: http.IncomingHttpHeaders = {};
  ended = false;
  readonly #req: http.ClientRequest;
  #res: http.IncomingMessage | undefined;
  #waiters: Array<() => void> = [];
  #buffer = '';

  constructor(url: string, headers: Record<string, string> = {}, opts: { paused?: boolean } = {}) {
    this.#req = http.get(url, { headers }, (res) => {
      this.#res = res;
      this.headers = res.headers;
      if (opts.paused) res.pause();
      res.setEncoding('utf8');
      res.on('data', (text: string) => this.#onText(text));
      res.on('end', () => this.#finish());
      res.on('close', () => this.#finish());
    });
    this.#req.on('error', () => this.#finish());
  }

  /** Starts reading a stream opened with `paused`. */
  resume(): void {
    this.#res?.resume();
  }

  #finish(): void {
    this.ended = true;
    this.#notify();
  }

  #onText(text: string): void {
    this.raw += text;
    this.#buffer += text;
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) !== -1) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const event: SseEvent = { data: '' };
      let isEvent = false;
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) {
          event.data += line.slice(6);
          isEvent = true;
        }
      }
      if (isEvent) this.events.push(event);
    }
    this.#notify();
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `check` holds (checked on every arrival), or rejects after `timeoutMs`. */
  async until(check: (reader: SseReader) => boolean, timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    while (!check(this)) {
      if (Date.now() - started > timeoutMs) throw new Error(`SSE condition not met; got ${this.events.map((e) => e.event).join(',')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  named(name: string): SseEvent[] {
    return this.events.filter((e) => e.event === name);
  }

  close(): void {
    this.#res?.destroy();
    this.#req.destroy();
  }
}
