import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { HAUL_VERSION } from '../../shared/version.ts';
import { REPO } from '../helpers/run-cli.ts';

const OUT = path.join(REPO, 'dist', 'extension');
const run = promisify(execFile);

describe('npm run build:extension', () => {
  it.each(['chromium', 'firefox'] as const)('writes the %s build, unpacked and as a store zip with the same files', (target) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(OUT, target, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ manifest_version: 3, version: HAUL_VERSION });
    expect(manifest['background']).toEqual(target === 'chromium' ? { service_worker: 'background.js' } : { scripts: ['background.js'] });
    const zipped = Object.keys(unzipSync(fs.readFileSync(path.join(OUT, `haul-${target}-${HAUL_VERSION}.zip`)))).sort();
    expect(zipped).toContain('manifest.json');
    expect(zipped).toContain('background.js');
    expect(zipped).toContain('icons/128.png');
    // Each build keeps only its own browser's capture code.
    const background = fs.readFileSync(path.join(OUT, target, 'background.js'), 'utf8');
    expect(background.includes('onDeterminingFilename')).toBe(target === 'chromium');
  });

  it('passes web-ext lint for Firefox with no errors or warnings', async () => {
    const { stdout } = await run(
      process.execPath,
      [path.join(REPO, 'node_modules', 'web-ext', 'bin', 'web-ext.js'), 'lint', '--source-dir', path.join(OUT, 'firefox'), '--self-hosted', '--output', 'json'],
      { cwd: REPO, timeout: 120_000 },
    );
    const report = JSON.parse(stdout) as { summary: { errors: number; warnings: number }; errors: unknown[]; warnings: unknown[] };
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: [], warnings: [] });
  });
});
