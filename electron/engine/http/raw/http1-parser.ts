import type { ResponseHeaders } from '../send-get.ts';

/** Longest response head accepted; more is an attack or a broken server. */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface ParsedHead {
  /** HTTP/1.x minor version. */
  minor: 0 | 1;
  status: number;
  headers: ResponseHeaders;
}

/** Raised for bytes that are not HTTP/1.1; never transient. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  readonly code = 'HPE_INVALID';
}

/** Parses a response head (status line and header fields, without the blank line). */
export function parseHead(text: string): ParsedHead {
  const lines = text.split('\r\n');
  const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/u.exec(lines[0] ?? '');
  if (statusLine === null) throw new ProtocolError(`not an HTTP/1.1 response: ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
  const headers: ResponseHeaders = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/u.test(line.slice(0, colon))) throw new ProtocolError(`malformed header line: ${JSON.stringify(line.slice(0, 60))}`);
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (name === 'set-cookie') headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    else if (name === 'content-length' && existing !== value) throw new ProtocolError('conflicting Content-Length headers');
    else if (name !== 'content-length') headers[name] = `${Array.isArray(existing) ? existing.join(', ') : existing}, ${value}`;
  }
  return { minor: statusLine[1] === '1' ? 1 : 0, status: Number(statusLine[2]), headers };
}

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
      const size = /^([0-9a-f]{1,12})(?:\s*;.*)?$/iu.exec(line.trim());
      if (size === null) throw new ProtocolError(`bad chunk size line: ${JSON.stringify(line.slice(0, 40))}`);
      this.#remaining = parseInt(size[1] ?? '0', 16);
      this.#state = this.#remaining === 0 ? 'trailer' : 'data';
    } else if (line === '') {
      this.#state = 'done';
    }
  }
}
