/**
 * Buffers for segments' bodies, used again once a segment is on disk. A stream's segments are
 * the same few MiB each; allocated afresh, the dead ones waited for the garbage collector, and
 * a 1 GiB stream held some 80 MiB of them. A buffer not given back (a failed try, a decrypted
 * copy) is simply left to the collector.
 */
export class SegmentBuffers {
  readonly #free: ArrayBuffer[] = [];
  readonly #ours = new WeakSet<ArrayBuffer>();
  readonly #keep: number;

  /** Keeps at most `keep` free buffers (one per connection is enough). */
  constructor(keep: number) {
    this.#keep = keep;
  }

  /** `size` bytes, not zeroed. */
  take(size: number): Buffer {
    let best = -1;
    for (const [i, b] of this.#free.entries()) if (b.byteLength >= size && (best < 0 || b.byteLength < (this.#free[best]?.byteLength ?? 0))) best = i;
    const backing = best >= 0 ? this.#free.splice(best, 1)[0] : undefined;
    if (backing !== undefined) return Buffer.from(backing, 0, size);
    const fresh = Buffer.allocUnsafeSlow(size);
    this.#ours.add(fresh.buffer as ArrayBuffer);
    return fresh;
  }

  /** `body` (or what it is cut from) is no longer needed. */
  give(body: Buffer): void {
    const backing = body.buffer as ArrayBuffer;
    if (!this.#ours.has(backing) || this.#free.includes(backing)) return;
    this.#free.push(backing);
    // The smallest go first: a later, larger segment would not fit them.
    if (this.#free.length > this.#keep) this.#free.sort((a, b) => b.byteLength - a.byteLength).pop();
  }
}
