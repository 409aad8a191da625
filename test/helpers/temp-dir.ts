import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

/** A fresh directory removed after the test. */
export function tempDir(prefix = 'haul-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const lasting: string[] = [];

/** A fresh directory that outlives each test (for a whole file's servers); removed when the test process ends. */
export function lastingDir(prefix = 'haul-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  lasting.push(dir);
  return dir;
}

process.once('exit', () => {
  for (const dir of lasting) fs.rmSync(dir, { recursive: true, force: true });
});
