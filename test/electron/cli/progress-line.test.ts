import { describe, expect, it } from 'vitest';
import { progressBarLine, progressPlainLine } from '../../../electron/cli/progress-line.ts';
import { HAUL_VERSION } from '../../../shared/version.ts';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../../helpers/run-cli.ts';

const MiB = 1024 * 1024;

describe('the progress bar', () => {
  it('keeps one width whatever the numbers, with the name and the connections', () => {
    const lines = [
      { filename: 'disk.iso', received: 0, total: 1024 * MiB, speed: 0, connections: 1 },
      { filename: 'disk.iso', received: 420 * MiB, total: 1024 * MiB, speed: 85 * MiB, connections: 8 },
      { filename: 'disk.iso', received: 1024 * MiB, total: 1024 * MiB, speed: 120 * MiB, connections: 16 },
    ].map((view) => progressBarLine(view, 100));
    for (const line of lines) {
      expect(line).toHaveLength(100);
      expect(line.startsWith('disk.iso')).toBe(true);
      expect(line).toMatch(/\d+ conn\.$/u);
    }
    expect(lines[1]).toContain(' 41% [========>           ]');
    expect(lines[1]).toContain('8 conn.');
  });

  it('shortens a long name with an ellipsis, and drops the bar on a narrow terminal', () => {
    const view = { filename: 'a-very-long-name-of-a-file-that-goes-on.tar.gz', received: 5 * MiB, total: 10 * MiB, speed: MiB, connections: 2 };
    const wide = progressBarLine(view, 80);
    expect(wide).toHaveLength(80);
    expect(wide).toMatch(/…/u);
    const narrow = progressBarLine(view, 60);
    expect(narrow.length).toBeLessThanOrEqual(60);
    expect(narrow).not.toContain('[');
  });

  it('writes plain lines with the name for logs', () => {
    expect(progressPlainLine({ filename: 'x.bin', received: MiB, total: 4 * MiB, speed: MiB, connections: 3 })).toBe('x.bin: 25% 1.0 MiB of 4.0 MiB at 1.0 MiB/s, 3s left, 3 conn.');
  });
});

describe('the version', () => {
  it('is the one package.json gives', () => {
    expect(HAUL_VERSION).toBe(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
  });
});
