import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp-dir.ts';

/**
 * A folder holding a real `xdg-open` program that appends its arguments, one per line, to a
 * file: put `bin` first on a process's PATH and read `calls()` to see what Haul asked the OS to open.
 */
export function fakeXdgOpen(): { bin: string; calls: () => string[]; record: string } {
  const bin = tempDir('haul-bin-');
  const record = path.join(bin, 'calls');
  fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${record}'\n`, { mode: 0o755 });
  return { bin, record, calls: () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n') : []) };
}
