/** The parts of a bittorrent-protocol (v5) wire that reading a peer's bytes is made of. */
export interface ReadingWire {
  destroyed?: boolean;
  _write(data: Uint8Array, cb: (error?: Error | null) => void): void;
  _processBuffer(): void;
  /** Bytes of an unfinished message: none, or one array. */
  _buffer: Uint8Array[];
  _bufferSize: number;
  /** How many bytes the message being read needs. */
  _parserSize: number;
  /** Present whenever encryption may be spoken (MSE); `_isEncrypted` once RC4 was chosen, not when the peers settled on plain text. */
  _encryptor: { _isEncrypted?: boolean } | null;
  _cryptoSyncPattern: unknown;
  _pePending: boolean;
}

/**
 * bittorrent-protocol joins what it holds of an unfinished message with each chunk that
 * arrives, copying all it holds again every time, so every byte a peer sends is copied at least
 * once more before it is read, and the copies are garbage at once: a fifth of a second of a
 * 1 GiB torrent's work, and more collecting. Here the chunks are held as they came and the
 * library is handed one message at a time: a view of a chunk when the message lies within one
 * (no copy), else one copy of that message's bytes. Only while the wire is not encrypted with
 * RC4 nor resynchronising (then what is held goes back to the library, which reads as before).
 */
export function readWithFewerCopies(wire: ReadingWire): void {
  const write = wire._write.bind(wire);
  let held: Uint8Array[] = [];
  let size = 0;
  let ours = true;
  const handBack = (): void => {
    ours = false;
    wire._buffer = size === 0 ? [] : [take(size)];
    wire._bufferSize = size;
    held = [];
    size = 0;
  };
  const take = (n: number): Uint8Array => {
    const first = held[0];
    if (first !== undefined && first.length >= n) {
      if (first.length === n) held.shift();
      else held[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const message = new Uint8Array(n);
    for (let at = 0; at < n; ) {
      const part = held[0] ?? new Uint8Array(0);
      const k = Math.min(part.length, n - at);
      message.set(part.subarray(0, k), at);
      at += k;
      if (k === part.length) held.shift();
      else held[0] = part.subarray(k);
    }
    return message;
  };
  const plain = (): boolean => wire._encryptor?._isEncrypted !== true && !wire._cryptoSyncPattern && !wire._pePending && wire._parserSize > 0;
  wire._write = (data, cb) => {
    if (ours && !plain()) handBack();
    if (!ours) return write(data, cb);
    // What the library still holds (the rest of the chunk that finished the handshake, read by its own loop) comes first.
    if (wire._bufferSize > 0) {
      held = [...wire._buffer, ...held];
      size += wire._bufferSize;
      wire._buffer = [];
      wire._bufferSize = 0;
    }
    held.push(data);
    size += data.length;
    while (size >= wire._parserSize && wire.destroyed !== true) {
      const n = wire._parserSize;
      wire._buffer = [take(n)];
      wire._bufferSize = n;
      size -= n;
      wire._processBuffer();
      if (!plain()) {
        handBack();
        break;
      }
    }
    cb(null);
  };
}
