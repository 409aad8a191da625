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

const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');

const ELECTRON_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]electron(?:\/[^'"]*)?['"]/u;
const SPECIFIERS = /(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/gu;

/** Every module `file` imports: repo paths for relative imports, package names otherwise. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(SPECIFIERS)].map((m) => {
    const spec = m[1] ?? '';
    return spec.startsWith('.') ? rel(path.resolve(path.dirname(file), spec)) : spec;
  });
}

/** The only files allowed to touch Electron: the thin shell (main, preload and the Electron adapters). */
const SHELL = [/^electron\/main\.ts$/u, /^electron\/preload\.ts$/u, /^electron\/electron-adapters\/[^/]+\.ts$/u];

/**
 * The layering, as rules: files matching `from` may not import modules matching `not`.
 * Each says why, so a failure explains itself.
 */
const RULES: Array<{ from: RegExp; not: RegExp; why: string }> = [
  {
    from: /^electron\/(engine|server)\//u,
    not: /^electron\/(electron-adapters|cli|desktop-logic|app)\/|^electron\/(main|preload)\.ts$|^renderer\//u,
    why: 'the engine and the server are host-neutral: they never reach into a host (Electron adapters, CLI, desktop logic) or the composition root (app/), nor the UI',
  },
  { from: /^electron\/engine\//u, not: /^electron\/server\//u, why: 'the engine knows nothing of HTTP serving' },
  { from: /^electron\/cli\//u, not: /^electron\/(electron-adapters|desktop-logic)\/|^electron\/(main|preload)\.ts$|^renderer\//u, why: 'the CLI runs without Electron and without the UI' },
  {
    from: /^electron\/desktop-logic\//u,
    not: /^electron\/electron-adapters\/|^electron\/(main|preload)\.ts$|^renderer\//u,
    why: 'the desktop logic is tested under Node: it never imports the adapters that wrap Electron',
  },
  { from: /^shared\//u, not: /^(?!shared\/)/u, why: 'shared/ is pure code both sides use: it imports only itself' },
  { from: /^renderer\/src\//u, not: /^(electron\/|node:)/u, why: 'the renderer talks to Haul only through the HTTP API and the event stream' },
  { from: /^extension\/(src\/|manifest\.ts$)/u, not: /^(electron\/|renderer\/|node:)/u, why: 'the extension talks to Haul only through its routes, with the shared contract' },
  {
    from: /^electron\/engine\/http\//u,
    not: /^electron\/engine\/(transfer|disk|store|queue)\/|^electron\/engine\/engine\.ts$|^electron\/engine\/records\/(publisher|record-book)\.ts$/u,
    why: 'the transport knows nothing of downloads, files or the store',
  },
  {
    from: /^electron\/engine\/disk\//u,
    not: /^electron\/engine\/(transfer|http|queue)\/|^electron\/engine\/engine\.ts$|^electron\/engine\/records\/publisher\.ts$/u,
    why: 'the disk layer knows nothing of transfers or HTTP',
  },
  {
    from: /^(?!electron\/server\/cluster\/)/u,
    not: /^ioredis$/u,
    why: "Redis is the cluster module's business: the engine, the server and the hosts see it only through the store, the leases and the feed",
  },
  {
    from: /^electron\/engine\/transfer\//u,
    not: /^electron\/engine\/queue\/|^electron\/engine\/engine\.ts$|^electron\/engine\/records\/publisher\.ts$/u,
    why: 'a source is driven by the queue, never the other way round',
  },
];

describe('layering', () => {
  const files = [
    ...sourceFiles(path.join(ROOT, 'electron')),
    ...sourceFiles(path.join(ROOT, 'shared')),
    ...sourceFiles(path.join(ROOT, 'renderer', 'src')),
    ...sourceFiles(path.join(ROOT, 'extension')),
  ].map(rel);

  it('no file outside the shell imports electron', () => {
    const offenders = files.filter((f) => !SHELL.some((allowed) => allowed.test(f))).filter((f) => ELECTRON_IMPORT.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it.each(RULES.map((rule) => [rule.why, rule] as const))('%s', (_why, rule) => {
    const broken = files
      .filter((f) => rule.from.test(f))
      .flatMap((f) =>
        importsOf(path.join(ROOT, f))
          .filter((target) => rule.not.test(target))
          .map((target) => `${f} → ${target}`),
      );
    expect(broken).toEqual([]);
  });

  it('every rule applies to some file (a rule that matches nothing checks nothing)', () => {
    for (const rule of RULES)
      expect(
        files.some((f) => rule.from.test(f)),
        rule.why,
      ).toBe(true);
  });

  it('the shell stays small', () => {
    const shell = files.filter((f) => SHELL.some((allowed) => allowed.test(f)));
    expect(shell.length).toBeGreaterThan(0);
    expect(shell.length).toBeLessThanOrEqual(8);
  });

  it('the checks recognise every import form and catch a broken rule', () => {
    for (const line of [`import { app } from 'electron';`, `const e = require("electron")`, `await import('electron/main')`, `import 'electron';`]) {
      expect(ELECTRON_IMPORT.test(line), line).toBe(true);
    }
    expect(ELECTRON_IMPORT.test(`import x from 'electron-builder';`)).toBe(false);
    const engineRule = RULES[0]!;
    expect(engineRule.not.test('electron/electron-adapters/menus.ts') && engineRule.not.test('renderer/src/app.tsx')).toBe(true);
    expect(engineRule.not.test('shared/api.ts')).toBe(false);
    expect(RULES.find((r) => r.from.test('shared/api.ts'))?.not.test('electron/engine/errors.ts')).toBe(true);
  });
});
