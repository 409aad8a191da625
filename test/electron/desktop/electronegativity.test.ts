import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const electronVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

describe('electronegativity over electron/', () => {
  it('finds nothing but the CSP it cannot read (set by the loopback server), with the reviewed exceptions annotated', () => {
    const out = path.join(tempDir(), 'findings.json');
    execFileSync(process.execPath, [path.join(ROOT, 'test', 'helpers', 'electronegativity-run.cjs'), path.join(ROOT, 'electron'), out, electronVersion], {
      cwd: ROOT,
      stdio: 'ignore',
      timeout: 120_000,
    });
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { issues: Array<{ id: string; file: string }>; errors: unknown[] };
    expect(result.errors).toEqual([]);
    // The UI is served over loopback HTTP by Haul's own server, which sends the CSP; the main
    // process enforces the same constant again, which a static scanner cannot evaluate.
    expect(result.issues).toEqual([expect.objectContaining({ id: 'CSP_GLOBAL_CHECK', file: 'main.ts' })]);
  });
});
