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

/** The only files allowed to touch Electron: the thin shell. */
const SHELL = [/^electron\/main\.ts$/u, /^electron\/preload\.ts$/u, /^electron\/shell\/[^/]+\.ts$/u];

describe('host-neutral core', () => {
  it('no file outside the shell imports electron', () => {
    const files = [...sourceFiles(path.join(ROOT, 'electron')), ...sourceFiles(path.join(ROOT, 'shared')), ...sourceFiles(path.join(ROOT, 'renderer', 'src'))];
    const offenders = files
      .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
      .filter((rel) => !SHELL.some((allowed) => allowed.test(rel)))
      .filter((rel) => ELECTRON_IMPORT.test(fs.readFileSync(path.join(ROOT, rel), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the shell stays small', () => {
    const shell = sourceFiles(path.join(ROOT, 'electron')).filter((f) => SHELL.some((allowed) => allowed.test(path.relative(ROOT, f).split(path.sep).join('/'))));
    expect(shell.length).toBeGreaterThan(0);
    expect(shell.length).toBeLessThanOrEqual(8);
  });

  it('the check recognises every import form', () => {
    for (const line of [`import { app } from 'electron';`, `const e = require("electron")`, `await import('electron/main')`, `import 'electron';`]) {
      expect(ELECTRON_IMPORT.test(line), line).toBe(true);
    }
    expect(ELECTRON_IMPORT.test(`import x from 'electron-builder';`)).toBe(false);
  });
});
