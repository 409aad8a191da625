import { describe, expect, it } from 'vitest';
import { workerFile } from '../../../../electron/engine/media/remux-runner.ts';

describe('where the remux worker starts from', () => {
  it('beside the module: the source when run from sources, the bundle in a build, outside the archive in a packaged app', () => {
    expect(workerFile('file:///repo/electron/engine/media/remux-runner.ts').href).toBe('file:///repo/electron/engine/media/remux-worker.ts');
    expect(workerFile('file:///repo/dist/cli/get-abc.mjs').href).toBe('file:///repo/dist/cli/remux-worker.mjs');
    expect(workerFile('file:///opt/Haul/resources/app.asar/dist/electron/main.js').href).toBe('file:///opt/Haul/resources/app.asar.unpacked/dist/electron/remux-worker.mjs');
  });
});
