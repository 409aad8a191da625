// Settings' download windows and "when the queue is done", in Chromium, in both languages.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/api.ts';
import { chromiumAvailable, CHROMIUM, launchBrowser } from '../helpers/browser.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { openUiIn, row, serve, stop } from '../helpers/ui-harness.ts';

const TOKEN = 'e2e-set-and-forget-4f1a';
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`Chromium is needed for the UI tests: apt-get install chromium (looked for ${CHROMIUM}).`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const settingsOf = async (base: string): Promise<Settings> => (await fetch(new URL('/api/settings', base), { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<Settings>;

describe('set and forget in Chromium', () => {
  it('sets download windows and a shutdown when done; a download outside the windows says when it starts, in English and Chinese', async () => {
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      const { page, errors } = await openUiIn(browser, s.base, TOKEN, { viewport: { width: 1280, height: 900 } });
      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByLabel('Download only during these hours').check();
      await dialog.getByRole('group', { name: 'Download only during these hours 1' }).getByLabel('Sun').uncheck();
      await dialog.getByLabel('When the queue is done').selectOption('shutdown');
      await dialog.getByLabel('After a countdown of (s)').fill('30');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(async () => (await settingsOf(s.base)).whenDone).toBe('shutdown');
      const saved = await settingsOf(s.base);
      expect(saved.whenDoneCountdown).toBe(30);
      expect(saved.schedule).toEqual({ windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '01:00', end: '07:00', speedLimit: null }] });
      // A window that is never open now (one minute, on no day but one far from now) keeps a new download waiting.
      const closed = { windows: [{ days: ['mon'], start: '03:00', end: '03:01', speedLimit: null }] };
      await fetch(new URL('/api/settings', s.base), { method: 'PATCH', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ schedule: closed }) });
      const now = new Date();
      const inside = now.getDay() === 1 && now.getHours() === 3 && now.getMinutes() === 0;
      await fetch(new URL('/api/downloads', s.base), {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'http://127.0.0.1:9/later.bin' }),
      });
      if (!inside) {
        await expect
          .poll(
            () =>
              row(page, 'later.bin')
                .getByText(/^Starts at /u)
                .isVisible(),
            { timeout: 10_000 },
          )
          .toBe(true);
        await expect.poll(() => page.getByText(/^Scheduled: next window /u).isVisible()).toBe(true);
      }
      expect(errors).toEqual([]);
      const zh = await openUiIn(browser, s.base, TOKEN, { locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
      await zh.page.getByRole('button', { name: '设置' }).click();
      const zhDialog = zh.page.getByRole('dialog', { name: '设置' });
      await expect.poll(() => zhDialog.getByLabel('仅在这些时段下载', { exact: true }).isChecked()).toBe(true);
      await expect.poll(() => zhDialog.getByLabel('队列完成后').inputValue()).toBe('shutdown');
      if (!inside) await expect.poll(() => row(zh.page, 'later.bin').getByText(/开始$/u).isVisible(), { timeout: 10_000 }).toBe(true);
    } finally {
      await stop(s);
    }
  });
});
