import { ProtocolError, trimOws } from './http1-parser.ts';

/**
 * Decodes a chunked body incrementally (RFC 9112 §7.1): feed it bytes as they arrive and it
 * hands out the payload slices (views into the input, valid during the call).
 */
export class ChunkedDecoder {
  #state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  #line = '';
  #remaining = 0;

  get done(): boolean {
    return this.#state === 'done';
  }

  /** Feeds `input`; calls `onData` for payload slices. Returns how many input bytes were used. */
  feed(input: Uint8Array, onData: (slice: Uint8Array) => void): number {
    let i = 0;
    while (i < input.length && this.#state !== 'done') {
      switch (this.#state) {
        case 'size':
        case 'trailer':
        case 'data-end': {
          const nl = input.indexOf(10, i);
          const end = nl === -1 ? input.length : nl + 1;
          this.#line += Buffer.from(input.buffer, input.byteOffset + i, end - i).toString('latin1');
          i = end;
          if (this.#line.length > 8192) throw new ProtocolError('chunk header line too long');
          if (nl === -1) break;
          const line = this.#line.replace(/\r?\n$/u, '');
          this.#line = '';
          this.#onLine(line);
          break;
        }
        case 'data': {
          const n = Math.min(this.#remaining, input.length - i);
          onData(input.subarray(i, i + n));
          i += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = 'data-end';
          break;
        }
      }
    }
    return i;
  }

  #onLine(line: string): void {
    if (this.#state === 'data-end') {
      if (line !== '') throw new ProtocolError('chunk data not followed by CRLF');
      this.#state = 'size';
    } else if (this.#state === 'size') {
      const size = /^([0-9a-f]{1,12})(?:\s*;.*)?$/iu.exec(trimOws(line));
      if (size === null) throw new ProtocolError(`bad chunk size line: ${JSON.stringify(line.slice(0, 40))}`);
      this.#remaining = parseInt(size[1] ?? '0', 16);
      this.#state = this.#remaining === 0 ? 'trailer' : 'data';
    } else if (line === '') {
      this.#state = 'done';
    }
  }
}
