import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A file of `sizeMiB` MiB of random-looking bytes, made once and reused across runs. */
export function ensureFixture(dir: string, name: string, sizeMiB: number): string {
  const file = path.join(dir, name);
  if (fs.existsSync(file) && fs.statSync(file).size === sizeMiB * 1024 * 1024) return file;
  fs.mkdirSync(dir, { recursive: true });
  const block = randomBytes(16 * 1024 * 1024);
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < sizeMiB; written += 16) {
    const mib = Math.min(16, sizeMiB - written);
    // Vary each block so no tool can benefit from repeated content.
    block.writeUInt32LE(written, 0);
    fs.writeSync(fd, block, 0, mib * 1024 * 1024);
  }
  fs.closeSync(fd);
  return file;
}
