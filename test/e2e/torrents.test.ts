// Torrents in the window, in Chromium: a .torrent opened in the add panel shows its files to
// choose from; the chosen ones arrive from a real swarm (opentracker, aria2c); the detail panel
// shows pieces and files; a magnet link pasted in the box is added; Settings has Torrents, in
// English and Chinese.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Download } from '../../shared/api.ts';
import { chromiumAvailable, CHROMIUM, launchBrowser } from '../helpers/browser.ts';
import { makeTorrent, randomFiles, startAria2, startTracker, stopSwarm, sumsOf, swarmToolsMissing, trackerAddress } from '../helpers/swarm.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { openUiIn, row, serve, stop } from '../helpers/ui-harness.ts';

const TOKEN = 'e2e-torrents-9b2c';
let browser: Browser;
beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`Chromium is needed for the UI tests: apt-get install chromium (looked for ${CHROMIUM}).`);
  const missing = swarmToolsMissing();
  if (missing !== undefined) throw new Error(missing);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(stopSwarm);

const api = (base: string, route: string, init: RequestInit = {}) =>
  fetch(new URL(route, base), { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers } });

describe('torrents in Chromium', () => {
  it('opens a .torrent, downloads the two files chosen of three, shows its pieces and files, and takes a pasted magnet link', async () => {
    const seed = randomFiles({ 'set/one.bin': 300_000, 'set/two.bin': 500_000, 'set/three.bin': 200_000, 'solo.bin': 400_000 });
    const at = await trackerAddress();
    const set = makeTorrent(path.join(seed.dir, 'set'), at.announce);
    const solo = makeTorrent(path.join(seed.dir, 'solo.bin'), at.announce);
    await startTracker(at, [set.infoHash, solo.infoHash]);
    await startAria2(set.file, seed.dir, { seed: true });
    await startAria2(solo.file, seed.dir, { seed: true });
    const downloads = tempDir();
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: downloads, HAUL_TOKEN: TOKEN });
    try {
      await api(s.base, '/api/settings', { method: 'PATCH', body: JSON.stringify({ categories: [], torrent: { port: 0, dht: false, lsd: false, pex: false } }) });
      const { page, errors } = await openUiIn(browser, s.base, TOKEN, { viewport: { width: 1280, height: 900 } });
      await page.getByText('Options', { exact: true }).click();
      await page.getByLabel('Open a .torrent file').setInputFiles(set.file);
      const picker = page.getByRole('group', { name: 'set: 3 files' });
      await expect.poll(() => picker.isVisible()).toBe(true);
      await picker.getByLabel('three.bin').uncheck();
      await expect.poll(() => picker.getByText(/^2 files chosen/u).isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      // Complete, and seeding by the default policy: the row says so.
      await expect.poll(() => row(page, 'set').getByText('Seeding').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(sumsOf(downloads)).toEqual({ 'set/one.bin': seed.sums['set/one.bin'], 'set/two.bin': seed.sums['set/two.bin'] });
      await row(page, 'set').click();
      const files = page.getByRole('list', { name: 'Files' });
      await expect.poll(() => files.getByRole('listitem').filter({ hasText: 'three.bin' }).getByText('not downloaded').isVisible()).toBe(true);
      // The files lie in the torrent as one, three, two: three.bin is bytes 300,000–499,999, and the pieces wholly inside it were never fetched.
      const piece = 2 ** 16;
      const pieces = Math.ceil(1_000_000 / piece);
      const skipped = Math.floor(500_000 / piece) - Math.ceil(300_000 / piece);
      await expect.poll(async () => page.getByRole('img', { name: /pieces on disk/u }).getAttribute('aria-label')).toMatch(new RegExp(`^${pieces - skipped} of ${pieces} pieces on disk`, 'u'));
      // While it seeds, its own upload limit is set in the panel and held by the engine.
      await page.getByRole('textbox', { name: 'Upload limit for this torrent' }).fill('3');
      const setId = ((await (await api(s.base, '/api/downloads')).json()) as { downloads: Download[] }).downloads.find((d) => d.filename === 'set')?.id;
      await expect.poll(async () => ((await (await api(s.base, `/api/downloads/${setId}`)).json()) as Download).uploadLimit).toBe(3 * 1024 * 1024);
      await page.getByRole('textbox', { name: /Paste/u }).fill(`Here: magnet:?xt=urn:btih:${solo.infoHash}&dn=solo.bin&tr=${encodeURIComponent(at.announce)}`);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect.poll(() => row(page, 'solo.bin').getByText('Seeding').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(sumsOf(downloads)['solo.bin']).toBe(seed.sums['solo.bin']);
      const list = ((await (await api(s.base, '/api/downloads')).json()) as { downloads: Download[] }).downloads;
      expect(list.map((d) => [d.filename, d.torrent?.infoHash])).toEqual([
        ['set', set.infoHash],
        ['solo.bin', solo.infoHash],
      ]);
      expect(errors).toEqual([]);
      const zh = await openUiIn(browser, s.base, TOKEN, { locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
      await zh.page.getByRole('button', { name: '设置' }).click();
      const dialog = zh.page.getByRole('dialog', { name: '设置' });
      await expect.poll(() => dialog.getByRole('group', { name: 'BT 下载' }).getByLabel('DHT').isChecked()).toBe(false);
      expect(zh.errors).toEqual([]);
    } finally {
      await stop(s);
    }
  }, 90_000);
});
