import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs)$/u.test(entry.name) ? [full] : [];
  });
}

const ELECTRON_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]electron(?:\/[^'"]*)?['"]/u;

describe('host-neutral core', () => {
  it.each(['electron/engine', 'electron/server', 'electron/cli', 'shared'])('%s never imports electron', (dir) => {
    const offenders = sourceFiles(path.join(ROOT, dir)).filter((file) => ELECTRON_IMPORT.test(fs.readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('the check recognises every import form', () => {
    for (const line of [`import { app } from 'electron';`, `const e = require("electron")`, `await import('electron/main')`, `import 'electron';`]) {
      expect(ELECTRON_IMPORT.test(line), line).toBe(true);
    }
    expect(ELECTRON_IMPORT.test(`import x from 'electron-builder';`)).toBe(false);
  });
});
