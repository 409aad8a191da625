/**
 * Reusable write buffers of one size, shared by a download's writers (one per request). A
 * writer made per request that allocated its own would leave its buffers to the next full
 * garbage collection, which Haul's small young generation makes rare: with many connections,
 * tens of MiB of dead buffers stayed resident. Keeps at most `keep` idle buffers.
 */
export class BufferPool {
  readonly size: number;
  readonly #keep: number;
  readonly #idle: Buffer[] = [];

  constructor(size: number, keep: number) {
    this.size = size;
    this.#keep = keep;
  }

  take(): Buffer {
    return this.#idle.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(buf: Buffer): void {
    if (this.#idle.length < this.#keep) this.#idle.push(buf);
  }

  /** Idle buffers held now. */
  get idle(): number {
    return this.#idle.length;
  }
}
