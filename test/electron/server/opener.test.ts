import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { systemOpener } from '../../../electron/server/opener.ts';
import { fakeXdgOpen } from '../../helpers/fake-opener.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitUntil } from '../../helpers/wait.ts';

const savedPath = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = savedPath;
});

/** A real `xdg-open` first on this process's PATH; returns the file its calls go to. */
function onPath(): string {
  const fake = fakeXdgOpen();
  process.env['PATH'] = `${fake.bin}:${savedPath}`;
  return fake.record;
}

describe('the system opener on Linux', () => {
  it('opens the file, and reveals it by opening its folder, with xdg-open', async () => {
    const record = onPath();
    const opener = systemOpener('linux', { DISPLAY: ':0' });
    await opener.open('/data/dl/report.pdf');
    await waitUntil(() => fs.existsSync(record) && fs.readFileSync(record, 'utf8').split('\n').length > 1, 5_000, 'xdg-open called');
    await opener.reveal('/data/dl/report.pdf');
    await waitUntil(() => fs.readFileSync(record, 'utf8').split('\n').length > 2, 5_000, 'xdg-open called twice');
    expect(fs.readFileSync(record, 'utf8')).toBe('/data/dl/report.pdf\n/data/dl\n');
  });

  it('says what to install when there is no xdg-open', async () => {
    process.env['PATH'] = tempDir('haul-empty-bin-');
    await expect(systemOpener('linux', { WAYLAND_DISPLAY: 'wayland-0' }).open('/x')).rejects.toThrow(/could not start "xdg-open".*xdg-utils/u);
  });

  it('without a display, starts nothing and says the machine has no desktop', async () => {
    const record = onPath();
    await expect(systemOpener('linux', {}).open('/x')).rejects.toMatchObject({ code: 'NO_DESKTOP', message: expect.stringMatching(/no desktop session.*Save it to this device/u) });
    await expect(systemOpener('linux', { DISPLAY: '' }).reveal('/x')).rejects.toMatchObject({ code: 'NO_DESKTOP' });
    expect(fs.existsSync(record)).toBe(false);
  });
});
