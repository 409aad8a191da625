import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist', 'electron');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-desktop.ts')], { cwd: ROOT });
});

/** Bare module names a bundle imports or requires. */
function importsOf(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?:^|\n)import\s+(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']/gu)) names.add(m[1]!);
  for (const m of code.matchAll(/require\(["']([^"']+)["']\)/gu)) names.add(m[1]!);
  return [...names];
}

describe('the desktop bundles', () => {
  it('package.json points Electron at the built main', () => {
    expect(path.resolve(ROOT, pkg.main)).toBe(path.join(DIST, 'main.js'));
  });

  it('the sandboxed preload is CommonJS and needs nothing but electron', () => {
    const code = fs.readFileSync(path.join(DIST, 'preload.cjs'), 'utf8');
    expect(code).not.toMatch(/^\s*import\s/mu);
    expect(importsOf(code)).toEqual(['electron']);
    expect(code).toContain('exposeInMainWorld("haulDesktop"');
  });

  it('the main bundle loads only electron, Node built-ins and declared dependencies, all resolvable', () => {
    const code = fs.readFileSync(path.join(DIST, 'main.js'), 'utf8');
    const require = createRequire(path.join(DIST, 'main.js'));
    const external = importsOf(code).filter((name) => name !== 'electron');
    expect(external.length).toBeGreaterThan(0);
    for (const name of external) {
      const builtin = name.startsWith('node:') || builtinModules.includes(name);
      expect(builtin || name in pkg.dependencies, `${name} must be a built-in or a runtime dependency`).toBe(true);
      if (!builtin) expect(() => require.resolve(name), name).not.toThrow();
    }
    expect(importsOf(code)).toContain('electron');
  });

  it('ships the resources the main process looks for', () => {
    expect(fs.existsSync(path.join(ROOT, 'build', 'icons', '32x32.png'))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'build', 'icon.ico'))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'build', 'icon.icns'))).toBe(true);
  });
});
