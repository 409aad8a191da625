import fs from 'node:fs';

/**
 * A buffer used again for each segment: a long stream's join allocates (and leaves to the
 * garbage collector) nothing per segment, which kept a 1 GiB stream's memory high. What it
 * hands out is valid until it is asked again.
 */
export class Scratch {
  #buffer = Buffer.alloc(0);

  /** `size` bytes, valid until the next call. */
  take(size: number): Buffer {
    if (this.#buffer.length < size) this.#buffer = Buffer.allocUnsafe(Math.max(size, Math.ceil(this.#buffer.length * 1.5)));
    return this.#buffer.subarray(0, size);
  }

  /** A file's bytes, read into this buffer. */
  read(file: string): Buffer {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const into = this.take(size);
      let at = 0;
      while (at < size) {
        const n = fs.readSync(fd, into, at, size - at, at);
        if (n === 0) break;
        at += n;
      }
      return into.subarray(0, at);
    } finally {
      fs.closeSync(fd);
    }
  }
}
